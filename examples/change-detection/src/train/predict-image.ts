/**
 * Prediction on a pair of images of any size: reflect-pad to the multiple the model needs, run the
 * model, crop back, threshold p(change); plus the overlay shown to people.
 */
import { noGrad, Tensor } from '@tessera/core';
import type { Segmenter } from './model.js';

/** Mirror index (…, 2, 1, 0, 1, 2, …, n−1, n−2, …) of i for a dim of size n; any i ≥ 0. */
function mirror(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const k = i % period;
  return k < n ? k : period - k;
}

/** Pads a CHW image at the bottom and right, by reflection, to (height2, width2). */
export function reflectPad(data: Float32Array, channels: number, height: number, width: number, height2: number, width2: number): Float32Array {
  const out = new Float32Array(channels * height2 * width2);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height2; y++) {
      const sy = mirror(y, height);
      for (let x = 0; x < width2; x++) out[(c * height2 + y) * width2 + x] = data[(c * height + sy) * width + mirror(x, width)]!;
    }
  }
  return out;
}

/** The smallest multiple of m that is ≥ n. */
export const roundUp = (n: number, m: number): number => Math.ceil(n / m) * m;

/**
 * p(change) per pixel, (height·width), for one pair of CHW images of the same size. The images are
 * padded to multiples of `multiple` and the result cropped back.
 */
export function changeProbability(model: Segmenter, t1: Float32Array, t2: Float32Array, height: number, width: number, multiple: number): Float32Array {
  const h2 = roundUp(height, multiple);
  const w2 = roundUp(width, multiple);
  const a = new Tensor(reflectPad(t1, 3, height, width, h2, w2), [1, 3, h2, w2]);
  const b = new Tensor(reflectPad(t2, 3, height, width, h2, w2), [1, 3, h2, w2]);
  model.eval();
  const logits = noGrad(() => model.forward(a, b)).data;
  const hw2 = h2 * w2;
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const k = y * w2 + x;
      out[y * width + x] = 1 / (1 + Math.exp(logits[k]! - logits[hw2 + k]!));
    }
  }
  return out;
}

/** 1 where p ≥ threshold. */
export function threshold(p: Float32Array, t: number): Int32Array {
  return Int32Array.from(p, (v) => (v >= t ? 1 : 0));
}

/** The t2 image with predicted change tinted red (half-transparent). */
export function overlay(image: Float32Array, mask: Int32Array, { alpha = 0.55, color = [1, 0.1, 0.05] } = {}): Float32Array {
  const n = mask.length;
  const out = image.slice();
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    for (let c = 0; c < 3; c++) out[c * n + i] = (1 - alpha) * image[c * n + i]! + alpha * color[c]!;
  }
  return out;
}
