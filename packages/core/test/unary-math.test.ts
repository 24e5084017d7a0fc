import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abs, exp, log, sqrt, tensor } from '../src/index.js';
import { gradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, RUNS } from './helpers.js';

const anyArb = shapedTensorArb({}, { requiresGrad: true });
const positiveArb = shapedTensorArb({}, { requiresGrad: true, min: 0.2, max: 3 });

describe('exp, log, sqrt, abs: gradients (gradcheck over random shapes)', () => {
  it('exp', () => {
    fc.assert(fc.property(anyArb, (x) => gradcheck(exp, [x], { name: 'exp' })), { numRuns: RUNS });
  });
  it('log (positive inputs)', () => {
    fc.assert(fc.property(positiveArb, (x) => gradcheck(log, [x], { name: 'log' })), { numRuns: RUNS });
  });
  it('sqrt (positive inputs)', () => {
    fc.assert(fc.property(positiveArb, (x) => gradcheck(sqrt, [x], { name: 'sqrt' })), { numRuns: RUNS });
  });
  it('abs (away from the kink at 0)', () => {
    const arb = shapedTensorArb({}, { requiresGrad: true, avoid: [0] });
    fc.assert(fc.property(arb, (x) => gradcheck(abs, [x], { name: 'abs' })), { numRuns: RUNS });
  });
});

describe('exp, log, sqrt, abs: values', () => {
  it('exp', () => {
    // e^0 = 1, e^1 = e, e^−1 = 1/e, e^(ln 2) = 2, e^−inf = 0
    expectClose(exp(f64([0, 1, -1, Math.LN2, -Infinity])), [1, Math.E, 1 / Math.E, 2, 0], { atol: 0, rtol: 1e-15 });
  });
  it('log', () => {
    // ln 1 = 0, ln e = 1, ln 0.5 = −ln 2, ln 0 = −inf, ln(−1) = NaN
    expectClose(log(f64([1, Math.E, 0.5, 0, -1])), [0, 1, -Math.LN2, -Infinity, Number.NaN], { atol: 0, rtol: 1e-15 });
  });
  it('sqrt', () => {
    // √4 = 2, √0.25 = 0.5, √2, √0 = 0, √−1 = NaN
    expectClose(sqrt(f64([4, 0.25, 2, 0, -1])), [2, 0.5, Math.SQRT2, 0, Number.NaN]);
  });
  it('abs, also of int32', () => {
    expectClose(abs(f64([-1.5, 0, 2])), [1.5, 0, 2]);
    const i = abs(tensor([-3, 4], { dtype: 'int32' }));
    expect(i.dtype).toBe('int32');
    expect(Array.from(i.data)).toEqual([3, 4]);
  });
  it('gradients at known points', () => {
    // d e^x = e^x: at 0 → 1, at 1 → e. d ln x = 1/x: at 4 → 0.25. d √x = 1/(2√x): at 4 → 0.25.
    // d|x| = sign x, 0 at x = 0 (as PyTorch).
    const x = f64([0, 1], { requiresGrad: true });
    exp(x).sum().backward();
    expectClose(x.grad!, [1, Math.E]);
    const y = f64([4], { requiresGrad: true });
    log(y).sum().backward();
    sqrt(y).sum().backward();
    expectClose(y.grad!, [0.5]);
    const z = f64([-2, 0, 3], { requiresGrad: true });
    abs(z).sum().backward();
    expectClose(z.grad!, [-1, 0, 1]);
  });
  it('are methods on Tensor', () => {
    expectClose(f64([4]).sqrt().log().exp().neg().abs(), [2]);
  });
});

describe('exp, log, sqrt: errors', () => {
  it('refuse int32 input, naming the op and the shape', () => {
    const i = tensor([[1, 2]], { dtype: 'int32' });
    expect(() => exp(i)).toThrow(/exp: input must be a float tensor \(float32 or float64\), got int32 of shape \[1, 2\]/);
    expect(() => log(i)).toThrow(/log: input must be a float tensor/);
    expect(() => sqrt(i)).toThrow(/sqrt: input must be a float tensor/);
  });
});
