/**
 * Per-channel kernels for batch normalisation. Tensors are viewed as [n, c, inner] (N, C, spatial);
 * statistics run over n and inner for each channel, accumulated in float64.
 */
import type { FloatArray } from '../dtype.js';

/** mean[c] and the biased variance[c] = mean((x − mean[c])²), in two passes (no cancellation). */
export function channelMoments(x: FloatArray, n: number, c: number, inner: number, mean: Float64Array, variance: Float64Array): void {
  const count = n * inner;
  for (let ch = 0; ch < c; ch++) {
    let s = 0;
    for (let b = 0; b < n; b++) for (let i = (b * c + ch) * inner, e = i + inner; i < e; i++) s += x[i]!;
    const m = s / count;
    let q = 0;
    for (let b = 0; b < n; b++) {
      for (let i = (b * c + ch) * inner, e = i + inner; i < e; i++) {
        const d = x[i]! - m;
        q += d * d;
      }
    }
    mean[ch] = m;
    variance[ch] = q / count;
  }
}

/** out = x · scale[c] + shift[c]. */
export function channelAffine(x: FloatArray, n: number, c: number, inner: number, scale: Float64Array, shift: Float64Array, out: FloatArray): void {
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const a = scale[ch]!;
      const s = shift[ch]!;
      for (let i = (b * c + ch) * inner, e = i + inner; i < e; i++) out[i] = x[i]! * a + s;
    }
  }
}

/** sumG[c] = Σ g and sumGX[c] = Σ g · (x − center[c]), over n and inner. */
export function channelGradSums(
  g: FloatArray, x: FloatArray, n: number, c: number, inner: number, center: Float64Array, sumG: Float64Array, sumGX: Float64Array,
): void {
  sumG.fill(0);
  sumGX.fill(0);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const m = center[ch]!;
      let s = 0;
      let t = 0;
      for (let i = (b * c + ch) * inner, e = i + inner; i < e; i++) {
        const v = g[i]!;
        s += v;
        t += v * (x[i]! - m);
      }
      sumG[ch]! += s;
      sumGX[ch]! += t;
    }
  }
}

/** out = g · a[c] + (x − center[c]) · b[c] + shift[c]. */
export function channelCombine(
  g: FloatArray, x: FloatArray, n: number, c: number, inner: number,
  a: Float64Array, b: Float64Array, center: Float64Array, shift: Float64Array, out: FloatArray,
): void {
  for (let bi = 0; bi < n; bi++) {
    for (let ch = 0; ch < c; ch++) {
      const ga = a[ch]!;
      const xb = b[ch]!;
      const m = center[ch]!;
      const s = shift[ch]!;
      for (let i = (bi * c + ch) * inner, e = i + inner; i < e; i++) out[i] = g[i]! * ga + (x[i]! - m) * xb + s;
    }
  }
}
