import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { softplus, sub, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

describe('softplus: gradient (gradcheck over random shapes and options)', () => {
  it('beta and threshold, away from the switch β·x = threshold', () => {
    const arb = fc.record({ beta: fc.constantFrom(1, 2, 0.5, -1), threshold: fc.constantFrom(20, 1, 3) }).chain((o) =>
      shapedTensorArb({}, { requiresGrad: true, min: -5, max: 5, avoid: [o.threshold / o.beta], margin: 0.05 }).map((x) => ({ o, x })));
    fc.assert(fc.property(arb, ({ o, x }) => gradcheck((t) => softplus(t, o), [x], { name: 'softplus' })), { numRuns: RUNS });
  });
  it('second derivative (gradgradcheck), both sides of the threshold', () => {
    const arb = fc.record({ beta: fc.constantFrom(1, 2, -1), threshold: fc.constantFrom(20, 1) }).chain((o) =>
      shapedTensorArb(GRADGRAD_SHAPES, { requiresGrad: true, min: -4, max: 4, avoid: [o.threshold / o.beta], margin: 0.05 }).map((x) => ({ o, x })));
    fc.assert(fc.property(arb, ({ o, x }) => gradgradcheck((t) => softplus(t, o), [x], { name: 'softplus' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('softplus: properties', () => {
  it('softplus(x) − softplus(−x) = x and softplus(x) > max(x, 0) (β = 1, below the threshold)', () => {
    fc.assert(fc.property(shapedTensorArb({}, { min: -15, max: 15 }), (x) => {
      expectClose(sub(softplus(x), softplus(x.neg())), Array.from(x.data), { shape: x.shape, atol: 1e-13, rtol: 1e-14 });
      softplus(x).data.forEach((v, i) => expect(v).toBeGreaterThan(Math.max(x.data[i]!, 0)));
    }), { numRuns: RUNS });
  });
});

describe('softplus: values', () => {
  it('log(1 + eˣ)/β below the threshold, x above it', () => {
    // β = 1: softplus(0) = ln 2; softplus(−30) = ln(1 + e^−30) = 9.357622968839737e-14 (log1p keeps it);
    // 25 > 20 is returned as is. β = 2, threshold 1: x = 0.5 gives β·x = 1, not above: ln(1 + e)/2 = 0.6566...;
    // x = 0.6 gives 1.2 > 1: 0.6.
    expectClose(softplus(f64([0, -30, 25])), [Math.LN2, 9.357622968839737e-14, 25], { rtol: 1e-15 });
    expectClose(softplus(f64([0.5, 0.6]), { beta: 2, threshold: 1 }), [Math.log1p(Math.E) / 2, 0.6], { rtol: 1e-15 });
    // NaN stays NaN; +∞ is above any threshold; −∞ gives log1p(0) = 0
    expectClose(softplus(f64([Number.NaN, Infinity, -Infinity])), [Number.NaN, Infinity, 0]);
  });
  it('gradient: sigmoid(β·x), 1 above the threshold', () => {
    // d/dx at 0 = sigmoid(0) = ½; at ln 3 = 3/4 (sigmoid(ln 3) = 3/(1 + 3)); at 25 (above 20) = 1.
    // β = 2 at x = ln(3)/2: sigmoid(ln 3) = 3/4 again.
    const x = f64([0, Math.log(3), 25], { requiresGrad: true });
    softplus(x).sum().backward();
    expectClose(x.grad!, [0.5, 0.75, 1], { rtol: 1e-15 });
    const y = f64([Math.log(3) / 2], { requiresGrad: true });
    softplus(y, { beta: 2 }).sum().backward();
    expectClose(y.grad!, [0.75], { rtol: 1e-15 });
  });
  it('keeps float32; its gradient is finite where exp(β·x) overflows', () => {
    expect(softplus(tensor([1])).dtype).toBe('float32');
    const x = f64([800], { requiresGrad: true });
    softplus(x, { threshold: 1000 }).sum().backward(); // β·x < threshold: log1p(exp(800)) = ∞, as PyTorch
    expect(x.grad!.data[0]).toBe(1);
  });
});

describe('softplus: errors', () => {
  it('names the op and the argument', () => {
    expect(() => softplus(tensor([1], { dtype: 'int32' }))).toThrow(/softplus: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
    expect(() => softplus(f64([1]), { beta: 0 })).toThrow(/softplus: beta must be a non-zero number, got 0/);
    expect(() => softplus(f64([1]), { threshold: Number.NaN })).toThrow(/softplus: threshold must be a number, got NaN/);
  });
});
