/** Element types a tensor can hold. `float32` is the default, as in PyTorch. */
export type DType = 'float32' | 'float64' | 'int32';
export type FloatDType = 'float32' | 'float64';
export type TypedArray = Float32Array | Float64Array | Int32Array;
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32'];

export function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

/**
 * Storage the active backend serves for float32 and int32 data (the wasm backend: views on its
 * memory, see kernels/wasm/heap.ts), or null to take ordinary JS memory. `zero` false: the caller
 * writes every element, so the contents may be left as they are.
 */
export type StorageProvider = (dtype: 'float32' | 'int32', size: number, zero: boolean) => Float32Array | Int32Array | null;

/** Gives back storage a provider served, once nothing uses it (false: not its array, nothing done). */
export type StorageRelease = (a: Float32Array | Int32Array) => boolean;

let provider: StorageProvider | null = null;
let releaser: StorageRelease | null = null;
/** Arrays this small always take JS memory (a scalar is cheaper there than as a block). */
const MIN_PROVIDED = 16;

/** Installs the storage provider (kernels/index.ts does, when a backend is selected); null: JS memory. */
export function setStorageProvider(p: StorageProvider | null): void {
  provider = p;
}

/** Installs what `releaseStorage` calls (kernels/index.ts: the wasm heap's, whichever backend is active). */
export function setStorageRelease(r: StorageRelease | null): void {
  releaser = r;
}

/**
 * Hands `a`'s storage back for reuse before the garbage collector finds it dead. Only for an array
 * `allocate` returned that nothing will read or write again (the engine's own backward
 * intermediates); any other array is left alone. Returns whether storage was given back.
 */
export function releaseStorage(a: TypedArray): boolean {
  return releaser !== null && !(a instanceof Float64Array) && releaser(a);
}

/** Arrays allocated while the engine tracks a backward step (see trackAllocations). */
let tracker: Set<TypedArray> | null = null;

function alloc(dtype: DType, size: number, zero: boolean): TypedArray {
  let a: TypedArray | null = null;
  if (provider !== null && dtype !== 'float64' && size >= MIN_PROVIDED) a = provider(dtype, size, zero);
  a ??= dtype === 'float32' ? new Float32Array(size) : dtype === 'float64' ? new Float64Array(size) : new Int32Array(size);
  tracker?.add(a);
  return a;
}

/**
 * Storage for a tensor's data, zero-filled: every op allocates through here (or allocateEmpty), so
 * the backend can serve it. The array may be a view on a larger, shared buffer: never assume
 * `byteOffset === 0` or that `buffer` holds only it; copy with `copyData`, not `slice()` (60×
 * slower on a shared buffer); hold the array (or its tensor) while a subarray of it is in use.
 */
export function allocate(dtype: DType, size: number): TypedArray {
  return alloc(dtype, size, true);
}

/** As allocate, but the contents are unspecified (as torch.empty): for outputs the caller writes entirely. */
export function allocateEmpty(dtype: DType, size: number): TypedArray {
  return alloc(dtype, size, false);
}

/** A copy of `a` in new storage of its dtype. */
export function copyData<T extends TypedArray>(a: T): T {
  const out = alloc(dtypeOf(a), a.length, false) as T;
  out.set(a);
  return out;
}

/**
 * Records the arrays `allocate` creates from now on in `set` (null: stop); returns the previous
 * tracker. The engine uses it to know which gradients a backward step created, so a leaf can take
 * them as its `.grad` without a copy.
 */
export function trackAllocations(set: Set<TypedArray> | null): Set<TypedArray> | null {
  const prev = tracker;
  tracker = set;
  return prev;
}

/**
 * Counts `a`, which the caller allocated earlier and hands over now for good (no one else holds it),
 * as allocated by the backward step being tracked, so a leaf may keep it as its `.grad` without a
 * copy: crossEntropy's gradient, computed by its forward (see ops/cross-entropy.ts).
 */
export function handOver(a: TypedArray): void {
  tracker?.add(a);
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
