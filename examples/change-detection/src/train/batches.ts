/**
 * Batch order and batch tensors. Fairness between variants rests here: the order of epoch e under
 * seed s comes from a generator seeded by (s, e) only, so every variant of a seed sees the same
 * batches in the same order, and a resumed run re-draws exactly the order the interrupted one
 * would have used.
 */
import { Generator, type Tensor } from '@tessera/core';
import { batchCount, DataLoader, type Batch } from '@tessera/data';
import type { PairSample, Split } from './split.js';

/** The generator seed of epoch `epoch` under seed `seed` (distinct for distinct pairs). */
export function epochSeed(seed: number, epoch: number): number {
  return seed * 100_003 + epoch + 1;
}

/** The shuffled batches of one training epoch (the last one may be smaller). */
export function trainLoader(split: Split, batchSize: number, seed: number, epoch: number): DataLoader<PairSample> {
  return new DataLoader(split.pairs, { batchSize, shuffle: true, generator: new Generator(epochSeed(seed, epoch)) });
}

/** The whole split in order (for evaluation). */
export function evalLoader(split: Split, batchSize: number): DataLoader<PairSample> {
  return new DataLoader(split.pairs, { batchSize });
}

/** Number of optimiser steps in one epoch over `n` pairs. */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return batchCount(n, batchSize, false);
}

export interface BatchTensors {
  /** (m, 3, H, W) float32. */
  t1: Tensor;
  t2: Tensor;
  /** (m, H, W) int32 class ids. */
  target: Tensor;
  /** Number of pairs. */
  n: number;
}

/** A collated batch under the names the training loop uses. */
export function batchTensors(b: Batch<PairSample>): BatchTensors {
  return { t1: b.t1, t2: b.t2, target: b.mask, n: b.t1.shape[0]! };
}
