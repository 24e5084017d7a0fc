/**
 * Batch-normalisation kernels of the wasm backend (assembly/norm.ts) for float32 tensors:
 * statistics and coefficients stay float64 as in the js kernels; affine and combine equal them bit
 * for bit. The op calls them in pairs on the same arrays with nothing in between (moments then
 * affine on x; gradSums then combine on grad and x), so the second call of a pair reuses the
 * arrays the first staged, once. Float64 and small tensors go to the js kernels.
 */
import type { FloatArray } from '../../dtype.js';
import { jsKernels } from '../js.js';
import type { Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many elements the js kernels are as fast as staging the operands. */
const MIN_ELEMENTS = 4096;
type Fn = (...args: number[]) => undefined;

export function createWasmNorm(rt: WasmRuntime): Pick<Kernels, 'channelMoments' | 'channelAffine' | 'channelGradSums' | 'channelCombine'> {
  const moments = rt.fn<Fn>('channelMomentsF32');
  const affine = rt.fn<Fn>('channelAffineF32');
  const gradSums = rt.fn<Fn>('channelGradSumsF32');
  const combine = rt.fn<Fn>('channelCombineF32');

  /** What the first call of a pair staged, for the second (used once). */
  // Strong references (a WeakRef keeps its target alive until the end of the current job, i.e. a
  // whole synchronous training loop); at most one pair's arrays are held.
  let resident: { a: Float32Array; b: Float32Array | null; mask: Float32Array | null; count: number; at: number[] } | null = null;

  /**
   * Stages a (and b, and a relu mask) unless the previous call of the pair did; returns the
   * addresses of a, b, the output, 4 float64 arrays of c values (coefficients in, sums out) and the
   * mask (0 without one).
   */
  function stage(a: Float32Array, b: Float32Array | null, c: number, mask: Float32Array | null = null): number[] {
    const r = resident;
    resident = null;
    if (r && r.count === rt.stageCount && r.a === a && r.b === b && r.mask === mask) return r.at;
    const at = rt.stage([a.length, b ? b.length : 0, a.length, 8 * c, mask ? mask.length : 0]);
    const heap = rt.f32();
    heap.set(a, at[0]! >> 2);
    if (b) heap.set(b, at[1]! >> 2);
    if (mask) heap.set(mask, at[4]! >> 2);
    else at[4] = 0;
    return at;
  }
  const keep = (a: Float32Array, b: Float32Array | null, at: number[], mask: Float32Array | null = null): void => {
    resident = { a, b, mask, count: rt.stageCount, at };
  };
  /** Float64 views of the 4 coefficient arrays. */
  const coefficients = (at: number[], c: number): Float64Array[] =>
    [0, 1, 2, 3].map((i) => new Float64Array(rt.memory.buffer, at[3]! + 8 * c * i, c));
  const ok = (...arrays: (FloatArray | null | undefined)[]): boolean =>
    arrays[0]!.length >= MIN_ELEMENTS && arrays.every((a) => !a || a instanceof Float32Array);

  return {
    channelMoments(x, n, c, inner, mean, variance) {
      if (!ok(x)) { jsKernels.channelMoments(x, n, c, inner, mean, variance); return; }
      const at = stage(x as Float32Array, null, c);
      const [m, v] = coefficients(at, c) as [Float64Array, Float64Array];
      moments(at[0]!, n, c, inner, m.byteOffset, v.byteOffset);
      mean.set(m);
      variance.set(v);
      keep(x as Float32Array, null, at);
    },

    channelAffine(x, n, c, inner, scale, shift, out, options = {}) {
      const mask = (options.reluMask ?? null) as Float32Array | null;
      if (!ok(x, out, mask)) { jsKernels.channelAffine(x, n, c, inner, scale, shift, out, options); return; }
      const at = stage(x as Float32Array, null, c, mask);
      const [a, s] = coefficients(at, c) as [Float64Array, Float64Array];
      a.set(scale);
      s.set(shift);
      affine(at[0]!, n, c, inner, a.byteOffset, s.byteOffset, at[2]!, options.relu ? 1 : 0, at[4]!);
      out.set(rt.f32().subarray(at[2]! >> 2, (at[2]! >> 2) + out.length));
    },

    channelGradSums(g, x, n, c, inner, center, sumG, sumGX, options = {}) {
      const mask = (options.reluMask ?? null) as Float32Array | null;
      if (!ok(g, x, mask)) { jsKernels.channelGradSums(g, x, n, c, inner, center, sumG, sumGX, options); return; }
      const at = stage(g as Float32Array, x as Float32Array, c, mask);
      const [m, sg, sgx] = coefficients(at, c) as [Float64Array, Float64Array, Float64Array];
      m.set(center);
      gradSums(at[0]!, at[1]!, n, c, inner, m.byteOffset, sg.byteOffset, sgx.byteOffset, at[4]!);
      sumG.set(sg);
      sumGX.set(sgx);
      keep(g as Float32Array, x as Float32Array, at, mask);
    },

    channelCombine(g, x, n, c, inner, a, b, center, shift, out, options = {}) {
      const mask = (options.reluMask ?? null) as Float32Array | null;
      if (!ok(g, x, out, mask)) { jsKernels.channelCombine(g, x, n, c, inner, a, b, center, shift, out, options); return; }
      const at = stage(g as Float32Array, x as Float32Array, c, mask);
      const [va, vb, vm, vs] = coefficients(at, c) as [Float64Array, Float64Array, Float64Array, Float64Array];
      va.set(a); vb.set(b); vm.set(center); vs.set(shift);
      combine(at[0]!, at[1]!, n, c, inner, va.byteOffset, vb.byteOffset, vm.byteOffset, vs.byteOffset, at[2]!, at[4]!);
      out.set(rt.f32().subarray(at[2]! >> 2, (at[2]! >> 2) + out.length));
    },
  };
}
