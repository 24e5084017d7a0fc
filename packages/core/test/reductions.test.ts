import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmax, argmin, gather, max, mean, min, sum, tensor, Tensor } from '../src/index.js';
import { gradcheck, shapeArb, shapedTensorArb, tensorArb } from '../src/testing/index.js';
import { distinctTensorArb, expectClose, f64, flat, RUNS } from './helpers.js';

/** A shape, a list of dims of it (some written negative), and keepdim. */
const dimsArb = shapeArb().chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.subarray(shape.map((_, i) => i)).chain((dims) =>
      fc.tuple(...dims.map((d) => fc.constantFrom(d, d - shape.length))).map((ds) => ds as number[]),
    ),
    fc.boolean(),
  ),
);

/** A shape of rank ≥ 1 with one dim (possibly negative) and keepdim. */
const oneDimArb = shapeArb({ minRank: 1 }).chain((shape) =>
  fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 }), fc.boolean()),
);

describe('sum, mean: gradients (gradcheck over random shapes and dims)', () => {
  it('sum and mean over a random subset of dims, with and without keepdim', () => {
    const arb = dimsArb.chain(([shape, dims, keepdim]) =>
      fc.tuple(tensorArb(shape, { requiresGrad: true }), fc.constant(dims), fc.constant(keepdim)),
    );
    fc.assert(
      fc.property(arb, ([x, dims, keepdim]) => {
        gradcheck((t) => sum(t, dims, { keepdim }), [x], { name: `sum(${JSON.stringify(dims)})` });
        return gradcheck((t) => mean(t, dims, { keepdim }), [x], { name: `mean(${JSON.stringify(dims)})` });
      }),
      { numRuns: RUNS },
    );
  });

  it('sum and mean over all dims', () => {
    fc.assert(
      fc.property(shapedTensorArb({}, { requiresGrad: true }), (x) => gradcheck((t) => sum(t), [x], { name: 'sum' }) && gradcheck((t) => mean(t), [x], { name: 'mean' })),
      { numRuns: RUNS },
    );
  });
});

describe('max, min: gradients (gradcheck, no ties)', () => {
  it('over one dim, with and without keepdim', () => {
    const arb = oneDimArb.chain(([shape, dim, keepdim]) =>
      fc.tuple(distinctTensorArb(shape).map((t) => new Tensor(t.data, t.shape, true)), fc.constant(dim), fc.constant(keepdim)),
    );
    fc.assert(
      fc.property(arb, ([x, dim, keepdim]) => {
        gradcheck((t) => max(t, dim, { keepdim }), [x], { name: `max(${dim})` });
        return gradcheck((t) => min(t, dim, { keepdim }), [x], { name: `min(${dim})` });
      }),
      { numRuns: RUNS },
    );
  });

  it('over all elements', () => {
    const arb = shapeArb().chain((s) => distinctTensorArb(s)).map((t) => new Tensor(t.data, t.shape, true));
    fc.assert(fc.property(arb, (x) => gradcheck((t) => max(t), [x], { name: 'max' }) && gradcheck((t) => min(t), [x], { name: 'min' })), { numRuns: RUNS });
  });
});

