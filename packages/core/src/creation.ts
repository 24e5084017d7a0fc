/**
 * Tensor creation: from nested arrays or a typed array, constants, ranges, and random draws from an
 * explicit, seedable generator (same seed, same numbers, on every machine).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true }); // float32, shape [2, 2]
 * const r = rand([2, 3], { generator: new Generator(0) });
 */
import { allocate, allocateEmpty, dtypeOf, isFloatDType, type DType, type TypedArray } from './dtype.js';
import { defaultGenerator, type Generator } from './random.js';
import { formatShape, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface TensorOptions {
  shape?: readonly number[];
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  generator?: Generator;
}

function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let cur: NestedArray = data;
  while (Array.isArray(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0]!;
  }
  return shape;
}

function flatten(data: NestedArray, shape: readonly number[], out: TypedArray): void {
  let k = 0;
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error(`tensor: ragged nested array (expected shape ${formatShape(shape)})`);
      out[k++] = typeof v === 'boolean' ? Number(v) : v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`tensor: ragged nested array at depth ${dim} (expected shape ${formatShape(shape)})`);
    }
    for (const e of v) walk(e, dim + 1);
  };
  walk(data, 0);
}

/** A tensor from nested arrays (shape inferred) or a flat typed array / number array with `shape`. */
export function tensor(data: NestedArray | TypedArray | readonly number[], options: TensorOptions = {}): Tensor {
  let out: TypedArray;
  let shape: readonly number[];
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    shape = options.shape ?? [src.length];
    const dtype = options.dtype ?? dtypeOf(src);
    out = allocate(dtype, src.length);
    out.set(src);
  } else {
    const nested = data as NestedArray;
    const inferred = inferShape(nested);
    const dtype = options.dtype ?? 'float32';
    out = allocate(dtype, sizeOf(inferred));
    flatten(nested, inferred, out);
    shape = options.shape ?? inferred;
  }
  if (sizeOf(shape) !== out.length) {
    throw new Error(`tensor: ${out.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)} elements)`);
  }
  return new Tensor(out, shape, options.requiresGrad ?? false);
}

export function full(shape: readonly number[], value: number, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  const dtype = options.dtype ?? 'float32';
  // allocate zero-fills already; a fill of another value writes every element.
  const data = value === 0 && !Object.is(value, -0) ? allocate(dtype, sizeOf(shape)) : allocateEmpty(dtype, sizeOf(shape)).fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

export function zeros(shape: readonly number[], options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: readonly number[], options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return full(shape, 1, options);
}

export function zerosLike(t: Tensor, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return full(t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return full(t.shape, 1, { dtype: t.dtype, ...options });
}

/** Values start, start+step, … below end, as `torch.arange`. int32 when every argument is an integer. */
export function arange(start: number, end?: number, step = 1, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0 || !Number.isFinite(step)) throw new Error(`arange: step must be finite and non-zero, got ${step}`);
  const n = Math.max(0, Math.ceil((hi - lo) / step));
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(step);
  const data = allocate(options.dtype ?? (allInt ? 'int32' : 'float32'), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

function randomFill(op: string, shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  const dtype = options.dtype ?? 'float32';
  if (!isFloatDType(dtype)) throw new Error(`${op}: dtype must be float32 or float64, got ${dtype}`);
  const g = options.generator ?? defaultGenerator;
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

/** Uniform in [0, 1), as `torch.rand`. */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomFill('rand', shape, options, (g) => g.uniform());
}

/** Standard normal, as `torch.randn`. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  return randomFill('randn', shape, options, (g) => g.normal());
}

/** Uniform in [low, high), as `torch.rand(...) * (high - low) + low`. */
export function uniform(shape: readonly number[], low: number, high: number, options: RandomOptions = {}): Tensor {
  return randomFill('uniform', shape, options, (g) => low + (high - low) * g.uniform());
}

/** Integers uniform in [low, high), int32, as `torch.randint`. */
export function randint(low: number, high: number, shape: readonly number[], options: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new Error(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const g = options.generator ?? defaultGenerator;
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = g.integer(low, high);
  return new Tensor(data, shape);
}
