/**
 * Small PNG datasets the data tests write into temporary folders (never downloads): change-detection
 * pairs in the LEVIR-CD layout and images with masks, with pixel values drawn from a seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Generator } from '@tessera/core';
import { encodeMaskPng, encodePng, ndarray, quantize } from '../src/index.js';

export interface Written {
  /** The images and masks as they read back (quantized to 8 bits). */
  images: Float32Array[];
  masks: Int32Array[];
}

function write(path: string, bytes: Uint8Array): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
}

/** Random (3, h, w) images quantized to 8 bits and (h, w) masks of `classes` (255 = ignore where -100). */
export function randomSample(g: Generator, h: number, w: number, classes: number): { image: Float32Array; mask: Int32Array } {
  const image = quantize(Float32Array.from({ length: 3 * h * w }, () => g.uniform()));
  const mask = Int32Array.from({ length: h * w }, () => g.integer(0, classes));
  return { image, mask };
}

/** `n` pairs named p0..p(n−1) in root/split/{A,B,label}; returns what a reader should see. */
export function writeLevir(root: string, split: string, n: number, h: number, w: number, seed = 0): Written & { images2: Float32Array[] } {
  const g = new Generator(seed);
  const out = { images: [] as Float32Array[], images2: [] as Float32Array[], masks: [] as Int32Array[] };
  for (let i = 0; i < n; i++) {
    const a = randomSample(g, h, w, 2);
    const b = randomSample(g, h, w, 2);
    write(join(root, split, 'A', `p${i}.png`), encodePng(ndarray(a.image, [3, h, w])));
    write(join(root, split, 'B', `p${i}.png`), encodePng(ndarray(b.image, [3, h, w])));
    write(join(root, split, 'label', `p${i}.png`), encodeMaskPng(ndarray(a.mask, [h, w]), { encoding: 'binary' }));
    out.images.push(a.image);
    out.images2.push(b.image);
    out.masks.push(a.mask);
  }
  return out;
}

/** `n` images with masks of `classes` (about 1 pixel in 8 ignored, stored as 255) in root/split/{images,masks}. */
export function writeSegmentation(root: string, split: string, n: number, h: number, w: number, classes: number, seed = 0): Written {
  const g = new Generator(seed);
  const out: Written = { images: [], masks: [] };
  for (let i = 0; i < n; i++) {
    const s = randomSample(g, h, w, classes);
    s.mask.forEach((_, k) => {
      if (g.uniform() < 0.125) s.mask[k] = -100;
    });
    write(join(root, split, 'images', `s${i}.png`), encodePng(ndarray(s.image, [3, h, w])));
    write(join(root, split, 'masks', `s${i}.png`), encodeMaskPng(ndarray(s.mask, [h, w]), { encoding: 'index', ignoreValue: 255 }));
    out.images.push(s.image);
    out.masks.push(s.mask);
  }
  return out;
}
