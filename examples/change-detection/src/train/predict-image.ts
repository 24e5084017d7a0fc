/**
 * Prediction on a pair of images of any size: reflect-pad to the multiple the model needs, run the
 * model (on overlapping tiles, blended, when the image is larger than a tile), crop back,
 * threshold p(change); plus the overlay shown to people.
 */
import { noGrad, Tensor } from '@tessera/core';
import { blendTiles, crop, ndarray } from '@tessera/data';
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

export interface ProbabilityOptions {
  /** Height and width must be multiples of this (2^depth). */
  multiple: number;
  /** Tile side (a multiple of `multiple`); an image larger than one tile is predicted tile by tile. */
  tile?: number;
  /** Pixels shared by neighbouring tiles (default tile / 4); their predictions are blended there. */
  overlap?: number;
}

/** p(change) of one (3, h, w) pair, h and w multiples of the model's, in one forward pass. */
function wholeImage(model: Segmenter, t1: Float32Array, t2: Float32Array, h: number, w: number): Float32Array {
  const logits = noGrad(() => model.forward(new Tensor(t1, [1, 3, h, w]), new Tensor(t2, [1, 3, h, w]))).data;
  const hw = h * w;
  return Float32Array.from({ length: hw }, (_, k) => 1 / (1 + Math.exp(logits[k]! - logits[hw + k]!)));
}

/**
 * p(change) per pixel, (height·width), for one pair of CHW images of the same size. The images are
 * padded to multiples of `multiple` (and to at least a tile) and the result cropped back.
 */
export function changeProbability(model: Segmenter, t1: Float32Array, t2: Float32Array, height: number, width: number, o: ProbabilityOptions): Float32Array {
  const tile = o.tile ?? Number.POSITIVE_INFINITY;
  const tiled = height > tile || width > tile;
  const h2 = tiled ? Math.max(tile, roundUp(height, o.multiple)) : roundUp(height, o.multiple);
  const w2 = tiled ? Math.max(tile, roundUp(width, o.multiple)) : roundUp(width, o.multiple);
  const a = reflectPad(t1, 3, height, width, h2, w2);
  const b = reflectPad(t2, 3, height, width, h2, w2);
  model.eval();
  let p: Float32Array;
  if (!tiled) p = wholeImage(model, a, b, h2, w2);
  else {
    const stride = tile - (o.overlap ?? Math.floor(tile / 4));
    const cut = (x: Float32Array, top: number, left: number): Float32Array => crop(ndarray(x, [3, h2, w2]), top, left, tile, tile).data;
    p = blendTiles(h2, w2, 1, { size: tile, stride }, (top, left) => wholeImage(model, cut(a, top, left), cut(b, top, left), tile, tile));
  }
  const out = new Float32Array(height * width);
  for (let y = 0; y < height; y++) out.set(p.subarray(y * w2, y * w2 + width), y * width);
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
