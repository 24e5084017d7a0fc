import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pow, tensor } from '../src/index.js';
import { broadcastableShapesArb, gradcheck, shapedTensorArb, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, RUNS } from './helpers.js';

describe('pow: gradients (gradcheck)', () => {
  it('with respect to base and exponent, over broadcastable shapes (positive bases)', () => {
    const arb = broadcastableShapesArb({ maxRank: 3, maxDim: 4 }).chain(([sa, sb]) =>
      fc.tuple(tensorArb(sa, { requiresGrad: true, min: 0.5, max: 2 }), tensorArb(sb, { requiresGrad: true, min: -2, max: 2 })),
    );
    fc.assert(fc.property(arb, ([x, e]) => gradcheck(pow, [x, e], { name: 'pow' })), { numRuns: RUNS });
  });

  it('with a number exponent (any real base for integer exponents)', () => {
    const arb = shapedTensorArb({ maxRank: 3 }, { requiresGrad: true });
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 4 }), (x, k) => gradcheck((t) => pow(t, k), [x], { name: `pow(x, ${k})` })),
      { numRuns: RUNS },
    );
  });

  it('with a number base', () => {
    const arb = shapedTensorArb({ maxRank: 3 }, { requiresGrad: true });
    fc.assert(fc.property(arb, (e) => gradcheck((t) => pow(3, t), [e], { name: 'pow(3, e)' })), { numRuns: RUNS });
  });
});

describe('pow: values', () => {
  it('forward', () => {
    // [1, 2, 3]² = [1, 4, 9]; 4^0.5 = 2; 2^−1 = 0.5; 0^0 = 1; (−8)^(1/3) = NaN (real pow)
    expectClose(pow(f64([1, 2, 3]), 2), [1, 4, 9]);
    expectClose(pow(f64([4, 2, 0, -8]), f64([0.5, -1, 0, 1 / 3])), [2, 0.5, 1, Number.NaN]);
    // 2^[[1], [2]] broadcast with [1, 3]: [[2, 2^3]...] — base [2, 3] against exponent [[1], [2]]
    expectClose(pow(f64([2, 3]), f64([[1], [2]])), [[2, 3], [4, 9]]);
  });

  it('gradients at known points, including PyTorch conventions at a zero base', () => {
    // d/dx x^e = e·x^(e−1): x = 2, e = 3 → 3·4 = 12. d/de x^e = x^e·ln x: 8·ln 2.
    const x = f64([2], { requiresGrad: true });
    const e = f64([3], { requiresGrad: true });
    pow(x, e).backward(f64([1]));
    expectClose(x.grad!, [12]);
    expectClose(e.grad!, [8 * Math.LN2]);
    // At x = 0: d/dx 0^0 is 0 (PyTorch masks exponent 0; e·x^(e−1) would be 0·inf = NaN),
    // d/dx 0^2 = 2·0 = 0, and d/de 0^e is 0 for e ≥ 0 (x^e·ln x would be 0·(−inf) = NaN).
    const z = f64([0, 0, 2], { requiresGrad: true });
    const k = f64([0, 2, 0], { requiresGrad: true });
    pow(z, k).sum().backward();
    expectClose(z.grad!, [0, 0, 0]);
    expectClose(k.grad!, [0, 0, Math.LN2]);
    const w = f64([0, 3], { requiresGrad: true });
    pow(w, 0).sum().backward();
    expectClose(w.grad!, [0, 0]);
  });

  it('is a method on Tensor', () => {
    expectClose(f64([3]).pow(2), [9]);
  });
});

describe('pow: errors', () => {
  it('refuses an int32 base and names both shapes when they do not broadcast', () => {
    expect(() => pow(tensor([2], { dtype: 'int32' }), 2)).toThrow(/pow: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
    expect(() => pow(f64([1, 2]), f64([1, 2, 3]))).toThrow(/pow: shapes \[2\] and \[3\] cannot be broadcast together/);
  });
});
