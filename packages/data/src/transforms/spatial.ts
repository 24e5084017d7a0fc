/**
 * Spatial augmentations, applied the same way to every image and mask of a sample (every array
 * field of rank ≥ 2: their last two dims are H and W), so a pair stays aligned with its mask.
 * Each draws from the generator it is handed, so the DataLoader's per-sample generators make them
 * reproducible. Other fields (names, numbers) pass through.
 *
 * @example
 * const augment = compose(randomHorizontalFlip(), randomVerticalFlip(), randomRot90(), randomCrop({ size: 64 }));
 * const ds = new TransformDataset(folder, augment);
 * // torchvision.transforms.v2: Compose([RandomHorizontalFlip(), RandomVerticalFlip(), RandomCrop(64)]) on image and mask together
 */
import type { Generator } from '@tessera/core';
import type { Transform } from '../dataset.js';
import { isNdArray, spatialSize, type NdArray, type Sample } from '../sample.js';
import { crop, flip, rot90 } from './planes.js';

function mapArrays<S extends Sample>(sample: S, f: (a: NdArray) => NdArray): S {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sample)) out[k] = isNdArray(v) && v.shape.length >= 2 ? f(v) : v;
  return out as S;
}

function probability(op: string, p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`${op}: p must be in [0, 1], got ${p}`);
  return p;
}

/** Mirrors left–right with probability p (default 0.5), as torchvision's RandomHorizontalFlip. */
export function randomHorizontalFlip<S extends Sample>(options: { p?: number } = {}): Transform<S> {
  const p = probability('randomHorizontalFlip', options.p ?? 0.5);
  return (s: S, g: Generator) => (g.uniform() < p ? mapArrays(s, (a) => flip(a, true)) : s);
}

/** Mirrors top–bottom with probability p (default 0.5), as torchvision's RandomVerticalFlip. */
export function randomVerticalFlip<S extends Sample>(options: { p?: number } = {}): Transform<S> {
  const p = probability('randomVerticalFlip', options.p ?? 0.5);
  return (s: S, g: Generator) => (g.uniform() < p ? mapArrays(s, (a) => flip(a, false)) : s);
}

/** Rotates by k·90° with k uniform in {0, 1, 2, 3} (a non-square sample swaps H and W). */
export function randomRot90<S extends Sample>(): Transform<S> {
  return (s: S, g: Generator) => {
    const k = g.integer(0, 4);
    return k === 0 ? s : mapArrays(s, (a) => rot90(a, k));
  };
}

/** A size×size (or [height, width]) window at a uniform position, as torchvision's RandomCrop. */
export function randomCrop<S extends Sample>(options: { size: number | readonly [number, number] }): Transform<S> {
  const [ch, cw] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  if (!Number.isInteger(ch) || !Number.isInteger(cw) || ch < 1 || cw < 1) {
    throw new Error(`randomCrop: size must be a positive integer or a pair of them, got ${JSON.stringify(options.size)}`);
  }
  return (s: S, g: Generator) => {
    const [h, w] = spatialSize(s, 'randomCrop');
    if (ch > h || cw > w) throw new Error(`randomCrop: the crop ${ch}×${cw} is larger than the sample, ${h}×${w}`);
    const top = g.integer(0, h - ch + 1);
    const left = g.integer(0, w - cw + 1);
    return mapArrays(s, (a) => crop(a, top, left, ch, cw));
  };
}

/** Applies the transforms in order, each with the same generator (so their draws follow one another). */
export function compose<S>(...transforms: Transform<S>[]): Transform<S> {
  return (s: S, g: Generator) => transforms.reduce((acc, t) => t(acc, g), s);
}
