/** Element types a tensor can hold. `float32` is the default, as in PyTorch. */
export type DType = 'float32' | 'float64' | 'int32';
export type FloatDType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array | Int32Array;
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

/** Buffers allocated while the engine tracks a backward step (see trackAllocations). */
let tracker: Set<ArrayBufferLike> | null = null;

export function allocate(dtype: DType, size: number): TypedArray {
  const a = dtype === 'float32' ? new Float32Array(size) : dtype === 'float64' ? new Float64Array(size) : new Int32Array(size);
  tracker?.add(a.buffer);
  return a;
}

/**
 * Records the buffers `allocate` creates from now on in `set` (null: stop); returns the previous
 * tracker. The engine uses it to know which gradients a backward step created, so a leaf can take
 * them as its `.grad` without a copy.
 */
export function trackAllocations(set: Set<ArrayBufferLike> | null): Set<ArrayBufferLike> | null {
  const prev = tracker;
  tracker = set;
  return prev;
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  return 'int32';
}

/** PyTorch's type promotion for the three dtypes: float64 > float32 > int32. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === 'float64' || b === 'float64') return 'float64';
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}
