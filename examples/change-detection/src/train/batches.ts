/**
 * Batch order and batch tensors. Fairness between variants rests here: the order of epoch e under
 * seed s depends on (s, e) only, so every variant of a seed sees the same batches in the same order,
 * and a resumed run re-draws exactly the order the interrupted one would have used.
 */
import { Generator, Tensor } from '@tessera/core';
import { sliceBatch, type Dataset } from '../data/dataset.js';

/** The generator seed of epoch `epoch` under seed `seed` (distinct for distinct pairs). */
export function epochSeed(seed: number, epoch: number): number {
  return seed * 100_003 + epoch + 1;
}

/**
 * A permutation of 0..n-1 (Fisher–Yates) drawn from a generator seeded by (seed, epoch).
 *
 * @example
 * epochOrder(5, 0, 0); // the same permutation on every call and every machine
 */
export function epochOrder(n: number, seed: number, epoch: number): number[] {
  const gen = new Generator(epochSeed(seed, epoch));
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = gen.integer(0, i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** Splits `order` into consecutive batches of `batchSize` (the last one may be smaller). */
export function chunk(order: readonly number[], batchSize: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}

/** Number of optimiser steps in one epoch over `n` pairs. */
export function stepsPerEpoch(n: number, batchSize: number): number {
  return Math.ceil(n / batchSize);
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

/** The pairs at `indices` of `ds` as tensors. */
export function batchTensors(ds: Dataset, indices: readonly number[]): BatchTensors {
  const b = sliceBatch(ds, indices);
  const s = b.size;
  return {
    t1: new Tensor(b.t1, [b.n, 3, s, s]),
    t2: new Tensor(b.t2, [b.n, 3, s, s]),
    target: new Tensor(b.mask, [b.n, s, s]),
    n: b.n,
  };
}

/** The whole dataset in order, in batches of `batchSize`, as tensors (for evaluation). */
export function* evalBatches(ds: Dataset, batchSize: number): IterableIterator<BatchTensors> {
  const all = Array.from({ length: ds.n }, (_, i) => i);
  for (const idx of chunk(all, batchSize)) yield batchTensors(ds, idx);
}