describe('invariants', () => {
  it('sum over all dims = sum of the sums over each dim in turn = sum over a list of all dims', () => {
    fc.assert(
      fc.property(shapedTensorArb({ minRank: 1 }), (x) => {
        const total = sum(x).item();
        let partial: Tensor = x;
        while (partial.ndim > 0) partial = sum(partial, 0);
        const all = sum(x, x.shape.map((_, i) => i)).item();
        expect(partial.item()).toBeCloseTo(total, 10);
        expect(all).toBeCloseTo(total, 10);
      }),
      { numRuns: 50 },
    );
  });

  it('mean = sum / (number of reduced elements); keepdim only keeps size-1 dims', () => {
    fc.assert(
      fc.property(dimsArb.chain(([s, d, k]) => fc.tuple(tensorArb(s), fc.constant(d), fc.constant(k))), ([x, dims, keepdim]) => {
        // An empty list of dims reduces over all dims, as in PyTorch 1.13.
        const n = dims.length === 0 ? x.size : [...new Set(dims.map((d) => (d + x.ndim) % Math.max(x.ndim, 1)))].reduce((p, d) => p * x.shape[d]!, 1);
        const m = mean(x, dims, { keepdim });
        const s = sum(x, dims, { keepdim });
        expect(m.shape).toEqual(s.shape);
        // m·n = s, up to rounding
        expectClose(m.mul(n), s.toArray(), { atol: 1e-13 * n, rtol: 1e-13 });
        const kept = sum(x, dims, { keepdim: true });
        expect(kept.ndim).toBe(x.ndim);
        expect(kept.size).toBe(s.size);
        expect(kept.shape.filter((d, i) => d !== x.shape[i]).every((d) => d === 1)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('max along a dim equals gathering the input at argmax; min likewise', () => {
    fc.assert(
      fc.property(oneDimArb.chain(([s, d]) => fc.tuple(tensorArb(s), fc.constant(d))), ([x, dim]) => {
        for (const [reduce, arg] of [[max, argmax], [min, argmin]] as const) {
          const v = reduce(x, dim, { keepdim: true });
          const i = arg(x, dim, { keepdim: true });
          expect(i.dtype).toBe('int32');
          expect(flat(gather(x, dim, i))).toEqual(flat(v));
          // no element exceeds the max (is below the min)
          const cmp = reduce === max ? x.sub(v).data.every((d) => d <= 0) : x.sub(v).data.every((d) => d >= 0);
          expect(cmp).toBe(true);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe('sum, mean: values', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('over dims, negative dims, lists and keepdim', () => {
    // rows: 1+2+3 = 6, 4+5+6 = 15; columns: 1+4, 2+5, 3+6; all: 21
    expectClose(sum(x, 1), [6, 15]);
    expectClose(sum(x, -1, { keepdim: true }), [[6], [15]]);
    expectClose(sum(x, 0), [5, 7, 9]);
    expectClose(sum(x), 21);
    expectClose(sum(x, [0, 1]), 21);
    expectClose(sum(x, [1, 0], { keepdim: true }), [[21]]);
    // means: rows 6/3, 15/3; columns 5/2, 7/2, 9/2; all 21/6
    expectClose(mean(x, 1), [2, 5]);
    expectClose(mean(x, 0, { keepdim: true }), [[2.5, 3.5, 4.5]]);
    expectClose(mean(x), 3.5);
  });

  it('of empty tensors and 0-d tensors', () => {
    // an empty sum is 0; the mean of nothing is 0/0 = NaN (as PyTorch)
    expectClose(sum(f64([])), 0);
    expectClose(mean(f64([])), Number.NaN);
    expectClose(sum(f64(7)), 7);
    expectClose(sum(f64(7), 0), 7);
    expectClose(sum(tensor([[], []], { dtype: 'float64' }), 1), [0, 0]);
  });

  it('of int32 (sum keeps int32; mean is refused, as PyTorch)', () => {
    const i = tensor([[1, 2], [3, 4]], { dtype: 'int32' });
    const s = sum(i, 0);
    expect(s.dtype).toBe('int32');
    expect(flat(s)).toEqual([4, 6]);
    expect(() => mean(i)).toThrow(/mean: input must be a float tensor \(float32 or float64\), got int32 of shape \[2, 2\]/);
  });

  it('gradients broadcast back over the reduced dims', () => {
    // d sum_1(x)/dx with upstream [10, 20]: each row gets its upstream; mean divides by 3
    const a = f64([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    sum(a, 1).backward(f64([10, 20]));
    expectClose(a.grad!, [[10, 10, 10], [20, 20, 20]]);
    const b = f64([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    mean(b, 1).backward(f64([3, 6]));
    expectClose(b.grad!, [[1, 1, 1], [2, 2, 2]]);
  });

  it('are methods on Tensor', () => {
    expectClose(x.sum(0).mean(), 7);
  });
});

describe('max, min, argmax, argmin: values', () => {
  const x = f64([[1, 5, 3], [7, 2, 7]]);
  it('over a dim and over all elements', () => {
    // row maxima 5, 7 at columns 1, 0 (the first of the tie 7, 7); column minima 1, 2, 3
    expectClose(max(x, 1), [5, 7]);
    expect(flat(argmax(x, 1))).toEqual([1, 0]);
    expectClose(min(x, 0), [1, 2, 3]);
    expect(flat(argmin(x, 0))).toEqual([0, 1, 0]);
    expectClose(max(x, 1, { keepdim: true }), [[5], [7]]);
    expectClose(max(x), 7);
    // argmax over all elements indexes the flattened input: the first 7 is at flat index 3
    expect(argmax(x).item()).toBe(3);
    expect(argmin(x).item()).toBe(0);
    expect(argmax(x, undefined, { keepdim: true }).shape).toEqual([1, 1]);
    // column maxima [7, 5, 7], their minimum 5
    expectClose(x.max(0).min(), 5);
    expect(x.argmax(-1).shape).toEqual([2]);
    expect(x.argmin(-1, { keepdim: true }).shape).toEqual([2, 1]);
  });

  it('propagate NaN (and argmax points at it), as PyTorch', () => {
    const y = f64([[1, Number.NaN, 3], [4, 5, 6]]);
    expectClose(max(y, 1), [Number.NaN, 6]);
    expect(flat(argmax(y, 1))).toEqual([1, 2]);
    expectClose(min(y), Number.NaN);
  });

  it('gradients: to the first extremum along a dim; split evenly among ties over all elements', () => {
    // max along dim 1 of [[3, 1, 3]]: tie at 0 and 2, the gradient goes to index 0 (argmax)
    const a = f64([[3, 1, 3]], { requiresGrad: true });
    max(a, 1).backward(f64([6]));
    expectClose(a.grad!, [[6, 0, 0]]);
    // max over all of [3, 1, 3]: split in half, [0.5, 0, 0.5]·g
    const b = f64([3, 1, 3], { requiresGrad: true });
    max(b).backward(f64(6));
    expectClose(b.grad!, [3, 0, 3]);
    // a NaN result: the gradient goes to the NaN (PyTorch), not 0/0 everywhere
    const c = f64([3, Number.NaN, 3], { requiresGrad: true });
    max(c).backward();
    expectClose(c.grad!, [0, 1, 0]);
    // min over all: [2, 1, 1] → halves at 1 and 2
    const d = f64([2, 1, 1], { requiresGrad: true });
    min(d).backward();
    expectClose(d.grad!, [0, 0.5, 0.5]);
  });

  it('return int32 values for int32 input', () => {
    const i = tensor([[1, 9], [8, 2]], { dtype: 'int32' });
    expect(max(i, 1).dtype).toBe('int32');
    expect(flat(max(i, 1))).toEqual([9, 8]);
  });
});

describe('reductions: errors', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('name the op and the dim out of range with the rank', () => {
    expect(() => sum(x, 2)).toThrow(/sum: dim 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/);
    expect(() => mean(x, -3)).toThrow(/mean: dim -3 is out of range for a tensor of rank 2/);
    expect(() => max(x, 5)).toThrow(/max: dim 5 is out of range for a tensor of rank 2/);
    expect(() => argmin(x, 1.5)).toThrow(/argmin: dim must be an integer, got 1.5/);
    expect(() => sum(x, [0, -2])).toThrow(/sum: dim \[0,-2\] repeats a dim/);
  });

  it('refuse max/argmax of an empty tensor, naming the shape', () => {
    expect(() => max(f64([]))).toThrow(/max: input of shape \[0\] is empty/);
    expect(() => argmax(tensor([[], []]), 1)).toThrow(/argmax: input of shape \[2, 0\] is empty/);
  });
});
