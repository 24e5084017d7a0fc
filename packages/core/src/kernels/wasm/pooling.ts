/**
 * maxPool2d of the wasm backend for its common case, 2×2 windows with stride 2, no padding or
 * dilation (assembly/pooling.ts): the same values and indices as the js kernel, 4 windows per
 * f32x4 step; and its backward's scatter for any geometry, in the js kernel's order. Other
 * geometries, float64 and small inputs go to the js kernel.
 */
import type { Kernels, MaxPool2dParams } from '../types.js';
import { allF32, inout, input, output, withFallback, withOperands } from './dispatch.js';
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
const DB_G = 0, DB_IDX = 1, DB_DX = 2, DB_PLANES = 3, DB_IN = 4, DB_OUT = 5, DB_PER = 6;

/** Runs of planes are items on the worker pool (each output written by one thread: any thread count gives the same). */
export function createWasmPooling(rt: WasmRuntime): Pick<Kernels, 'maxPool2d' | 'maxPool2dBackward'> {
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

    // Any window geometry: the scatter only follows the indices the forward stored.
    maxPool2dBackward: withFallback('maxPool2dBackward', (g, _i, dx, s) => s.planes * s.inPlane >= MIN_ELEMENTS && allF32(g, dx), (g, indices, dx, s) => {
      withOperands(rt, [input(g, s.planes * s.outPlane), input(indices, s.planes * s.outPlane), inout(dx, s.planes * s.inPlane)], [], ([ag, ai, ad]) => {
        const per = Math.max(1, Math.floor(ITEM_ELEMENTS / s.inPlane));
        desc[DB_G] = ag!; desc[DB_IDX] = ai!; desc[DB_DX] = ad!; desc[DB_PLANES] = s.planes; desc[DB_IN] = s.inPlane; desc[DB_OUT] = s.outPlane;
        desc[DB_PER] = per;
        rt.run('maxPool2dBackwardF32Item', Math.ceil(s.planes / per), FLOPS_PER_ELEMENT * s.planes * s.inPlane);
      });
    }),
  };
}
