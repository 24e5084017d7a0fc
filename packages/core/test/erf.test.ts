import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erf, tensor } from '../src/index.js';
import { erf as erfScalar } from '../src/kernels/erf.js';
import { gradcheck, gradgradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

describe('erf: gradient (gradcheck over random shapes)', () => {
  it('erf', () => {
    const arb = shapedTensorArb({}, { requiresGrad: true, min: -4, max: 4 });
    fc.assert(fc.property(arb, (x) => gradcheck(erf, [x], { name: 'erf' })), { numRuns: RUNS });
  });
  it('second derivative (gradgradcheck)', () => {
    const arb = shapedTensorArb(GRADGRAD_SHAPES, { requiresGrad: true, min: -3, max: 3 });
    fc.assert(fc.property(arb, (x) => gradgradcheck(erf, [x], { name: 'erf' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('erf: properties', () => {
  it('is odd, increasing, and in [−1, 1]', () => {
    fc.assert(fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 1e-9, max: 1, noNaN: true }), (x, h) => {
      const y = erfScalar(x);
      expect(erfScalar(-x)).toBe(-y);
      expect(Math.abs(y)).toBeLessThanOrEqual(1);
      expect(erfScalar(x + h)).toBeGreaterThanOrEqual(y);
    }), { numRuns: 200 });
  });
});

describe('erf: values', () => {
  it('matches reference values on both sides of the kernel switch points (3 and 6)', () => {
    // Python's math.erf (correctly rounded libm values): erf(0.5), erf(1), erf(2.999), erf(3), erf(3.001),
    // erf(5.9); erf(6) rounds to 1 (erfc(6) ≈ 2.2e-17 < half an ulp of 1), erf(±∞) = ±1.
    const x = f64([0.5, 1, 2.999, 3, 3.001, 5.9, 6, Infinity, -Infinity, 1e-10]);
    const want = [0.5204998778130465, 0.8427007929497149, 0.9999777698314002, 0.9999779095030014, 0.9999780483390822, 0.9999999999999999, 1, 1, -1, 1.1283791670955126e-10];
    expectClose(erf(x), want, { atol: 0, rtol: 3e-16 });
    expect(Object.is(erf(f64([-0])).data[0], -0)).toBe(true);
    expect(erf(f64([Number.NaN])).data[0]).toBeNaN();
  });
  it('gradient at known points', () => {
    // d erf = 2/√π · exp(−x²): at 0 → 2/√π = 1.1283791670955126, at 1 → 2/(e√π) = 0.4151074974205947
    const x = f64([0, 1], { requiresGrad: true });
    erf(x).sum().backward();
    expectClose(x.grad!, [1.1283791670955126, 0.4151074974205947], { rtol: 1e-15 });
  });
  it('is a method on Tensor', () => {
    expectClose(f64([0]).erf(), [0]);
  });
});

describe('erf: errors', () => {
  it('refuses int32 input', () => {
    expect(() => erf(tensor([1], { dtype: 'int32' }))).toThrow(/erf: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
  });
});
