/**
 * Resampling along one axis, the building block of separable interpolation (nearest and bilinear
 * are both a pass along H, then a pass along W). x is viewed as [outer, inSize, inner], out as
 * [outer, outSize, inner]:
 *   out[o, j, k] = w0[j] · x[o, i0[j], k] + w1[j] · x[o, i1[j], k]
 * The source indices and weights are computed by the op (they hold the interpolation mode's
 * semantics); where w1[j] is 0 the second term is skipped, so nearest copies values exactly.
 */
import type { FloatArray } from '../dtype.js';
import type { Resample1dParams } from './types.js';

export function resample1d(x: FloatArray, out: FloatArray, p: Resample1dParams): void {
  const { outer, inSize, inner, outSize, i0, i1, w0, w1 } = p;
  if (isCopy(w0, w1)) {
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
        const b = w1[j]!;
        const v = w0[j]! * x[src + i0[j]!]!;
        out[dst + j] = b === 0 ? v : v + b * x[src + i1[j]!]!;
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
      if (b === 0) for (let k = 0; k < inner; k++) out[d + k] = a * x[s0 + k]!;
      else for (let k = 0; k < inner; k++) out[d + k] = a * x[s0 + k]! + b * x[s1 + k]!;
    }
  }
}

/** True when every output copies one input (w0 = 1, w1 = 0): nearest, or an axis that keeps its size. */
function isCopy(w0: Float64Array, w1: Float64Array): boolean {
  for (let j = 0; j < w0.length; j++) if (w0[j] !== 1 || w1[j] !== 0) return false;
  return true;
}

/** The adjoint of resample1d: dx[o, i0[j], k] += w0[j]·g[o, j, k] and likewise for i1, w1. Accumulates into dx. */
export function resample1dBackward(g: FloatArray, dx: FloatArray, p: Resample1dParams): void {
  const { outer, inSize, inner, outSize, i0, i1, w0, w1 } = p;
  const copy = isCopy(w0, w1);
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
      if (b !== 0) for (let k = 0; k < inner; k++) dx[s1 + k]! += b * g[d + k]!;
    }
  }
}
