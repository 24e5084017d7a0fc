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

export function createWasmPooling(rt: WasmRuntime): Pick<Kernels, 'maxPool2d'> {
  const pool = rt.fn<(...args: number[]) => undefined>('maxPool2x2F32');
  return {
    maxPool2d: withFallback('maxPool2d', (x, out, _indices, p) => fits(p) && allF32(x, out), (x, out, indices, p) => {
      const m = p.planes * p.outH * p.outW;
      withOperands(rt, [input(x, p.planes * p.h * p.w), output(out, m), output(indices, m)], [], ([ax, ao, ai]) => {
        pool(ax!, p.planes, p.h, p.w, p.outH, p.outW, ao!, ai!);
      });
    }),
  };
}
