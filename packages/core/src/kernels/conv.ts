/**
 * Convolution kernels: im2col (unfold) and its adjoint col2im (fold), for one image.
 *
 * Geometry, shared by both: an image of `c` channels and size h × w; a kernel kH × kW moved with
 * strides (sH, sW), dilations (dH, dW) and top/left padding (pH, pW) over outH × outW positions
 * (the bottom/right padding is implied by outH/outW, so asymmetric padding such as 'same' works).
 * The column matrix is [c·kH·kW, outH·outW], row (ci, ki, kj), column (oh, ow):
 *   col[(ci, ki, kj), (oh, ow)] = x[ci, oh·sH − pH + ki·dH, ow·sW − pW + kj·dW]   (0 outside the image)
 * Every row is a strided copy of image rows: the valid range of ow is computed once per (ki, kj), so
 * the inner loops have no bounds checks.
 */
import type { FloatArray } from '../dtype.js';
import type { Im2colGeometry } from './types.js';

/** First ow with ow·s + off ≥ 0, and one past the last with ow·s + off < size, both clamped to [0, out]. */
function validRange(off: number, s: number, size: number, out: number): [number, number] {
  const lo = off >= 0 ? 0 : Math.min(out, Math.ceil(-off / s));
  const hi = Math.max(lo, Math.min(out, Math.ceil((size - off) / s)));
  return [lo, hi];
}

/**
 * Writes every element of col ([c·kH·kW, outH·outW]) from x ([c, h, w]). With unit strides and
 * outW = w (a 'same'-size convolution, the common case) the valid rows of each col row-block are one
 * contiguous run of x: a single block copy (memcpy), then the few columns that wrapped in from the
 * neighbouring rows are zeroed.
 */
export function im2col(x: FloatArray, col: FloatArray, g: Im2colGeometry): void {
  const { c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW } = g;
  const plane = outH * outW;
  const block = sH === 1 && sW === 1 && outW === w;
  let row = 0;
  for (let ci = 0; ci < c; ci++) {
    const xc = ci * h * w;
    for (let ki = 0; ki < kH; ki++) {
      const offH = ki * dH - pH;
      const [ohLo, ohHi] = validRange(offH, sH, h, outH);
      for (let kj = 0; kj < kW; kj++, row++) {
        const offW = kj * dW - pW;
        const [lo, hi] = validRange(offW, sW, w, outW);
        const base = row * plane;
        col.fill(0, base, base + ohLo * outW);
        col.fill(0, base + ohHi * outW, base + plane);
        if (block && ohHi > ohLo) {
          const s0 = xc + (ohLo + offH) * w + offW;
          const a = Math.max(s0, 0);
          const b = Math.min(s0 + (ohHi - ohLo) * w, x.length);
          // Nothing to copy when the run lies wholly outside x (padding wider than the image): a negative
          // b would make subarray count from the end of x and copy stray values past the row block.
          if (b > a) col.set(x.subarray(a, b), base + ohLo * outW + (a - s0));
          if (lo === 0 && hi === outW) continue;
          for (let oh = ohLo, o = base + ohLo * outW; oh < ohHi; oh++, o += outW) {
            for (let ow = 0; ow < lo; ow++) col[o + ow] = 0;
            for (let ow = hi; ow < outW; ow++) col[o + ow] = 0;
          }
          continue;
        }
        for (let oh = ohLo, o = base + ohLo * outW; oh < ohHi; oh++, o += outW) {
          const src = xc + (oh * sH + offH) * w + offW;
          for (let ow = 0; ow < lo; ow++) col[o + ow] = 0;
          if (sW === 1) {
            for (let ow = lo; ow < hi; ow++) col[o + ow] = x[src + ow]!;
          } else {
            for (let ow = lo, p = src + lo * sW; ow < hi; ow++, p += sW) col[o + ow] = x[p]!;
          }
          for (let ow = hi; ow < outW; ow++) col[o + ow] = 0;
        }
      }
    }
  }
}

/** The adjoint of im2col: x[ci, ih, iw] += every col entry that im2col read from there. Accumulates into x. */
export function col2im(col: FloatArray, x: FloatArray, g: Im2colGeometry): void {
  const { c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW } = g;
  const plane = outH * outW;
  let row = 0;
  for (let ci = 0; ci < c; ci++) {
    const xc = ci * h * w;
    for (let ki = 0; ki < kH; ki++) {
      const offH = ki * dH - pH;
      const [ohLo, ohHi] = validRange(offH, sH, h, outH);
      for (let kj = 0; kj < kW; kj++, row++) {
        const offW = kj * dW - pW;
        const [lo, hi] = validRange(offW, sW, w, outW);
        for (let oh = ohLo, o = row * plane + ohLo * outW; oh < ohHi; oh++, o += outW) {
          const dst = xc + (oh * sH + offH) * w + offW;
          if (sW === 1) {
            for (let ow = lo; ow < hi; ow++) x[dst + ow]! += col[o + ow]!;
          } else {
            for (let ow = lo, p = dst + lo * sW; ow < hi; ow++, p += sW) x[p]! += col[o + ow]!;
          }
        }
      }
    }
  }
}
