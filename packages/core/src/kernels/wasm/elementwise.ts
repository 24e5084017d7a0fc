/**
 * The memory-bound float32 kernels of the wasm backend (assembly/elementwise.ts): relu, neg, abs,
 * sign, relu's backward, same-shape add/sub/mul, nearest resampling. Plain JavaScript loops over
 * typed arrays run them at 2–8 ns an element here (relu's and sign's data-dependent branches
 * mispredict on real activations); the wasm versions are branch-free f32x4 loops, and staging the
 * operands in wasm memory (a memcpy each way) costs less than that. They compute exactly what the js kernels compute. Other ops,
 * float64 arrays and small arrays go to the js kernels.
 */
import type { FloatArray, TypedArray } from '../../dtype.js';
import { jsKernels } from '../js.js';
import type { BinaryKernelOp, Kernels, UnaryKernelOp } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many elements the js kernel is as fast as staging the operands. */
const MIN_ELEMENTS = 2048;

type Fn = (...args: number[]) => undefined;

/** Op codes of assembly/elementwise.ts; other ops go to the js kernels. */
const UNARY_CODES: Partial<Record<UnaryKernelOp, number>> = { relu: 0, neg: 1, abs: 2, sign: 3 };
const BINARY_CODES: Partial<Record<BinaryKernelOp, number>> = { add: 0, sub: 1, mul: 2 };

export function createWasmElementwise(rt: WasmRuntime): Pick<Kernels, 'unary' | 'reluBackward' | 'binary' | 'resample1d' | 'resample1dBackward'> {
  const unary = rt.fn<Fn>('unaryF32');
  const reluBackward = rt.fn<Fn>('reluBackwardF32');
  const binary = rt.fn<Fn>('binaryF32');
  const resample = rt.fn<Fn>('resampleCopyF32');
  const resampleBackward = rt.fn<Fn>('resampleCopyBackwardF32');

  /** Copies the arrays (null: space only) to the staging area; returns their addresses. */
  function stage(arrays: readonly (TypedArray | null)[], lengths: readonly number[]): number[] {
    const at = rt.stage(lengths);
    const heap = rt.f32();
    arrays.forEach((a, i) => {
      if (a instanceof Int32Array) new Int32Array(heap.buffer).set(a, at[i]! >> 2);
      else if (a) heap.set(a, at[i]! >> 2);
    });
    return at;
  }

  const back = (out: FloatArray | TypedArray, at: number): void => {
    (out as Float32Array).set(rt.f32().subarray(at >> 2, (at >> 2) + out.length));
  };
  const isF32 = (...arrays: TypedArray[]): boolean => arrays.every((a) => a instanceof Float32Array);
  /** Whether resampling only copies (w0 = 1, w1 = 0), and whether idx is the ×2 pattern j >> 1. */
  function copyPattern(i0: Int32Array, w0: Float64Array, w1: Float64Array, inSize: number, outSize: number): { copy: boolean; double: boolean } {
    let double = outSize === 2 * inSize;
    for (let j = 0; j < outSize; j++) {
      if (w0[j] !== 1 || w1[j] !== 0 || !(i0[j]! >= 0 && i0[j]! < inSize)) return { copy: false, double: false };
      if (i0[j] !== j >> 1) double = false;
    }
    return { copy: true, double };
  }

  return {
    unary(op, x, out) {
      const code = UNARY_CODES[op];
      if (code === undefined || x.length < MIN_ELEMENTS || !isF32(x, out)) { jsKernels.unary(op, x, out); return; }
      const [ax, ao] = stage([x, null], [x.length, x.length]) as [number, number];
      unary(code, ax, ao, x.length);
      back(out, ao);
    },

    reluBackward(grad, x, out) {
      if (x.length < MIN_ELEMENTS || !isF32(grad, x, out)) { jsKernels.reluBackward(grad, x, out); return; }
      const [ag, ax, ao] = stage([grad, x, null], [x.length, x.length, x.length]) as [number, number, number];
      reluBackward(ag, ax, ao, x.length);
      back(out, ao);
    },

    binary(op, a, aShape, b, bShape, out, outShape) {
      const n = out.length;
      const code = BINARY_CODES[op];
      if (code === undefined || n < MIN_ELEMENTS || a.length !== n || b.length !== n || !isF32(a, b, out)) {
        jsKernels.binary(op, a, aShape, b, bShape, out, outShape);
        return;
      }
      const [aa, ab, ao] = stage([a, b, null], [n, n, n]) as [number, number, number];
      binary(code, aa, ab, ao, n);
      back(out, ao);
    },

    resample1d(x, outer, inSize, inner, outSize, i0, i1, w0, w1, out) {
      const p = x.length >= MIN_ELEMENTS && isF32(x, out) ? copyPattern(i0, w0, w1, inSize, outSize) : null;
      if (!p?.copy) { jsKernels.resample1d(x, outer, inSize, inner, outSize, i0, i1, w0, w1, out); return; }
      const [ax, ai, ao] = stage([x, i0, null], [outer * inSize * inner, outSize, out.length]) as [number, number, number];
      resample(ax, outer, inSize, inner, outSize, ai, p.double ? 1 : 0, ao);
      back(out, ao);
    },

    resample1dBackward(g, outer, inSize, inner, outSize, i0, i1, w0, w1, dx) {
      const p = g.length >= MIN_ELEMENTS && isF32(g, dx) ? copyPattern(i0, w0, w1, inSize, outSize) : null;
      if (!p?.copy) { jsKernels.resample1dBackward(g, outer, inSize, inner, outSize, i0, i1, w0, w1, dx); return; }
      const [ag, ai, ad] = stage([g, i0, dx], [outer * outSize * inner, outSize, outer * inSize * inner]) as [number, number, number];
      resampleBackward(ag, outer, inSize, inner, outSize, ai, p.double ? 1 : 0, ad);
      back(dx, ad);
    },
  };
}
