/**
 * maxPool2d of the wasm backend for its common case, 2×2 windows with stride 2, no padding or
 * dilation (assembly/pooling.ts): the same values and indices as the js kernel, 4 windows per
 * f32x4 step. Other geometries, float64 and small inputs go to the js kernel.
 */
import type { Kernels, MaxPool2dParams } from '../types.js';
import { allF32, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many input elements the js kernel is as fast as the call into wasm. */
const MIN_ELEMENTS = 4096;

const fits = (p: MaxPool2dParams): boolean =>
  p.kH === 2 && p.kW === 2 && p.sH === 2 && p.sW === 2 && p.pH === 0 && p.pW === 0 && p.dH === 1 && p.dW === 1
  && 2 * p.outH <= p.h && 2 * p.outW <= p.w && p.planes * p.h * p.w >= MIN_ELEMENTS;

/** Input elements per item (whole planes), and the work estimate per input element for the pool's threshold. */
const ITEM_ELEMENTS = 16384;
const FLOPS_PER_ELEMENT = 4;

// Descriptor slots (Int32 index), mirroring D_* in assembly/pooling.ts.
const D_X = 0, D_PLANES = 1, D_H = 2, D_W = 3, D_OH = 4, D_OW = 5, D_OUT = 6, D_IDX = 7, D_PER = 8;

/** Runs of planes are items on the worker pool (each output written by one thread: any thread count gives the same). */
export function createWasmPooling(rt: WasmRuntime): Pick<Kernels, 'maxPool2d'> {
  const desc = rt.descI32;
  return {
    maxPool2d: withFallback('maxPool2d', (x, out, _indices, p) => fits(p) && allF32(x, out), (x, out, indices, p) => {
      const m = p.planes * p.outH * p.outW;
      withOperands(rt, [input(x, p.planes * p.h * p.w), output(out, m), output(indices, m)], [], ([ax, ao, ai]) => {
        const per = Math.max(1, Math.floor(ITEM_ELEMENTS / (p.h * p.w)));
        desc[D_X] = ax!; desc[D_PLANES] = p.planes; desc[D_H] = p.h; desc[D_W] = p.w; desc[D_OH] = p.outH; desc[D_OW] = p.outW;
        desc[D_OUT] = ao!; desc[D_IDX] = ai!; desc[D_PER] = per;
        rt.run('maxPool2x2F32Item', Math.ceil(p.planes / per), FLOPS_PER_ELEMENT * p.planes * p.h * p.w);
      });
    }),
  };
}
