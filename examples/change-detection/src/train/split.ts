/**
 * A split of the experiment as a @tessera/data dataset of pairs, with the counts the setup and
 * the class weights need. Browser-safe: splits.ts reads folders (Node) and builds the three.
 */
import { ndarray, quantize, TensorDataset, type Dataset, type NdArray } from '@tessera/data';
import type { Dataset as Synthetic } from '../data/dataset.js';

export type PairSample = { t1: NdArray<Float32Array>; t2: NdArray<Float32Array>; mask: NdArray<Int32Array> };

export interface Split {
  pairs: Dataset<PairSample>;
  /** Pixels of class 0 (no change) and 1 (change). */
  counts: [number, number];
  /** Samples whose mask is all zero. */
  withoutChange: number;
  /** Side of every (square) sample. */
  size: number;
}

export interface Splits {
  train: Split;
  val: Split;
  test: Split;
}

/** Counts and change-free samples of a dataset, read once. */
export function describeSplit(pairs: Dataset<PairSample>, size: number): Split {
  const counts: [number, number] = [0, 0];
  let withoutChange = 0;
  for (let i = 0; i < pairs.length; i++) {
    let changed = 0;
    for (const v of pairs.get(i).mask.data) if (v === 1) changed++;
    counts[1] += changed;
    counts[0] += size * size - changed;
    if (changed === 0) withoutChange++;
  }
  return { pairs, counts, withoutChange, size };
}

/** A generated dataset as a split (its images rounded to 8 bits with `quantize`). */
export function syntheticSplit(ds: Synthetic, options: { quantize?: boolean } = {}): Split {
  const s = ds.size;
  const image = (a: Float32Array): NdArray<Float32Array> => ndarray(options.quantize ? quantize(a) : a, [ds.n, 3, s, s]);
  const pairs = new TensorDataset({ t1: image(ds.t1), t2: image(ds.t2), mask: ndarray(ds.mask, [ds.n, s, s]) });
  return { pairs, counts: ds.counts, withoutChange: ds.pairsWithoutChange, size: s };
}
