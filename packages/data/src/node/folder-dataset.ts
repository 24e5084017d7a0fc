/**
 * Datasets on folders of images (Node): change-detection pairs in the LEVIR-CD layout and images
 * with masks for semantic segmentation. Opening one scans the folder (scan.ts: every sample
 * complete, sizes matching, from the file headers) and throws before anything is used.
 *
 * - `preload: true` decodes every file while opening (each mask checked against the classes) and
 *   keeps the pixels in memory: a damaged file or a bad mask value fails the open, not epoch 7.
 *   Without it, each `get` reads its files; an error names the file, and no half-read sample or
 *   batch is handed out. Preloaded samples are shared between reads: do not write into them.
 * - `tile: { size, stride }` makes every tile of every image a sample (see TiledDataset).
 * - `transform` runs on each (tiled) sample with the DataLoader's per-sample generator.
 *
 * @example
 * const train = changeDetectionFolder('LEVIR-CD', { split: 'train', tile: { size: 256 } });
 * const scenes = segmentationFolder('scenes', { split: 'val', mask: { numClasses: 5, ignoreValue: 255 }, preload: true });
 */
import type { Generator } from '@tessera/core';
import { checkIndex, TransformDataset, type Dataset, type Transform } from '../dataset.js';
import type { ImageOptions, MaskOptions } from '../image/convert.js';
import type { NdArray, Sample } from '../sample.js';
import { TiledDataset, type TileOptions } from '../tiles.js';
import { readImage, readMask } from './read.js';
import { resolveSplit, scanFolder, type FolderItem } from './scan.js';

export interface FolderOptions<S> {
  /** Sub-folder of the root holding this split ('train', 'val', 'test'); default: the root itself. */
  split?: string;
  tile?: TileOptions;
  transform?: Transform<S>;
  preload?: boolean;
  image?: ImageOptions;
}

export type ChangePair = { t1: NdArray<Float32Array>; t2: NdArray<Float32Array>; mask: NdArray<Int32Array>; name: string };
export type SegmentationSample = { image: NdArray<Float32Array>; mask: NdArray<Int32Array>; name: string };

/** A dataset of folder items: read on demand (the last item kept) or all up front. */
class ItemDataset<S> implements Dataset<S> {
  private readonly cache: (S | undefined)[];
  private last: { index: number; sample: S } | null = null;

  constructor(readonly items: readonly FolderItem[], private readonly read: (item: FolderItem) => S, preload: boolean) {
    this.cache = preload ? items.map(read) : [];
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): S {
    checkIndex('FolderDataset.get', index, this.items.length);
    const cached = this.cache[index];
    if (cached !== undefined) return cached;
    if (this.last?.index === index) return this.last.sample;
    const sample = this.read(this.items[index]!);
    this.last = { index, sample };
    return sample;
  }
}

export class FolderDataset<S extends Sample> implements Dataset<S> {
  /** The folder the samples were found in (root/split). */
  readonly dir: string;
  readonly items: readonly FolderItem[];
  /** The tiles, when tiled: item index and origin of each sample. */
  readonly tiles: readonly { item: number; top: number; left: number }[] | null;
  private readonly untransformed: Dataset<S>;
  private readonly outer: Dataset<S>;

  constructor(dir: string, items: FolderItem[], read: (item: FolderItem) => S, options: FolderOptions<S>) {
    this.dir = dir;
    this.items = items;
    const base = new ItemDataset(items, read, options.preload ?? false);
    const tiled = options.tile ? new TiledDataset(base as Dataset<S>, { ...options.tile, sizes: items.map((it) => [it.height, it.width] as const) }) : null;
    this.tiles = tiled?.tiles ?? null;
    this.untransformed = tiled ?? base;
    this.outer = options.transform ? new TransformDataset(this.untransformed, options.transform) : this.untransformed;
  }

  get length(): number {
    return this.outer.length;
  }

  get(index: number, generator?: Generator): S {
    return this.outer.get(index, generator);
  }

  /** Pixels per label over every (tiled, untransformed) sample's mask: a Map from label to count. */
  labelCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (let i = 0; i < this.untransformed.length; i++) {
      const mask = this.untransformed.get(i)['mask'] as NdArray<Int32Array>;
      for (const v of mask.data) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return counts;
  }
}

/** Change-detection pairs: A/ (time 1), B/ (time 2), label/ (0/255 change masks by default). */
export function changeDetectionFolder(root: string, options: FolderOptions<ChangePair> & { mask?: Partial<MaskOptions> } = {}): FolderDataset<ChangePair> {
  const dir = resolveSplit(root, ['A', 'B', 'label'], options.split, 'LEVIR-CD');
  const mask: MaskOptions = { numClasses: 2, encoding: 'binary', ...options.mask };
  const items = scanFolder(dir, ['A', 'B', 'label'], 'LEVIR-CD');
  return new FolderDataset(dir, items, (it) => ({
    t1: readImage(it.files['A']!, options.image),
    t2: readImage(it.files['B']!, options.image),
    mask: readMask(it.files['label']!, mask),
    name: it.name,
  }), options);
}

/** Semantic segmentation: images/ and masks/ (class ids as `mask` says). */
export function segmentationFolder(root: string, options: FolderOptions<SegmentationSample> & { mask: MaskOptions }): FolderDataset<SegmentationSample> {
  const dir = resolveSplit(root, ['images', 'masks'], options.split, 'segmentation');
  const items = scanFolder(dir, ['images', 'masks'], 'segmentation');
  return new FolderDataset(dir, items, (it) => ({
    image: readImage(it.files['images']!, options.image),
    mask: readMask(it.files['masks']!, options.mask),
    name: it.name,
  }), options);
}
