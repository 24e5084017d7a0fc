/**
 * The land-cover data: the change-detection example's synthetic aerial scenes (fields, forest,
 * soil, roads, buildings, trees, water; rendered, blurred by the optics, lit, colour-balanced and
 * noised by one acquisition), labelled with five classes whose frequencies are very unequal:
 *
 *   0 vegetation (grass, crops, forest, trees)  ≈ 71 %      3 road (roads and paved lots)  ≈ 6.5 %
 *   1 bare soil                                 ≈ 12 %      4 water                        ≈ 1.5 %
 *   2 building                                  ≈ 9 %
 *
 * (shares of the labelled pixels of the default splits; per split in docs/land-cover.md). The optics'
 * blur mixes the colours of two classes where they meet, so the border is uncertain: the pixel on
 * the commoner class's side of every 4-neighbour class boundary is labelled IGNORE (255) and counts
 * nowhere (no loss, no metric, no class weight).
 */
import { Generator } from '@tessera/core';
import { ndarray, TensorDataset, type Dataset, type NdArray } from '@tessera/data';
import { acquire, drawAcquisitions, generateScene, pairSeed, render, type Rect, type Scene, type SplitName } from '@tessera/example-change-detection/kit';

export const CLASSES = ['vegetation', 'bare soil', 'building', 'road', 'water'] as const;
export const NUM_CLASSES = CLASSES.length;
export const IGNORE = 255;

export type LandCoverSample = { image: NdArray<Float32Array>; mask: NdArray<Int32Array> };

/** A split: its images and masks as a dataset, with the counts the setup and the class weights need. */
export interface Split {
  images: Dataset<LandCoverSample>;
  /** All masks, (n, size, size) int32, for classWeights. */
  masks: NdArray<Int32Array>;
  /** Labelled pixels per class. */
  counts: number[];
  /** Pixels labelled IGNORE. */
  ignored: number;
  size: number;
}

function fill(label: Uint8Array, size: number, r: Rect, value: number): void {
  for (let y = Math.max(0, r.y0); y < Math.min(size, r.y1); y++) {
    for (let x = Math.max(0, r.x0); x < Math.min(size, r.x1); x++) label[y * size + x] = value;
  }
}

/** The class of every pixel of a scene, in the order the renderer paints (later layers on top). */
export function labelScene(scene: Scene): Uint8Array {
  const { size } = scene;
  const label = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) {
    if (scene.water[i]) label[i] = 4;
    else if (scene.regions[scene.region[i]!]!.kind === 'soil') label[i] = 1;
  }
  for (const r of scene.roads) fill(label, size, r, 3);
  for (const r of scene.paved) fill(label, size, r, 3);
  for (const t of scene.trees) {
    for (let y = Math.max(0, Math.ceil(t.y - t.r)); y <= Math.min(size - 1, Math.floor(t.y + t.r)); y++) {
      for (let x = Math.max(0, Math.ceil(t.x - t.r)); x <= Math.min(size - 1, Math.floor(t.x + t.r)); x++) {
        if ((x - t.x) ** 2 + (y - t.y) ** 2 <= t.r * t.r) label[y * size + x] = 0;
      }
    }
  }
  for (const b of scene.buildings) fill(label, size, b, 2);
  return label;
}

/** The mask with IGNORE on the commoner side of every class boundary (classes are in frequency order). */
export function markBorders(label: Uint8Array, size: number): Int32Array {
  const mask = Int32Array.from(label);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const c = label[i]!;
      const higher = (j: number): boolean => label[j]! > c;
      if ((x > 0 && higher(i - 1)) || (x < size - 1 && higher(i + 1)) || (y > 0 && higher(i - size)) || (y < size - 1 && higher(i + size))) mask[i] = IGNORE;
    }
  }
  return mask;
}

/** Image `index` of `split`: CHW floats (3, size, size) in [0, 1] and its mask (size, size). */
export function makeSample(dataSeed: number, split: SplitName, index: number, size: number): { image: Float32Array; mask: Int32Array } {
  const gen = new Generator(pairSeed(dataSeed, split, index));
  const scene = generateScene(gen, size);
  const [shot] = drawAcquisitions(gen, 1);
  return { image: acquire(render(scene, shot.season), size, shot, gen), mask: markBorders(labelScene(scene), size) };
}

/** `n` images of `split`, generated and counted. */
export function makeSplit(dataSeed: number, split: SplitName, n: number, size: number): Split {
  const hw = size * size;
  const images = new Float32Array(n * 3 * hw);
  const masks = new Int32Array(n * hw);
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  let ignored = 0;
  for (let k = 0; k < n; k++) {
    const s = makeSample(dataSeed, split, k, size);
    images.set(s.image, k * 3 * hw);
    masks.set(s.mask, k * hw);
    for (const v of s.mask) {
      if (v === IGNORE) ignored++;
      else counts[v]!++;
    }
  }
  const masksNd = ndarray(masks, [n, size, size]);
  return { images: new TensorDataset({ image: ndarray(images, [n, 3, size, size]), mask: masksNd }), masks: masksNd, counts, ignored, size };
}

/** "70.1% vegetation, 13.0% bare soil, …; 8.2% of pixels ignored". */
export function describeCounts(s: Split): string {
  const total = s.counts.reduce((a, b) => a + b, 0);
  const shares = s.counts.map((n, c) => `${((100 * n) / total).toFixed(1)}% ${CLASSES[c]}`).join(', ');
  return `${shares}; ${((100 * s.ignored) / (total + s.ignored)).toFixed(1)}% of pixels ignored (borders)`;
}
