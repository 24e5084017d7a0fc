/**
 * Resampling along one axis, the building block of separable interpolation (nearest and bilinear
 * are both a pass along H, then a pass along W). x is viewed as [outer, inSize, inner], out as
 * [outer, outSize, inner]:
 *   out[o, j, k] = w0[j] · x[o, i0[j], k] + w1[j] · x[o, i1[j], k]
 * The source indices and weights are computed by the op (they hold the interpolation mode's
 * semantics). Both terms are computed even where w1[j] is 0, as PyTorch's linear kernels do, so a NaN
 * or ∞ at a tap of weight 0 gives NaN there as in PyTorch. An axis where every output copies one input
 * (i1 = i0, w0 = 1, w1 = +0: nearest) is a copy; bilinear keeping an axis's size marks it w1 = −0,
 * since PyTorch computes x·1 + x·0 there (∞ gives NaN).
 */
import type { FloatArray } from '../dtype.js';
import type { Resample1dParams } from './types.js';

export function resample1d(x: FloatArray, out: FloatArray, p: Resample1dParams): void {
  const { outer, inSize, inner, outSize, i0, i1, w0, w1 } = p;
  if (isCopy(p)) {
    // Nearest: a gather of elements (inner = 1) or of whole rows (a native block copy).
    for (let o = 0; o < outer; o++) {
      const src = o * inSize;
      const dst = o * outSize;
      if (inner === 1) {
        for (let j = 0; j < outSize; j++) out[dst + j] = x[src + i0[j]!]!;
      } else {
        for (let j = 0; j < outSize; j++) {
          const s0 = (src + i0[j]!) * inner;
          out.set(x.subarray(s0, s0 + inner), (dst + j) * inner);
        }
      }
    }
    return;
  }
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const src = o * inSize;
      const dst = o * outSize;
      for (let j = 0; j < outSize; j++) {
        out[dst + j] = w0[j]! * x[src + i0[j]!]! + w1[j]! * x[src + i1[j]!]!;
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < outSize; j++) {
      const a = w0[j]!;
      const b = w1[j]!;
      const s0 = (o * inSize + i0[j]!) * inner;
      const s1 = (o * inSize + i1[j]!) * inner;
      const d = (o * outSize + j) * inner;
      for (let k = 0; k < inner; k++) out[d + k] = a * x[s0 + k]! + b * x[s1 + k]!;
    }
  }
}

/** True when every output copies one input (i1 = i0, w0 = 1, w1 = +0; not −0, see the file comment): nearest. */
export function isCopy(p: Pick<Resample1dParams, 'i0' | 'i1' | 'w0' | 'w1'>): boolean {
  const { i0, i1, w0, w1 } = p;
  for (let j = 0; j < w0.length; j++) if (w0[j] !== 1 || !Object.is(w1[j], 0) || i1[j] !== i0[j]) return false;
  return true;
}

/** The adjoint of resample1d: dx[o, i0[j], k] += w0[j]·g[o, j, k] and likewise for i1, w1. Accumulates into dx. */
export function resample1dBackward(g: FloatArray, dx: FloatArray, p: Resample1dParams): void {
  const { outer, inSize, inner, outSize, i0, i1, w0, w1 } = p;
  const copy = isCopy(p);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const src = o * inSize;
      const dst = o * outSize;
      if (copy) for (let j = 0; j < outSize; j++) dx[src + i0[j]!]! += g[dst + j]!;
      else {
        for (let j = 0; j < outSize; j++) {
          const v = g[dst + j]!;
          dx[src + i0[j]!]! += w0[j]! * v;
          dx[src + i1[j]!]! += w1[j]! * v;
        }
      }
    }
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < outSize; j++) {
      const a = w0[j]!;
      const b = w1[j]!;
      const s0 = (o * inSize + i0[j]!) * inner;
      const s1 = (o * inSize + i1[j]!) * inner;
      const d = (o * outSize + j) * inner;
      for (let k = 0; k < inner; k++) dx[s0 + k]! += a * g[d + k]!;
      if (!copy) for (let k = 0; k < inner; k++) dx[s1 + k]! += b * g[d + k]!;
    }
  }
}
