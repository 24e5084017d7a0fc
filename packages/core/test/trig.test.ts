import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, cos, mul, sin, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

const anyArb = shapedTensorArb({}, { requiresGrad: true, min: -4, max: 4 });

describe('sin, cos: gradients (gradcheck over random shapes)', () => {
  it('sin', () => {
    fc.assert(fc.property(anyArb, (x) => gradcheck(sin, [x], { name: 'sin' })), { numRuns: RUNS });
  });
  it('cos', () => {
    fc.assert(fc.property(anyArb, (x) => gradcheck(cos, [x], { name: 'cos' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): sin, cos', () => {
    const arb = shapedTensorArb(GRADGRAD_SHAPES, { requiresGrad: true, min: -4, max: 4 });
    fc.assert(fc.property(arb, (x) => gradgradcheck(sin, [x], { name: 'sin' }) && gradgradcheck(cos, [x], { name: 'cos' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('sin, cos: properties', () => {
  it('sin² + cos² = 1, sin is odd, cos is even', () => {
    fc.assert(fc.property(shapedTensorArb({}, { min: -100, max: 100 }), (x) => {
      expectClose(add(mul(sin(x), sin(x)), mul(cos(x), cos(x))), new Array<number>(x.size).fill(1), { shape: x.shape, atol: 1e-15, rtol: 0 });
      expectClose(sin(x.neg()), Array.from(sin(x).data, (v) => -v), { shape: x.shape, atol: 0, rtol: 0 });
      expectClose(cos(x.neg()), Array.from(cos(x).data), { shape: x.shape, atol: 0, rtol: 0 });
    }), { numRuns: RUNS });
  });
});

describe('sin, cos: values', () => {
  it('at multiples of π/6 and at ±∞', () => {
    // sin: 0, ½, 1, 0 at 0, π/6, π/2, π (sin π is 1.22e-16 in float64: π is rounded); NaN at ±∞
    expectClose(sin(f64([0, Math.PI / 6, Math.PI / 2, Math.PI, Infinity, Number.NaN])), [0, 0.5, 1, 1.2246467991473532e-16, Number.NaN, Number.NaN], { atol: 1e-16 });
    // cos: 1, √3/2, ½, −1 at 0, π/6, π/3, π
    expectClose(cos(f64([0, Math.PI / 6, Math.PI / 3, Math.PI, -Infinity])), [1, Math.sqrt(3) / 2, 0.5, -1, Number.NaN], { atol: 1e-15 });
  });
  it('gradients at known points', () => {
    // d sin = cos: at 0 → 1, at π → −1. d cos = −sin: at π/2 → −1, at −π/2 → 1.
    const x = f64([0, Math.PI], { requiresGrad: true });
    sin(x).sum().backward();
    expectClose(x.grad!, [1, -1], { atol: 1e-15 });
    const y = f64([Math.PI / 2, -Math.PI / 2], { requiresGrad: true });
    cos(y).sum().backward();
    expectClose(y.grad!, [-1, 1], { atol: 1e-15 });
  });
  it('are methods on Tensor', () => {
    expectClose(f64([0]).sin().cos(), [1]);
  });
});

describe('sin, cos: errors', () => {
  it('refuse int32 input, naming the op and the shape', () => {
    const i = tensor([[1]], { dtype: 'int32' });
    expect(() => sin(i)).toThrow(/sin: input must be a float tensor \(float32 or float64\), got int32 of shape \[1, 1\]/);
    expect(() => cos(i)).toThrow(/cos: input must be a float tensor/);
  });
});
