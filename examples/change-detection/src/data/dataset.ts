import { pairSeed, type Split } from './noise.js';
import { makePair } from './pair.js';

export type { Split } from './noise.js';

export interface DatasetOptions {
  /** Number of pairs. */
  n: number;
  /** Image side in pixels (default 64). */
  size?: number;
  /** Target fraction of changed pixels over the dataset (default 0.03). */
  changeFraction?: number;
  /** Fraction of pairs with no change at all (default 0.2; ignored when changeFraction is 0). */
  noChangeFraction?: number;
  /** Nuisance strength: 0 = none, 1 = default. */
  nuisance?: number;
  /** Dataset seed (integer, default 0). */
  seed?: number;
  /** Which split the pairs belong to (default 'train'); each split has its own pair seeds. */
  split?: Split;
}

/** A set of image pairs in the layout the training loop uses. */
export interface Dataset {
  /** (n, 3, size, size) in [0, 1]. */
  t1: Float32Array;
  t2: Float32Array;
  /** (n, size, size): 0 = no change, 1 = change. */
  mask: Int32Array;
  /** Pixel counts of class 0 (no change) and class 1 (change). */
  counts: [number, number];
  size: number;
  n: number;
  /** Number of pairs whose mask is all zero. */
  pairsWithoutChange: number;
}

/** The part of a dataset selected by `sliceBatch`. */
export interface Batch {
  t1: Float32Array;
  t2: Float32Array;
  mask: Int32Array;
  size: number;
  n: number;
}

/**
 * Generates `n` pairs; pair i is `makePair(pairSeed(seed, split, i))`, so a dataset of n pairs is a
 * prefix of one of n + 1 pairs, and splits never share a pair seed.
 *
 * @example
 * const train = makeDataset({ n: 200, seed: 1 }); // train.counts ~ [0.97, 0.03] * 200 * 64 * 64
 */
export function makeDataset(options: DatasetOptions): Dataset {
  const { n, size = 64, changeFraction = 0.03, nuisance = 1, seed = 0, split = 'train' } = options;
  const noChangeFraction = changeFraction > 0 ? (options.noChangeFraction ?? 0.2) : 1;
  if (!Number.isInteger(n) || n < 0) throw new Error(`makeDataset: n must be a non-negative integer, got ${n}`);
  if (!Number.isInteger(size) || size < 16) throw new Error(`makeDataset: size must be an integer >= 16, got ${size}`);
  if (!(changeFraction >= 0 && changeFraction < 1)) {
    throw new Error(`makeDataset: changeFraction must be in [0, 1), got ${changeFraction}`);
  }
  if (!(noChangeFraction >= 0 && noChangeFraction <= 1)) {
    throw new Error(`makeDataset: noChangeFraction must be in [0, 1], got ${noChangeFraction}`);
  }
  if (!(nuisance >= 0)) throw new Error(`makeDataset: nuisance must be >= 0, got ${nuisance}`);
  if (!Number.isInteger(seed)) throw new Error(`makeDataset: seed must be an integer, got ${seed}`);
  const hw = size * size;
  const t1 = new Float32Array(n * 3 * hw);
  const t2 = new Float32Array(n * 3 * hw);
  const mask = new Int32Array(n * hw);
  let changed = 0;
  let pairsWithoutChange = 0;
  for (let i = 0; i < n; i++) {
    const pair = makePair(pairSeed(seed, split, i), { size, changeFraction, noChangeFraction, nuisance });
    t1.set(pair.t1, i * 3 * hw);
    t2.set(pair.t2, i * 3 * hw);
    mask.set(pair.mask, i * hw);
    changed += pair.changed;
    if (pair.changed === 0) pairsWithoutChange++;
  }
  return { t1, t2, mask, counts: [n * hw - changed, changed], size, n, pairsWithoutChange };
}

export interface SplitOptions extends Omit<DatasetOptions, 'n' | 'split'> {
  /** Number of pairs in each split (defaults 200, 50, 50). */
  train?: number;
  val?: number;
  test?: number;
}

/** The train, validation and test datasets, generated from disjoint pair seeds. */
export function makeSplits(options: SplitOptions = {}): { train: Dataset; val: Dataset; test: Dataset } {
  const { train = 200, val = 50, test = 50, ...rest } = options;
  return {
    train: makeDataset({ ...rest, n: train, split: 'train' }),
    val: makeDataset({ ...rest, n: val, split: 'val' }),
    test: makeDataset({ ...rest, n: test, split: 'test' }),
  };
}

/**
 * Copies the pairs at `indices` (in that order) into a new batch.
 *
 * @example
 * const batch = sliceBatch(train, [3, 0, 7]); // batch.t1 has shape (3, 3, 64, 64)
 */
export function sliceBatch(ds: Dataset, indices: ArrayLike<number>): Batch {
  const hw = ds.size * ds.size;
  const m = indices.length;
  const t1 = new Float32Array(m * 3 * hw);
  const t2 = new Float32Array(m * 3 * hw);
  const mask = new Int32Array(m * hw);
  for (let k = 0; k < m; k++) {
    const i = indices[k]!;
    if (!Number.isInteger(i) || i < 0 || i >= ds.n) {
      throw new Error(`sliceBatch: index ${i} at position ${k} is out of range for a dataset of ${ds.n} pairs`);
    }
    t1.set(ds.t1.subarray(i * 3 * hw, (i + 1) * 3 * hw), k * 3 * hw);
    t2.set(ds.t2.subarray(i * 3 * hw, (i + 1) * 3 * hw), k * 3 * hw);
    mask.set(ds.mask.subarray(i * hw, (i + 1) * hw), k * hw);
  }
  return { t1, t2, mask, size: ds.size, n: m };
}
