/**
 * Collation in two halves, so that a worker can do the first: `stackSamples` stacks each array
 * field of a list of samples into one plain typed array (shape (n, …)), and `toTensors` wraps those
 * arrays as tensors without copying them. `collate` is both, PyTorch's `default_collate` for our
 * samples: arrays → Tensor (float32 or int32), strings → string[], numbers → number[] (not a tensor).
 *
 * @example
 * const batch = collate([ds.get(0), ds.get(1)]); // batch.image: Tensor (2, 3, H, W), batch.mask: Tensor (2, H, W) int32
 */
import { formatShape, Tensor } from '@tessera/core';
import { isNdArray, ndarray, type NdArray, type Sample } from './sample.js';

/** A stacked batch before the tensors are made: what crosses from a worker. */
export type Stacked<S> = { [K in keyof S]: S[K] extends NdArray ? NdArray : S[K] extends string ? string[] : S[K] extends number ? number[] : never };

/** A collated batch: each array field a tensor with the batch dim first. */
export type Batch<S> = { [K in keyof S]: S[K] extends NdArray ? Tensor : S[K] extends string ? string[] : S[K] extends number ? number[] : never };

/** Stacks the samples field by field; an Error naming the field and position when shapes or kinds differ. */
export function stackSamples<S extends Sample>(samples: readonly S[]): Stacked<S> {
  const first = samples[0];
  if (first === undefined) throw new Error('collate: no samples to stack (an empty batch)');
  const keys = Object.keys(first);
  const out: Record<string, NdArray | string[] | number[]> = {};
  samples.forEach((s, k) => {
    const sk = Object.keys(s);
    if (sk.length !== keys.length || sk.some((x) => !keys.includes(x))) {
      throw new Error(`collate: sample ${k} has fields [${sk.join(', ')}] but sample 0 has [${keys.join(', ')}]`);
    }
  });
  for (const key of keys) {
    const v0 = first[key]!;
    if (isNdArray(v0)) {
      const Ctor = v0.data instanceof Float32Array ? Float32Array : Int32Array;
      const per = v0.data.length;
      const data = new Ctor(per * samples.length);
      samples.forEach((s, k) => {
        const v = s[key];
        if (!isNdArray(v) || v.data.constructor !== Ctor || v.shape.length !== v0.shape.length || v.shape.some((d, i) => d !== v0.shape[i])) {
          const what = isNdArray(v) ? `${v.data.constructor.name} ${formatShape(v.shape)}` : typeof v;
          throw new Error(`collate: field '${key}' of sample ${k} is ${what} but sample 0's is ${Ctor.name} ${formatShape(v0.shape)}; ` +
            'samples of one batch must have the same shapes (crop or tile them to one size)');
        }
        data.set(v.data, k * per);
      });
      out[key] = ndarray(data, [samples.length, ...v0.shape]);
    } else if (typeof v0 === 'string' || typeof v0 === 'number') {
      out[key] = samples.map((s, k) => {
        const v = s[key];
        if (typeof v !== typeof v0) throw new Error(`collate: field '${key}' of sample ${k} is ${typeof v} but sample 0's is ${typeof v0}`);
        return v as never;
      });
    } else {
      throw new Error(`collate: field '${key}' is neither an NdArray (float32/int32), a string nor a number`);
    }
  }
  return out as Stacked<S>;
}

/** Wraps the stacked arrays as tensors (no copy: each tensor owns its array from now on). */
export function toTensors<S extends Sample>(stacked: Stacked<S>): Batch<S> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(stacked as Record<string, unknown>)) out[key] = isNdArray(v) ? new Tensor(v.data, v.shape) : v;
  return out as Batch<S>;
}

/** `toTensors(stackSamples(samples))`. */
export function collate<S extends Sample>(samples: readonly S[]): Batch<S> {
  return toTensors(stackSamples(samples));
}
