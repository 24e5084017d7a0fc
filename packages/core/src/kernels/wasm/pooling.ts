/**
 * maxPool2d of the wasm backend for its common case, 2×2 windows with stride 2, no padding or
 * dilation (assembly/pooling.ts): the same values and indices as the js kernel, 4 windows per
 * f32x4 step. Other geometries, float64 and small inputs go to the js kernel.
 */
import { jsKernels } from '../js.js';
import type { Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many input elements the js kernel is as fast as staging the operands. */
const MIN_ELEMENTS = 4096;

export function createWasmPooling(rt: WasmRuntime): Pick<Kernels, 'maxPool2d'> {
  const pool = rt.fn<(...args: number[]) => undefined>('maxPool2x2F32');
  return {
    maxPool2d(x, planes, h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW, out, indices) {
      const n = planes * h * w;
      const fits = kH === 2 && kW === 2 && sH === 2 && sW === 2 && pH === 0 && pW === 0 && dH === 1 && dW === 1
        && 2 * outH <= h && 2 * outW <= w;
      if (!fits || n < MIN_ELEMENTS || !(x instanceof Float32Array) || !(out instanceof Float32Array)) {
        jsKernels.maxPool2d(x, planes, h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW, out, indices);
        return;
      }
      const m = planes * outH * outW;
      const [ax, ao, ai] = rt.stage([n, m, m]) as [number, number, number];
      const heap = rt.f32();
      heap.set(x, ax >> 2);
      pool(ax, planes, h, w, outH, outW, ao, ai);
      out.set(heap.subarray(ao >> 2, (ao >> 2) + m));
      indices.set(new Int32Array(heap.buffer, ai, m));
    },
  };
}
