import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumsum, narrow, sum, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapeArb, tensorArb, type ShapeOptions } from '../src/testing/index.js';
import { expectClose, f64, flat, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

const caseArb = (shapes: ShapeOptions = {}) => shapeArb({ ...shapes, minRank: 1 }).chain((shape) =>
  fc.record({ x: tensorArb(shape, { requiresGrad: true }), dim: fc.integer({ min: -shape.length, max: shape.length - 1 }) }));

describe('cumsum: gradient (gradcheck over random shapes and dims)', () => {
  it('cumsum', () => {
    fc.assert(fc.property(caseArb(), ({ x, dim }) => gradcheck((t) => cumsum(t, dim), [x], { name: 'cumsum' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck: the backward is itself differentiable in the upstream gradient)', () => {
    fc.assert(fc.property(caseArb(GRADGRAD_SHAPES), ({ x, dim }) => gradgradcheck((t) => cumsum(t, dim), [x], { name: 'cumsum' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('cumsum: properties', () => {
  it('its last slice along dim is the sum over dim, and it differences back to x', () => {
    fc.assert(fc.property(caseArb(), ({ x, dim }) => {
      const d = (dim + x.ndim) % x.ndim;
      const n = x.shape[d]!;
      const y = cumsum(x, dim);
      expectClose(narrow(y, d, n - 1, 1).squeeze(d), flat(sum(x, d)), { shape: sum(x, d).shape, atol: 1e-12 });
      if (n > 1) expectClose(narrow(y, d, 1, n - 1).sub(narrow(y, d, 0, n - 1)), flat(narrow(x, d, 1, n - 1)), { shape: narrow(x, d, 1, n - 1).shape, atol: 1e-12 });
    }), { numRuns: RUNS });
  });
});

describe('cumsum: values', () => {
  it('runs along the dim; NaN and ∞ propagate onward; int32 stays int32', () => {
    // rows: [1, 2, 3] → [1, 3, 6]; [NaN, 1, 2] → NaN from the start; [1, ∞, −∞] → [1, ∞, NaN] (∞ − ∞)
    expectClose(cumsum(f64([[1, 2, 3], [Number.NaN, 1, 2], [1, Infinity, -Infinity]]), 1), [[1, 3, 6], [Number.NaN, Number.NaN, Number.NaN], [1, Infinity, Number.NaN]]);
    // along dim 0 of [[1, 2], [3, 4]]: [[1, 2], [4, 6]]
    expectClose(cumsum(f64([[1, 2], [3, 4]]), -2), [[1, 2], [4, 6]]);
    const i = cumsum(tensor([1, 2, 3], { dtype: 'int32' }), 0);
    expect(i.dtype).toBe('int32');
    expect(flat(i)).toEqual([1, 3, 6]);
    expect(cumsum(f64(2.5), 0).item()).toBe(2.5);
    expect(cumsum(f64([[], []]), 1).shape).toEqual([2, 0]);
  });
  it('accumulates in float64 (float32 output rounded once per element)', () => {
    // float32 near 1e8 is spaced 8 apart. Running sums of [1e8, 3, 3, 3] in float64: 1e8, 1e8 + 3,
    // 1e8 + 6, 1e8 + 9, rounded to float32: 1e8, 1e8, 1e8 + 8, 1e8 + 8 (float32 steps would stay at 1e8)
    expect(flat(cumsum(tensor([1e8, 3, 3, 3]), 0))).toEqual([1e8, 1e8, 1e8 + 8, 1e8 + 8]);
  });
  it('gradient: the reversed running sum of grad', () => {
    // y = [x0, x0 + x1, x0 + x1 + x2]; upstream [1, 10, 100] → dx = [111, 110, 100]
    const x = f64([1, 2, 3], { requiresGrad: true });
    cumsum(x, 0).backward(f64([1, 10, 100]));
    expectClose(x.grad!, [111, 110, 100]);
  });
  it('is a method on Tensor', () => {
    expectClose(f64([1, 1]).cumsum(0), [1, 2]);
  });
});

describe('cumsum: errors', () => {
  it('names the op and the dim', () => {
    expect(() => cumsum(f64([1]), 1)).toThrow(/cumsum: dim 1 is out of range for a tensor of rank 1 \(expected -1..0\)/);
    expect(() => cumsum([1] as never, 0)).toThrow(/cumsum: input must be a Tensor/);
  });
});
