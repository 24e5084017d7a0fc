import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flip, roll, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapeArb, tensorArb, type ShapeOptions } from '../src/testing/index.js';
import { expectClose, f64, flat, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

const flipArbOf = (shapes: ShapeOptions) => shapeArb({ ...shapes, minRank: 1 }).chain((shape) => fc.record({
  x: tensorArb(shape, { requiresGrad: true }),
  dims: fc.subarray(shape.map((_, i) => i)).chain((ds) => fc.tuple(...ds.map((d) => fc.constantFrom(d, d - shape.length)))),
}));
const rollArbOf = (shapes: ShapeOptions) => shapeArb({ ...shapes, minRank: 1 }).chain((shape) => fc.record({
  x: tensorArb(shape, { requiresGrad: true }),
  shifts: fc.array(fc.integer({ min: -7, max: 7 }), { minLength: 1, maxLength: shape.length }),
  flat: fc.boolean(),
}).map(({ x, shifts, flat: f }) => (f ? { x, shifts: shifts[0]!, dims: undefined } : { x, shifts, dims: shifts.map((_, i) => i) })));
const flipArb = flipArbOf({});
const rollArb = rollArbOf({});

describe('flip, roll: gradients (gradcheck over random shapes, dims and shifts)', () => {
  it('flip', () => {
    fc.assert(fc.property(flipArb, ({ x, dims }) => gradcheck((t) => flip(t, dims), [x], { name: 'flip' })), { numRuns: RUNS });
  });
  it('roll', () => {
    fc.assert(fc.property(rollArb, ({ x, shifts, dims }) => gradcheck((t) => roll(t, shifts, dims), [x], { name: 'roll' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): flip, roll', () => {
    fc.assert(fc.property(flipArbOf(GRADGRAD_SHAPES), rollArbOf(GRADGRAD_SHAPES), ({ x, dims }, r) =>
      gradgradcheck((t) => flip(t, dims), [x], { name: 'flip' }) && gradgradcheck((t) => roll(t, r.shifts, r.dims), [r.x], { name: 'roll' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('flip, roll: properties', () => {
  it('flip twice is the identity; roll by s then −s is the identity; both keep the multiset of values', () => {
    fc.assert(fc.property(flipArb, rollArb, ({ x, dims }, r) => {
      expect(flat(flip(flip(x, dims), dims))).toEqual(flat(x));
      const sorted = (v: number[]): number[] => v.map((e) => e + 0).sort((a, b) => a - b); // −0 + 0 = +0
      expect(sorted(flat(flip(x, dims)))).toEqual(sorted(flat(x)));
      const back = typeof r.shifts === 'number' ? -r.shifts : r.shifts.map((s) => -s);
      expect(flat(roll(roll(r.x, r.shifts, r.dims), back, r.dims))).toEqual(flat(r.x));
    }), { numRuns: RUNS });
  });
  it('roll by the dim size (or a multiple) is the identity', () => {
    fc.assert(fc.property(shapeArb({ minRank: 1 }).chain((s) => tensorArb(s)), fc.integer({ min: -3, max: 3 }), (x, k) => {
      expect(flat(roll(x, k * x.shape[0]!, 0))).toEqual(flat(x));
    }), { numRuns: RUNS });
  });
});

describe('flip, roll: values', () => {
  it('flip reverses each listed dim', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectClose(flip(x, [1]), [[3, 2, 1], [6, 5, 4]]);
    expectClose(flip(x, [0, -1]), [[6, 5, 4], [3, 2, 1]]);
    expectClose(flip(x, []), [[1, 2, 3], [4, 5, 6]]);
    expect(flip(x, []).data).not.toBe(x.data); // a copy, as PyTorch
  });
  it('roll shifts cyclically: out[(i + s) mod n] = x[i]', () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectClose(roll(x, 1, 1), [[3, 1, 2], [6, 4, 5]]);
    expectClose(roll(x, [1, -1], [0, 1]), [[5, 6, 4], [2, 3, 1]]);
    expectClose(roll(x, 2), [[5, 6, 1], [2, 3, 4]]); // no dims: flattened [1..6] rolled by 2
    expectClose(roll(x, [1, 1], [1, 1]), [[2, 3, 1], [5, 6, 4]]); // a dim twice: shifts add (2)
    expectClose(roll(x, 7, 1), [[3, 1, 2], [6, 4, 5]]); // 7 mod 3 = 1
  });
  it('gradients move back: flip the upstream gradient, roll it by −shifts', () => {
    // upstream [10, 20, 30] on flip([a, b, c]) = [c, b, a]: da = 30, db = 20, dc = 10
    const x = f64([1, 2, 3], { requiresGrad: true });
    flip(x, [0]).backward(f64([10, 20, 30]));
    expectClose(x.grad!, [30, 20, 10]);
    // roll([a, b, c], 1) = [c, a, b]; upstream [10, 20, 30]: da = 20, db = 30, dc = 10
    const y = f64([1, 2, 3], { requiresGrad: true });
    roll(y, 1).backward(f64([10, 20, 30]));
    expectClose(y.grad!, [20, 30, 10]);
  });
  it('handle empty dims, 0-d inputs and int32; are methods on Tensor', () => {
    expect(flip(f64([[], []]), [0, 1]).shape).toEqual([2, 0]);
    expect(roll(f64([[], []]), 1, 1).shape).toEqual([2, 0]);
    expect(flip(f64(3), [0]).item()).toBe(3);
    expect(roll(f64(3), 2).item()).toBe(3);
    expect(flat(flip(tensor([1, 2], { dtype: 'int32' }), [0]))).toEqual([2, 1]);
    expectClose(f64([1, 2, 3]).flip([0]).roll(1), [1, 3, 2]);
  });
});

describe('flip, roll: errors', () => {
  it('name the op and the argument', () => {
    expect(() => flip(f64([1]), [1])).toThrow(/flip: dims entry 1 is out of range for a tensor of rank 1 \(expected -1..0\)/);
    expect(() => flip(f64([[1]]), [0, -2])).toThrow(/flip: dims \[0,-2\] has duplicates/);
    expect(() => roll(f64([[1]]), [1, 2], [0])).toThrow(/roll: shifts and dims must have the same length, got 2 shifts and 1 dims/);
    expect(() => roll(f64([[1]]), [1, 2])).toThrow(/roll: without dims, shifts must be one number, got \[1,2\]/);
    expect(() => roll(f64([1]), 0.5, 0)).toThrow(/roll: shifts\[0\] must be an integer, got 0.5/);
    expect(() => roll(f64([1]), '1' as never)).toThrow(/roll: shifts must be a number or a list of numbers, got "1"/);
  });
});
