/**
 * DataLoader: batches of a dataset as tensors, as `torch.utils.data.DataLoader`.
 *
 * - `batchSize` (default 1), `shuffle` (default false), `dropLast` (default false);
 * - `generator` (default core's defaultGenerator): every pass (each `for … of loader`) draws its
 *   permutation and a seed base from it, so a seeded generator makes the batches, and every random
 *   transform, reproducible; re-seed it (`g.manualSeed(s)`) to replay a pass;
 * - each sample is read with `dataset.get(index, new Generator(sampleSeed(base, index)))`: the same
 *   numbers on the main thread or in a worker, in any order;
 * - `collateFn` (default `collate`: arrays → tensors, strings/numbers → lists);
 * - `workers` (from `@tessera/data/node`: `DatasetWorkers`): read and stack the samples in worker
 *   threads, `prefetchFactor` batches ahead per worker (default 2), and iterate with `for await`.
 *   The workers hand back plain typed arrays; the tensors are made here, on the main thread.
 *
 * @example
 * const loader = new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(0), dropLast: true });
 * for (const batch of loader) step(batch.image, batch.mask); // Tensor (8, 3, H, W), Tensor (8, H, W)
 * // PyTorch: DataLoader(ds, batch_size=8, shuffle=True, generator=torch.Generator().manual_seed(0), drop_last=True)
 */
import { defaultGenerator, Generator } from '@tessera/core';
import { batchCount, batchIndices, sampleSeed, type EpochPlan } from './batch-sampler.js';
import { collate, toTensors, type Batch, type Stacked } from './collate.js';
import type { Dataset } from './dataset.js';
import type { Sample } from './sample.js';

/** Reads and stacks batches elsewhere (worker threads); see `DatasetWorkers` in @tessera/data/node. */
export interface BatchWorkers<S> {
  readonly numWorkers: number;
  /** The samples at `indices`, read with generators seeded by `seeds`, stacked (`stackSamples`). */
  load(indices: readonly number[], seeds: readonly number[]): Promise<Stacked<S>>;
}

export interface DataLoaderOptions<S, B> {
  batchSize?: number;
  shuffle?: boolean;
  generator?: Generator;
  dropLast?: boolean;
  collateFn?: (samples: S[]) => B;
  workers?: BatchWorkers<S>;
  prefetchFactor?: number;
}

export class DataLoader<S extends Sample, B = Batch<S>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator;
  readonly prefetchFactor: number;
  private readonly collateFn: (samples: S[]) => B;
  private readonly workers: BatchWorkers<S> | undefined;

  constructor(readonly dataset: Dataset<S>, options: DataLoaderOptions<S, B> = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, prefetchFactor = 2 } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(prefetchFactor) || prefetchFactor < 1) throw new Error(`DataLoader: prefetchFactor must be a positive integer, got ${prefetchFactor}`);
    if (options.workers && options.collateFn) {
      throw new Error('DataLoader: collateFn cannot be combined with workers (the workers stack the samples; the loader makes the tensors)');
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.prefetchFactor = prefetchFactor;
    this.generator = options.generator ?? defaultGenerator;
    this.collateFn = options.collateFn ?? ((samples: S[]) => collate(samples) as B);
    this.workers = options.workers;
  }

  /** Number of batches in a pass, as `len(loader)`. */
  get length(): number {
    return batchCount(this.dataset.length, this.batchSize, this.dropLast);
  }

  /** The next pass's batches of indices and seed base (draws from the generator, as a pass does). */
  plan(): EpochPlan {
    return batchIndices(this.dataset.length, { batchSize: this.batchSize, shuffle: this.shuffle, generator: this.generator, dropLast: this.dropLast });
  }

  /** One pass, read on this thread. */
  [Symbol.iterator](): Iterator<B> {
    if (this.workers) throw new Error('DataLoader: a loader with workers is asynchronous; iterate it with for await');
    return this.pass();
  }

  private *pass(): IterableIterator<B> {
    const { batches, seedBase } = this.plan();
    for (const indices of batches) {
      yield this.collateFn(indices.map((i) => this.dataset.get(i, new Generator(sampleSeed(seedBase, i)))));
    }
  }

  /** One pass; with workers, up to prefetchFactor × numWorkers batches are read ahead. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const workers = this.workers;
    if (!workers) {
      yield* this.pass();
      return;
    }
    const { batches, seedBase } = this.plan();
    const ahead = this.prefetchFactor * workers.numWorkers;
    const pending: Promise<Stacked<S>>[] = [];
    const start = (k: number): void => {
      const indices = batches[k]!;
      const p = workers.load(indices, indices.map((i) => sampleSeed(seedBase, i)));
      p.catch(() => {}); // awaited below in order; a batch abandoned by `break` must not reject unhandled
      pending.push(p);
    };
    for (let k = 0; k < batches.length; k++) {
      while (pending.length < k + ahead && pending.length < batches.length) start(pending.length);
      yield toTensors(await pending[k]!) as B;
    }
  }
}
