import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logsumexp, max, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapeArb, tensorArb, type ShapeOptions } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

/** A shape of rank ≥ 1, a tensor of it, and dims to reduce (one, negative, or a list), with keepdim. */
const caseArbOf = (shapes: ShapeOptions) => shapeArb({ ...shapes, minRank: 1 }).chain((shape) =>
  fc.record({
    x: tensorArb(shape, { requiresGrad: true, min: -5, max: 5 }),
    dim: fc.oneof(
      fc.integer({ min: -shape.length, max: shape.length - 1 }),
      fc.subarray(shape.map((_, i) => i), { minLength: 1 }),
    ),
    keepdim: fc.boolean(),
  }));
const caseArb = caseArbOf({});

describe('logsumexp: gradient (gradcheck over random shapes, dims and keepdim)', () => {
  it('logsumexp', () => {
    fc.assert(fc.property(caseArb, ({ x, dim, keepdim }) => gradcheck((t) => logsumexp(t, dim, { keepdim }), [x], { name: 'logsumexp' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck)', () => {
    fc.assert(fc.property(caseArbOf(GRADGRAD_SHAPES), ({ x, dim, keepdim }) =>
      gradgradcheck((t) => logsumexp(t, dim, { keepdim }), [x], { name: 'logsumexp' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('logsumexp: properties', () => {
  it('lies in [max, max + log n] and shifts with its input: lse(x + c) = lse(x) + c', () => {
    fc.assert(fc.property(caseArb, fc.double({ min: -1e3, max: 1e3, noNaN: true }), ({ x, dim, keepdim }, c) => {
      const y = logsumexp(x, dim, { keepdim: true });
      const dims = typeof dim === 'number' ? [dim] : dim;
      let m = x;
      let n = 1;
      for (const d of dims) { m = max(m, d, { keepdim: true }); n *= x.shape[(d + x.ndim) % x.ndim]!; }
      y.data.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(m.data[i]! - 1e-12);
        expect(v).toBeLessThanOrEqual(m.data[i]! + Math.log(n) + 1e-12);
      });
      const shifted = logsumexp(x.add(c), dim, { keepdim });
      expectClose(shifted, Array.from(logsumexp(x, dim, { keepdim }).data, (v) => v + c), { shape: shifted.shape, atol: 1e-9, rtol: 1e-12 });
    }), { numRuns: RUNS });
  });
});

describe('logsumexp: values', () => {
  it('is stable and follows PyTorch on infinite and NaN rows', () => {
    // [0, ln 3] → ln(1 + 3) = ln 4. [1e4, 1e4] → 1e4 + ln 2 (exp(1e4) overflows unshifted).
    // All −∞ → −∞ (max shifted by 0: log 0). One +∞ → +∞. A NaN → NaN.
    const x = f64([[0, Math.log(3)], [1e4, 1e4], [-Infinity, -Infinity], [Infinity, 1], [Number.NaN, 1]]);
    expectClose(logsumexp(x, 1), [Math.log(4), 1e4 + Math.LN2, -Infinity, Infinity, Number.NaN], { rtol: 1e-15 });
  });
  it('reduces lists of dims, keeps dims on request, gives −∞ over an empty dim', () => {
    // ones [2, 3, 4] over dims 0 and 2: log(8·e) = 1 + 3 ln 2 for each of the 3 middle entries
    const y = logsumexp(tensor(new Float64Array(24).fill(1), { shape: [2, 3, 4] }), [0, -1], { keepdim: true });
    expectClose(y, [1 + 3 * Math.LN2, 1 + 3 * Math.LN2, 1 + 3 * Math.LN2], { shape: [1, 3, 1], rtol: 1e-15 });
    expectClose(logsumexp(f64([[], []]), 1), [-Infinity, -Infinity]);
    expect(logsumexp(f64(2.5), 0).item()).toBe(2.5); // 0-d: the value itself
  });
  it('gradient: softmax over the dims', () => {
    // d/dx lse([0, ln 3]) = softmax = [1/4, 3/4]
    const x = f64([0, Math.log(3)], { requiresGrad: true });
    logsumexp(x, 0).backward();
    expectClose(x.grad!, [0.25, 0.75], { rtol: 1e-15 });
  });
  it('is a method on Tensor', () => {
    expectClose(f64([[0, 0]]).logsumexp(-1, { keepdim: true }), [[Math.LN2]]);
  });
});

describe('logsumexp: errors', () => {
  it('names the op and the argument', () => {
    expect(() => logsumexp(tensor([1], { dtype: 'int32' }), 0)).toThrow(/logsumexp: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
    expect(() => logsumexp(f64([[1]]), 2)).toThrow(/logsumexp: dim 2 is out of range for a tensor of rank 2 \(expected -2..1\)/);
    expect(() => logsumexp(f64([[1]]), [0, -2])).toThrow(/logsumexp: dim \[0,-2\] repeats a dim/);
    expect(() => logsumexp(f64([1]), [])).toThrow(/logsumexp: dim must name at least one dim, got \[\]/);
    expect(() => logsumexp(f64([1]), undefined as unknown as number)).toThrow(/logsumexp: dim must be a number or a list of numbers, got undefined/);
  });
});
