/**
 * Tiling large images into patches, for training (TiledDataset) and for prediction (blendTiles).
 *
 * Along a side of length L, tiles of `size` start at 0, stride, 2·stride, … while they fit, and
 * one more tile ends flush with the border when those leave pixels uncovered: every pixel is in
 * some tile, no tile leaves the image, and the last one overlaps its neighbour more than `stride`
 * says. A side shorter than `size` is an Error (pad it, or choose smaller tiles).
 *
 * @example
 * tileOrigins(10, 4, 4); // [0, 4, 6]
 * tileGrid(10, 8, { size: 4, stride: 4 }).length; // 3 rows × 2 columns = 6
 */
import type { Generator } from '@tessera/core';
import { checkIndex, type Dataset } from './dataset.js';
import { isNdArray, spatialSize, type Sample } from './sample.js';
import { crop } from './transforms/planes.js';

export interface TileOptions {
  /** Tile side in pixels. */
  size: number;
  /** Distance between tile origins (default size: no overlap). */
  stride?: number;
}

/** Tile starts along one side of `length` pixels. */
export function tileOrigins(length: number, size: number, stride: number = size): number[] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`tileOrigins: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(stride) || stride < 1 || stride > size) {
    throw new Error(`tileOrigins: stride must be an integer in [1, size = ${size}] (a larger stride skips pixels), got ${stride}`);
  }
  if (length < size) throw new Error(`tileOrigins: a side of ${length} pixels is shorter than the tile size ${size}`);
  const out: number[] = [];
  for (let p = 0; p + size <= length; p += stride) out.push(p);
  if (out[out.length - 1]! + size < length) out.push(length - size);
  return out;
}

/** The (top, left) of every tile of an image, row by row. */
export function tileGrid(height: number, width: number, options: TileOptions): { top: number; left: number }[] {
  const ys = tileOrigins(height, options.size, options.stride);
  const xs = tileOrigins(width, options.size, options.stride);
  return ys.flatMap((top) => xs.map((left) => ({ top, left })));
}

export interface TiledDatasetOptions extends TileOptions {
  /** (height, width) of item i of the wrapped dataset, known without reading it (e.g. from file headers). */
  sizes: readonly (readonly [number, number])[];
}

/**
 * Every tile of every item of `dataset` as a sample of its own: sample k is the k-th tile in item
 * order, then row by row. Each array field is cropped alike; other fields pass through.
 */
export class TiledDataset<S extends Sample> implements Dataset<S> {
  /** For each tile: the item and the tile's origin. */
  readonly tiles: readonly { item: number; top: number; left: number }[];

  constructor(readonly dataset: Dataset<S>, readonly options: TiledDatasetOptions) {
    if (options.sizes.length !== dataset.length) {
      throw new Error(`TiledDataset: sizes has ${options.sizes.length} entries for a dataset of ${dataset.length}`);
    }
    this.tiles = options.sizes.flatMap(([h, w], item) => tileGrid(h, w, options).map((t) => ({ item, ...t })));
  }

  get length(): number {
    return this.tiles.length;
  }

  get(index: number, generator?: Generator): S {
    checkIndex('TiledDataset.get', index, this.tiles.length);
    const { item, top, left } = this.tiles[index]!;
    const s = this.dataset.get(item, generator);
    const [h, w] = spatialSize(s, 'TiledDataset');
    const want = this.options.sizes[item]!;
    if (h !== want[0] || w !== want[1]) throw new Error(`TiledDataset: item ${item} is ${h}×${w}, but its size was given as ${want[0]}×${want[1]}`);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) out[k] = isNdArray(v) && v.shape.length >= 2 ? crop(v, top, left, this.options.size, this.options.size) : v;
    return out as S;
  }
}

/**
 * Runs `predict` on every tile of an (H, W) image and blends the (C, size, size) outputs into one
 * (C, H, W) map: overlapping tiles are averaged with tent weights (1 + distance to the tile's
 * nearest edge, per axis, multiplied), so a tile's border pixels, which saw the least context,
 * count least.
 */
export function blendTiles(height: number, width: number, channels: number, options: TileOptions, predict: (top: number, left: number) => Float32Array): Float32Array {
  const { size } = options;
  const sum = new Float64Array(channels * height * width);
  const weight = new Float64Array(height * width);
  const tent = Float64Array.from({ length: size }, (_, i) => 1 + Math.min(i, size - 1 - i));
  for (const { top, left } of tileGrid(height, width, options)) {
    const out = predict(top, left);
    if (out.length !== channels * size * size) throw new Error(`blendTiles: a tile prediction has ${out.length} values, expected ${channels}·${size}·${size}`);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const wgt = tent[y]! * tent[x]!;
        const p = (top + y) * width + left + x;
        weight[p]! += wgt;
        for (let c = 0; c < channels; c++) sum[c * height * width + p]! += wgt * out[(c * size + y) * size + x]!;
      }
    }
  }
  return Float32Array.from(sum, (v, i) => v / weight[i % (height * width)]!);
}
