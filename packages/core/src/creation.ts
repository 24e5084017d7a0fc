/**
 * Tensor creation: from nested arrays or a typed array, constants, ranges, and random draws from an
 * explicit, seedable generator (same seed, same numbers, on every machine).
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true }); // float32, shape [2, 2]
 * const r = rand([2, 3], { generator: new Generator(0) });
 */
import { checkBool, checkDType, checkElements, checkNumber, checkOptions, checkShape, describeValue, isList } from './args.js';
import { allocate, allocateEmpty, dtypeOf, isFloatDType, type DType, type TypedArray } from './dtype.js';
import { defaultGenerator, Generator } from './random.js';
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

/** Checks the options of a creation function: known keys, a dtype, a boolean requiresGrad, a Generator. */
function checkCreation(op: string, options: unknown, keys: readonly string[] = ['dtype', 'requiresGrad']): void {
  checkOptions(op, options, keys);
  const o = (options ?? {}) as { dtype?: unknown; requiresGrad?: unknown; generator?: unknown };
  checkDType(op, 'dtype', o.dtype);
  checkBool(op, 'requiresGrad', o.requiresGrad);
  if (o.requiresGrad === true && o.dtype === 'int32') throw new Error(`${op}: requiresGrad needs a float dtype, got int32`);
  if (o.generator !== undefined && !(o.generator instanceof Generator)) throw new Error(`${op}: generator must be a Generator, got ${describeValue(o.generator)}`);
}

/** int32 holds integers in [−2^31, 2^31): a value outside (or NaN) is an error, as PyTorch's overflow check. */
function checkInt32(value: number): void {
  if (!(value >= -2147483648 && value < 2147483648)) throw new Error(`tensor: data value ${value} does not fit in int32`);
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
  const isInt = out instanceof Int32Array;
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new Error(`tensor: data is a ragged nested array (expected shape ${formatShape(shape)})`);
      if (typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`tensor: data holds ${describeValue(v)}, not a number`);
      if (isInt) checkInt32(Number(v));
      out[k++] = typeof v === 'boolean' ? Number(v) : v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`tensor: data is a ragged nested array at depth ${dim} (expected shape ${formatShape(shape)})`);
    }
    for (const e of v) walk(e, dim + 1);
  };
  walk(data, 0);
}

/** A tensor from nested arrays (shape inferred) or a flat typed array / number array with `shape`. */
export function tensor(data: NestedArray | TypedArray | readonly number[], options: TensorOptions = {}): Tensor {
  checkCreation('tensor', options, ['shape', 'dtype', 'requiresGrad']);
  if (options.shape !== undefined) checkShape('tensor', 'shape', options.shape);
  let out: TypedArray;
  let shape: readonly number[];
  if (ArrayBuffer.isView(data)) {
    const src = data as TypedArray;
    shape = options.shape ?? [src.length];
    const dtype = options.dtype ?? dtypeOf(src);
    out = allocate(dtype, src.length);
    if (out instanceof Int32Array && !(src instanceof Int32Array)) src.forEach(checkInt32);
    out.set(src);
  } else {
    if (typeof data !== 'number' && typeof data !== 'boolean' && !isList(data)) throw new Error(`tensor: data must be a number or a nested array of numbers, got ${describeValue(data)}`);
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
  return fill('full', shape, value, options);
}

function fill(op: string, shape: readonly number[], value: number, options: Omit<TensorOptions, 'shape'>): Tensor {
  checkCreation(op, options);
  const n = checkShape(op, 'shape', shape);
  if (typeof value !== 'number') throw new Error(`${op}: value must be a number, got ${describeValue(value)}`);
  const dtype = options.dtype ?? 'float32';
  // allocate zero-fills already; a fill of another value writes every element.
  const data = value === 0 && !Object.is(value, -0) ? allocate(dtype, n) : allocateEmpty(dtype, n).fill(value);
  return new Tensor(data, shape, options.requiresGrad ?? false);
}

export function zeros(shape: readonly number[], options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return fill('zeros', shape, 0, options);
}

export function ones(shape: readonly number[], options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  return fill('ones', shape, 1, options);
}

export function zerosLike(t: Tensor, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`zerosLike: input must be a Tensor, got ${describeValue(t)}`);
  checkCreation('zerosLike', options);
  return fill('zerosLike', t.shape, 0, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  if (!(t instanceof Tensor)) throw new Error(`onesLike: input must be a Tensor, got ${describeValue(t)}`);
  checkCreation('onesLike', options);
  return fill('onesLike', t.shape, 1, { dtype: t.dtype, ...options });
}

/** Values start, start+step, … below end, as `torch.arange`. int32 when every argument is an integer. */
export function arange(start: number, end?: number, step = 1, options: Omit<TensorOptions, 'shape'> = {}): Tensor {
  checkCreation('arange', options);
  checkNumber('arange', 'start', start, {}, false);
  checkNumber('arange', 'end', end);
  checkNumber('arange', 'step', step, {}, false);
  const [lo, hi] = end === undefined ? [0, start] : [start, end];
  if (step === 0) throw new Error(`arange: step must be non-zero, got ${step}`);
  if ((hi - lo) * step < 0) throw new Error(`arange: end ${hi} and start ${lo} are inconsistent with the sign of step ${step}`);
  const n = Math.ceil((hi - lo) / step);
  checkElements('arange', 'end', n);
  const allInt = Number.isInteger(lo) && Number.isInteger(hi) && Number.isInteger(step);
  const data = allocate(options.dtype ?? (allInt ? 'int32' : 'float32'), n);
  for (let i = 0; i < n; i++) data[i] = lo + i * step;
  return new Tensor(data, [n], options.requiresGrad ?? false);
}

function randomFill(op: string, shape: readonly number[], options: RandomOptions, draw: (g: Generator) => number): Tensor {
  checkCreation(op, options, ['dtype', 'requiresGrad', 'generator']);
  checkShape(op, 'shape', shape);
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
  checkNumber('uniform', 'low', low, {}, false);
  checkNumber('uniform', 'high', high, { min: low }, false);
  return randomFill('uniform', shape, options, (g) => low + (high - low) * g.uniform());
}

/** Integers uniform in [low, high), int32, as `torch.randint`. */
export function randint(low: number, high: number, shape: readonly number[], options: { generator?: Generator } = {}): Tensor {
  checkCreation('randint', options, ['generator']);
  checkNumber('randint', 'low', low, { integer: true, min: -(2 ** 31) }, false);
  checkNumber('randint', 'high', high, { integer: true, max: 2 ** 31 }, false);
  if (high <= low) throw new Error(`randint: need low < high, got low=${low}, high=${high}`);
  checkShape('randint', 'shape', shape);
  const g = options.generator ?? defaultGenerator;
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = g.integer(low, high);
  return new Tensor(data, shape);
}
