/**
 * fast-check arbitraries for property tests of ops: shapes, tensors of a shape and dtype (bounded,
 * kept away from kinks such as relu's 0), and pairs of shapes that broadcast together.
 *
 * @example
 * fc.assert(fc.property(shapeArb(), (shape) => sum(zeros(shape)).item() === 0));
 */
import fc from 'fast-check';
import type { DType } from '../dtype.js';
import { allocate } from '../dtype.js';
import { sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  minDim?: number;
  maxDim?: number;
}

/** Shapes of rank minRank..maxRank (default 0..4) with dims minDim..maxDim (default 1..5). */
export function shapeArb(options: ShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 4, minDim = 1, maxDim = 5 } = options;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

export interface TensorArbOptions {
  dtype?: DType;
  min?: number;
  max?: number;
  /** Points to stay away from (kinks: 0 for relu and abs, the bounds of clamp). */
  avoid?: readonly number[];
  /** How far from each `avoid` point a value must be (default 1e-2). */
  margin?: number;
  requiresGrad?: boolean;
}

/** A tensor of the given shape with values in [min, max] (default [-2, 2]), away from `avoid`. */
export function tensorArb(shape: readonly number[], options: TensorArbOptions = {}): fc.Arbitrary<Tensor> {
  const { dtype = 'float64', min = -2, max = 2, avoid = [], margin = 1e-2, requiresGrad = false } = options;
  const n = sizeOf(shape);
  const value =
    dtype === 'int32'
      ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
      : fc
          .double({ min, max, noNaN: true, noDefaultInfinity: true })
          .filter((v) => avoid.every((p) => Math.abs(v - p) >= margin));
  return fc.array(value, { minLength: n, maxLength: n }).map((values) => {
    const data = allocate(dtype, n);
    data.set(values);
    return new Tensor(data, shape, requiresGrad);
  });
}

/** A random shape and a tensor of that shape. */
export function shapedTensorArb(shape: ShapeOptions = {}, options: TensorArbOptions = {}): fc.Arbitrary<Tensor> {
  return shapeArb(shape).chain((s) => tensorArb(s, options));
}

/**
 * Two shapes that broadcast together: the second drops some leading dims of the first and sets some
 * of its dims to 1; the pair is randomly swapped.
 */
export function broadcastableShapesArb(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(options).chain((a) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: a.length }),
        fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }),
        fc.boolean(),
      )
      .map(([drop, ones, swap]) => {
        const b = a.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
        return (swap ? [b, a] : [a, b]) as [number[], number[]];
      }),
  );
}
