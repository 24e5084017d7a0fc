import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expm1, log1p, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

describe('log1p, expm1: gradients (gradcheck over random shapes)', () => {
  it('log1p (inputs > −1)', () => {
    const arb = shapedTensorArb({}, { requiresGrad: true, min: -0.8, max: 3 });
    fc.assert(fc.property(arb, (x) => gradcheck(log1p, [x], { name: 'log1p' })), { numRuns: RUNS });
  });
  it('expm1', () => {
    fc.assert(fc.property(shapedTensorArb({}, { requiresGrad: true }), (x) => gradcheck(expm1, [x], { name: 'expm1' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): log1p, expm1', () => {
    const arb = shapedTensorArb(GRADGRAD_SHAPES, { requiresGrad: true, min: -0.8, max: 3 });
    fc.assert(fc.property(arb, (x) => gradgradcheck(log1p, [x], { name: 'log1p' }) && gradgradcheck(expm1, [x], { name: 'expm1' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('log1p, expm1: properties', () => {
  it('are inverses of each other and agree with log(1 + x), exp(x) − 1 away from 0', () => {
    fc.assert(fc.property(shapedTensorArb({}, { min: -3, max: 3 }), (x) => {
      expectClose(log1p(expm1(x)), Array.from(x.data), { shape: x.shape, atol: 1e-15, rtol: 1e-14 });
      const big = x.data.map((v) => (Math.abs(v) < 0.1 ? 0.5 : v));
      const xb = f64(Array.from(big), { shape: x.shape });
      expectClose(expm1(xb), Array.from(big, (v) => Math.exp(v) - 1), { shape: x.shape, atol: 1e-15, rtol: 1e-14 });
    }), { numRuns: RUNS });
  });
});

describe('log1p, expm1: values', () => {
  it('keep the digits of tiny arguments that 1 + x would round away', () => {
    // log1p(x) = x − x²/2 + …: at 1e-10 that is 1e-10 − 5e-21, i.e. 1e-10 to 10 digits, while
    // log(1 + 1e-10) computes log(1.0000000001000000083) = 1.00000008e-10 (wrong in the 8th digit).
    expectClose(log1p(f64([1e-10, 0, -0.5, -1, -2])), [1e-10 - 5e-21, 0, -Math.LN2, -Infinity, Number.NaN], { atol: 0, rtol: 1e-15 });
    // expm1(x) = x + x²/2 + …; expm1(ln 2) = 1; expm1(−∞) = −1
    expectClose(expm1(f64([1e-10, Math.LN2, -Infinity, Infinity])), [1e-10 + 5e-21, 1, -1, Infinity], { atol: 0, rtol: 1e-15 });
  });
  it('gradients at known points', () => {
    // d log1p(x) = 1/(1 + x): at 1 → 0.5, at −0.5 → 2. d expm1(x) = exp(x): at 0 → 1, at ln 2 → 2.
    const x = f64([1, -0.5], { requiresGrad: true });
    log1p(x).sum().backward();
    expectClose(x.grad!, [0.5, 2]);
    const y = f64([0, Math.LN2], { requiresGrad: true });
    expm1(y).sum().backward();
    expectClose(y.grad!, [1, 2]);
  });
  it('are methods on Tensor and keep float32', () => {
    const t = tensor([0.5]).log1p().expm1();
    expect(t.dtype).toBe('float32');
    expect(t.data[0]).toBeCloseTo(0.5, 6);
  });
});

describe('log1p, expm1: errors', () => {
  it('refuse int32 input, naming the op and the shape', () => {
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => log1p(i)).toThrow(/log1p: input must be a float tensor \(float32 or float64\), got int32 of shape \[2\]/);
    expect(() => expm1(i)).toThrow(/expm1: input must be a float tensor/);
    expect(() => log1p([1] as never)).toThrow(/log1p: input must be a Tensor, got \[1\]/);
  });
});
