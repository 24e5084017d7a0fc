/**
 * Pooling kernels over `planes` independent h × w planes (N·C of them), PyTorch's CPU loops:
 * window (oh, ow) starts at (oh·sH − pH, ow·sW − pW); positions outside the image are skipped.
 */
import type { FloatArray } from '../dtype.js';
import type { AvgPool2dParams, MaxPool2dParams } from './types.js';

/**
 * The dilated windows along one axis, as [first, end) per output position: first is the window's
 * first tap inside the image (start + j·d ≥ 0), end is one past its last tap, clipped to the image.
 */
function dilatedWindows(out: number, s: number, p: number, k: number, d: number, size: number): Int32Array {
  const win = new Int32Array(2 * out);
  for (let o = 0; o < out; o++) {
    let a = o * s - p;
    const b = Math.min(a + (k - 1) * d + 1, size);
    while (a < 0) a += d;
    win[2 * o] = a;
    win[2 * o + 1] = b;
  }
  return win;
}

/**
 * Max pooling with dilation. Writes the max of each window and its flat index ih·w + iw within the
 * plane. The first maximum in row-major window order wins ties; a NaN wins over numbers (the last
 * NaN, as PyTorch's `val > max || isnan(val)` scan). A window with no tap inside the image gives −∞
 * and the index of its first tap, as PyTorch.
 */
export function maxPool2d(x: FloatArray, out: FloatArray, indices: Int32Array, win: MaxPool2dParams): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, dH, dW, outH, outW } = win;
  if (kH === 2 && kW === 2 && dH === 1 && dW === 1 && pH === 0 && pW === 0 && (outH - 1) * sH + 2 <= h && (outW - 1) * sW + 2 <= w) {
    maxPool2x2(x, planes, h, w, sH, sW, outH, outW, out, indices);
    return;
  }
  const rows = dilatedWindows(outH, sH, pH, kH, dH, h);
  const cols = dilatedWindows(outW, sW, pW, kW, dW, w);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = rows[2 * oh]!;
      const h1 = rows[2 * oh + 1]!;
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = cols[2 * ow]!;
        const w1 = cols[2 * ow + 1]!;
        let best = -Infinity;
        let bi = h0 * w + w0;
        for (let ih = h0; ih < h1; ih += dH) {
          for (let i = ih * w + w0, e = ih * w + w1; i < e; i += dW) {
            const v = x[xp + i]!;
            if (v > best || v !== v) {
              best = v;
              bi = i;
            }
          }
        }
        out[o] = best;
        indices[o] = bi;
      }
    }
  }
}

/** The 2×2 windows of maxPool2d without padding or dilation, all inside the image (the U-Net's pool), unrolled. */
function maxPool2x2(
  x: FloatArray, planes: number, h: number, w: number, sH: number, sW: number,
  outH: number, outW: number, out: FloatArray, indices: Int32Array,
): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const row = oh * sH * w;
      for (let ow = 0; ow < outW; ow++, o++) {
        const i = row + ow * sW;
        let best = x[xp + i]!;
        let bi = i;
        let v = x[xp + i + 1]!;
        let c = v > best || v !== v;
        best = c ? v : best;
        bi = c ? i + 1 : bi;
        v = x[xp + i + w]!;
        c = v > best || v !== v;
        best = c ? v : best;
        bi = c ? i + w : bi;
        v = x[xp + i + w + 1]!;
        c = v > best || v !== v;
        out[o] = c ? v : best;
        indices[o] = c ? i + w + 1 : bi;
      }
    }
  }
}

/** dx[p, indices[p, j]] += grad[p, j]; accumulates into dx (planes of inPlane elements). */
export function maxPool2dBackward(grad: FloatArray, indices: Int32Array, dx: FloatArray, sizes: { planes: number; inPlane: number; outPlane: number }): void {
  const { planes, inPlane, outPlane } = sizes;
  for (let p = 0, o = 0; p < planes; p++) {
    const base = p * inPlane;
    for (let j = 0; j < outPlane; j++, o++) {
      const i = indices[o]!;
      if (i >= 0 && i < inPlane) dx[base + i]! += grad[o]!;
    }
  }
}

/**
 * The windows along one axis, as [start, end, padded length] per output position: start and end
 * clipped to the image, the padded length clipped to the padded image (PyTorch's pool_size factor).
 */
function windows(out: number, s: number, p: number, k: number, size: number): Int32Array {
  const win = new Int32Array(3 * out);
  for (let o = 0; o < out; o++) {
    const a = o * s - p;
    const b = Math.min(a + k, size + p);
    win[3 * o] = Math.max(a, 0);
    win[3 * o + 1] = Math.min(b, size);
    win[3 * o + 2] = b - a;
  }
  return win;
}

/**
 * Average pooling: out = (sum of the window inside the image) / divisor, with divisor =
 * divisorOverride if ≠ 0, else the window clipped to the padded image (countIncludePad) or to the
 * image itself. An empty window gives 0. With `backward`, the adjoint instead: each window element
 * of dx gets grad / divisor (accumulated into dx).
 */
function avgPool(backward: boolean, src: FloatArray, dst: FloatArray, params: AvgPool2dParams): void {
  const { planes, h, w, kH, kW, sH, sW, pH, pW, outH, outW, countIncludePad, divisorOverride } = params;
  const rows = windows(outH, sH, pH, kH, h);
  const cols = windows(outW, sW, pW, kW, w);
  for (let p = 0, o = 0; p < planes; p++) {
    const xp = p * h * w;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = rows[3 * oh]!, h1 = rows[3 * oh + 1]!, hPad = rows[3 * oh + 2]!;
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = cols[3 * ow]!, w1 = cols[3 * ow + 1]!, wPad = cols[3 * ow + 2]!;
        if (h0 >= h1 || w0 >= w1) {
          if (!backward) dst[o] = 0;
          continue;
        }
        const div = divisorOverride !== 0 ? divisorOverride : countIncludePad ? hPad * wPad : (h1 - h0) * (w1 - w0);
        if (backward) {
          const g = src[o]! / div;
          for (let ih = h0; ih < h1; ih++) for (let i = xp + ih * w + w0, e = xp + ih * w + w1; i < e; i++) dst[i]! += g;
        } else {
          let s = 0;
          for (let ih = h0; ih < h1; ih++) for (let i = xp + ih * w + w0, e = xp + ih * w + w1; i < e; i++) s += src[i]!;
          dst[o] = s / div;
        }
      }
    }
  }
}

/** Average pooling of x ([planes, h, w]) into out ([planes, outH, outW]); see avgPool. */
export function avgPool2d(x: FloatArray, out: FloatArray, win: AvgPool2dParams): void {
  avgPool(false, x, out, win);
}

/** The adjoint of avgPool2d: each window element gets grad / divisor. Accumulates into dx. */
export function avgPool2dBackward(grad: FloatArray, dx: FloatArray, win: AvgPool2dParams): void {
  avgPool(true, grad, dx, win);
}
