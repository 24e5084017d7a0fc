/**
 * Datasets, as PyTorch's map-style `torch.utils.data.Dataset`: a length and an item per index.
 *
 * `get(index, generator)`: the DataLoader passes each sample a generator of its own, seeded from the
 * loader's generator and the index, so a random transform draws the same numbers whether the sample
 * is read on the main thread or in a worker, and whatever was read before. Datasets without
 * randomness ignore it.
 *
 * @example
 * const ds = new TensorDataset({ image: images, mask: masks }); // images (N, 3, H, W), masks (N, H, W)
 * ds.length;       // N
 * ds.get(0).image; // { data: Float32Array(3·H·W), shape: [3, H, W] }
 * // PyTorch: torch.utils.data.TensorDataset(images, masks)[0]
 */
import { defaultGenerator, formatShape, type Generator, type Tensor } from '@tessera/core';
import { ndarray, type NdArray, type Sample } from './sample.js';

export interface Dataset<S = Sample> {
  /** Number of samples. */
  readonly length: number;
  /** Sample `index` (0 ≤ index < length); `generator` drives any randomness of this read. */
  get(index: number, generator?: Generator): S;
}

/** An Error naming the dataset when `index` is not an integer in [0, length). */
export function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new Error(`${op}: index ${index} is out of range for a dataset of ${length} samples`);
  }
}

type ArrayRecord = Readonly<Record<string, Tensor | NdArray>>;

/** A row of a TensorDataset: each field's array type kept (a tensor's becomes float32 | int32). */
export type Row<F> = { [K in keyof F]: F[K] extends NdArray<infer A> ? NdArray<A> : NdArray };

/**
 * Samples from named arrays that share their first dim: sample i holds row i of each (copied).
 * Float32 and int32 arrays only (images and class ids).
 */
export class TensorDataset<F extends ArrayRecord = ArrayRecord> implements Dataset<Row<F>> {
  readonly length: number;
  private readonly fields: [string, NdArray][];

  constructor(fields: F) {
    const entries = Object.entries(fields);
    if (entries.length === 0) throw new Error('TensorDataset: give at least one array');
    this.fields = entries.map(([k, t]) => {
      if (!(t.data instanceof Float32Array || t.data instanceof Int32Array)) {
        throw new Error(`TensorDataset: field '${k}' must be float32 or int32, got ${t.data.constructor.name}`);
      }
      if (t.shape.length < 1) throw new Error(`TensorDataset: field '${k}' is a scalar; its first dim indexes the samples`);
      return [k, ndarray(t.data, t.shape)];
    });
    this.length = this.fields[0]![1].shape[0]!;
    for (const [k, t] of this.fields) {
      if (t.shape[0] !== this.length) {
        throw new Error(`TensorDataset: field '${k}' has ${t.shape[0]} rows (shape ${formatShape(t.shape)}) but '${this.fields[0]![0]}' has ${this.length}`);
      }
    }
  }

  get(index: number): Row<F> {
    checkIndex('TensorDataset.get', index, this.length);
    const out: Record<string, NdArray> = {};
    for (const [k, t] of this.fields) {
      const row = t.data.length / this.length;
      out[k] = ndarray(t.data.slice(index * row, (index + 1) * row), t.shape.slice(1));
    }
    return out as Row<F>;
  }
}

/** The samples of `dataset` at `indices`, in that order, as `torch.utils.data.Subset`. */
export class Subset<S> implements Dataset<S> {
  readonly indices: readonly number[];

  constructor(readonly dataset: Dataset<S>, indices: readonly number[]) {
    indices.forEach((i) => checkIndex('Subset', i, dataset.length));
    this.indices = [...indices];
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number, generator?: Generator): S {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]!, generator);
  }
}

/** A transform of one sample: deterministic given the generator it is handed. */
export type Transform<S, T = S> = (sample: S, generator: Generator) => T;

/**
 * `dataset` with `transform` applied to every sample it hands out (the torchvision pattern of a
 * dataset's `transform=`). Without a generator from the caller, the default generator drives it.
 */
export class TransformDataset<S, T = S> implements Dataset<T> {
  constructor(readonly dataset: Dataset<S>, readonly transform: Transform<S, T>) {}

  get length(): number {
    return this.dataset.length;
  }

  get(index: number, generator: Generator = defaultGenerator): T {
    return this.transform(this.dataset.get(index, generator), generator);
  }
}
