/**
 * Per-channel kernels for batch normalisation. Tensors are viewed as [n, c, inner] (N, C, spatial);
 * statistics run over n and inner for each channel, accumulated in float64.
 */
import type { FloatArray } from '../dtype.js';
import type { ChannelParams, ChannelView } from './types.js';

/** mean[c] and the biased variance[c] = mean((x − mean[c])²), in two passes (no cancellation). */
export function channelMoments(x: FloatArray, mean: Float64Array, variance: Float64Array, v: ChannelView): void {
  const { n, c, inner } = v;
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

/** out = x · scale[c] + shift[c] (x masked by reluMask when given), then (with `relu`) out > 0 or NaN ? out : 0 on the stored value. */
export function channelAffine(input: FloatArray, scale: Float64Array, shift: Float64Array, out: FloatArray, v: ChannelParams): void {
  const { n, c, inner } = v;
  const x = masked(input, v.reluMask);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const a = scale[ch]!;
      const s = shift[ch]!;
      for (let i = (b * c + ch) * inner, e = i + inner; i < e; i++) out[i] = x[i]! * a + s;
    }
  }
  if (v.relu) for (let i = 0; i < out.length; i++) out[i] = out[i]! > 0 || out[i] !== out[i] ? out[i]! : 0; // NaN stays NaN
}

/** g, or g·[mask > 0] copied into a new array (relu's backward, as the relu kernel computes it). */
function masked(g: FloatArray, mask: FloatArray | null | undefined): FloatArray {
  if (!mask) return g;
  const out = g instanceof Float64Array ? new Float64Array(g.length) : new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = mask[i]! <= 0 ? 0 : g[i]!; // as reluBackward: NaN passes
  return out;
}

/** sumG[c] = Σ g and sumGX[c] = Σ g · (x − center[c]), over n and inner. */
export function channelGradSums(
  upstream: FloatArray, x: FloatArray, center: Float64Array, sumG: Float64Array, sumGX: Float64Array, view: ChannelParams,
): void {
  const { n, c, inner } = view;
  const g = masked(upstream, view.reluMask);
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
  upstream: FloatArray, x: FloatArray, a: Float64Array, b: Float64Array, center: Float64Array, shift: Float64Array, out: FloatArray,
  view: ChannelParams,
): void {
  const { n, c, inner } = view;
  const g = masked(upstream, view.reluMask);
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
