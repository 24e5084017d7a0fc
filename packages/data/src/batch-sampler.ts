/**
 * Which samples go in which batch: PyTorch's RandomSampler / SequentialSampler + BatchSampler. With
 * `shuffle`, each call draws one permutation of 0..n−1 from the generator (so successive epochs
 * differ and the generator's state decides them, as PyTorch's `DataLoader(generator=g)`); then one
 * 32-bit number, the base of the per-sample seeds (see `sampleSeed`).
 *
 * @example
 * const g = new Generator(0);
 * batchIndices(10, { batchSize: 4, shuffle: true, generator: g }).batches; // [[7, 2, 9, 0], [4, 1, 8, 3], [6, 5]]-like
 */
import { randperm, type Generator } from '@tessera/core';

export interface BatchIndicesOptions {
  batchSize: number;
  shuffle?: boolean;
  /** Drives the permutation and the sample seeds. */
  generator: Generator;
  /** Leave out the last batch when it has fewer than batchSize samples. */
  dropLast?: boolean;
}

export interface EpochPlan {
  batches: number[][];
  /** Base of the per-sample seeds of this pass. */
  seedBase: number;
}

/** The batches of one pass over `n` samples. */
export function batchIndices(n: number, options: BatchIndicesOptions): EpochPlan {
  const { batchSize, shuffle = false, generator, dropLast = false } = options;
  const order = shuffle ? Array.from(randperm(n, { generator }).data) : Array.from({ length: n }, (_, i) => i);
  const seedBase = generator.nextUint32();
  const batches: number[][] = [];
  for (let i = 0; i < n; i += batchSize) {
    const b = order.slice(i, i + batchSize);
    if (b.length < batchSize && dropLast) break;
    batches.push(b);
  }
  return { batches, seedBase };
}

/** Number of batches of a pass over `n` samples. */
export function batchCount(n: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/**
 * The seed of sample `index` in a pass with base `seedBase`: a 32-bit mix (murmur3's finaliser) of
 * the two, so a sample's randomness depends on (pass, index) only, not on the order it is read in.
 */
export function sampleSeed(seedBase: number, index: number): number {
  let h = (Math.imul(seedBase ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
