/**
 * What a dataset hands out: a sample is a record of named fields. Array fields are plain typed
 * arrays with a shape (`NdArray`), not tensors, so that a worker can build them and transfer their
 * buffers; the DataLoader stacks them into tensors on the main thread. By convention:
 *
 *   - an image is float32 (C, H, W) with values in [0, 1];
 *   - a mask is int32 (H, W) of class ids (an ignored pixel holds the dataset's ignoreIndex);
 *   - strings (a file name) and numbers (an index) may ride along.
 *
 * Spatial augmentations move every (…, H, W) array field the same way; photometric ones touch the
 * float32 fields only, never a mask.
 *
 * @example
 * const sample = { image: ndarray(new Float32Array(3 * 4 * 4), [3, 4, 4]), mask: ndarray(new Int32Array(16), [4, 4]), name: 'a.png' };
 */
import { formatShape } from '@tessera/core';

/** The typed arrays a sample field may hold: float32 for images, int32 for class ids. */
export type SampleArray = Float32Array | Int32Array;

/** A contiguous row-major array with a shape (a tensor without autograd, transferable). */
export interface NdArray<A extends SampleArray = SampleArray> {
  readonly data: A;
  readonly shape: readonly number[];
}

export type FieldValue = NdArray | string | number;

/** A sample: named arrays, strings and numbers. */
export type Sample = { readonly [field: string]: FieldValue };

/** An NdArray after checking that `data` has as many elements as `shape` needs. */
export function ndarray<A extends SampleArray>(data: A, shape: readonly number[]): NdArray<A> {
  const n = shape.reduce((a, d) => a * d, 1);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`ndarray: shape ${formatShape(shape)} has an invalid dim`);
  if (data.length !== n) throw new Error(`ndarray: data has ${data.length} elements but shape ${formatShape(shape)} needs ${n}`);
  return { data, shape: [...shape] };
}

export function isNdArray(v: unknown): v is NdArray {
  return typeof v === 'object' && v !== null && 'data' in v && 'shape' in v &&
    (v.data instanceof Float32Array || v.data instanceof Int32Array) && Array.isArray(v.shape);
}

/** The array fields of a sample, in key order. */
export function arrayFields(sample: Sample): [string, NdArray][] {
  return Object.entries(sample).filter((e): e is [string, NdArray] => isNdArray(e[1]));
}

/** The (H, W) shared by every array field of rank ≥ 2 (their last two dims); an Error naming the field that differs. */
export function spatialSize(sample: Sample, op: string): [number, number] {
  let hw: [number, number] | null = null;
  let first = '';
  for (const [key, a] of arrayFields(sample)) {
    if (a.shape.length < 2) continue;
    const h = a.shape[a.shape.length - 2]!;
    const w = a.shape[a.shape.length - 1]!;
    if (hw === null) {
      hw = [h, w];
      first = key;
    } else if (hw[0] !== h || hw[1] !== w) {
      throw new Error(`${op}: field '${key}' is ${h}×${w} (shape ${formatShape(a.shape)}) but '${first}' is ${hw[0]}×${hw[1]}; every image and mask of a sample must have the same size`);
    }
  }
  if (hw === null) throw new Error(`${op}: the sample has no array field of rank ≥ 2 (fields: ${Object.keys(sample).join(', ') || 'none'})`);
  return hw;
}
