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
 * Two shapes that broadcast together to a random shape `full`: the second drops some leading dims
 * of `full`, and in each dim they share, either one of the two is 1 or both keep the size (so both
 * inputs may need summing down, as [3, 1] with [1, 4]); the pair is randomly swapped.
 */
export function broadcastableShapesArb(options: ShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return shapeArb(options).chain((full) =>
    fc
      .tuple(
        fc.integer({ min: 0, max: full.length }),
        fc.array(fc.constantFrom('both', 'first', 'second'), { minLength: full.length, maxLength: full.length }),
        fc.boolean(),
      )
      .map(([drop, ones, swap]) => {
        // ones[i] names the shape that has a 1 at dim i of `full` ('both' keeps the size in both).
        const a = full.map((d, i) => (i >= drop && ones[i] === 'first' ? 1 : d));
        const b = full.slice(drop).map((d, i) => (ones[i + drop] === 'second' ? 1 : d));
        return (swap ? [b, a] : [a, b]) as [number[], number[]];
      }),
  );
}
