import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gelu, sub, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

const approximations = ['none', 'tanh'] as const;

describe('gelu: gradient (gradcheck over random shapes, both forms)', () => {
  it.each(approximations)('approximate %s', (approximate) => {
    const arb = shapedTensorArb({}, { requiresGrad: true, min: -4, max: 4 });
    fc.assert(fc.property(arb, (x) => gradcheck((t) => gelu(t, { approximate }), [x], { name: `gelu ${approximate}` })), { numRuns: RUNS });
  });
  it.each(approximations)('second derivative (gradgradcheck), approximate %s', (approximate) => {
    const arb = shapedTensorArb(GRADGRAD_SHAPES, { requiresGrad: true, min: -3, max: 3 });
    fc.assert(fc.property(arb, (x) => gradgradcheck((t) => gelu(t, { approximate }), [x], { name: `gelu ${approximate}` })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('gelu: properties', () => {
  it('gelu(x) − gelu(−x) = x in both forms (Φ(x) + Φ(−x) = 1, tanh is odd); the forms agree to 2e-3', () => {
    fc.assert(fc.property(shapedTensorArb({}, { min: -6, max: 6 }), (x) => {
      for (const approximate of approximations) {
        expectClose(sub(gelu(x, { approximate }), gelu(x.neg(), { approximate })), Array.from(x.data), { shape: x.shape, atol: 1e-14, rtol: 1e-14 });
      }
      const d = sub(gelu(x), gelu(x, { approximate: 'tanh' }));
      d.data.forEach((v) => expect(Math.abs(v)).toBeLessThan(2e-3));
    }), { numRuns: RUNS });
  });
});

describe('gelu: values', () => {
  it('exact form: x·Φ(x)', () => {
    // Φ(1) = ½(1 + erf(1/√2)) = 0.8413447460685429, so gelu(1) = 0.8413447460685429 and
    // gelu(−1) = −Φ(−1) = −0.15865525393145707; gelu(0) = 0; gelu(−∞) = −∞·0 = NaN (as PyTorch)
    expectClose(gelu(f64([1, -1, 0, Infinity, -Infinity, Number.NaN])), [0.8413447460685429, -0.15865525393145707, 0, Infinity, Number.NaN, Number.NaN], { rtol: 1e-15 });
  });
  it('tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))', () => {
    // x = 1: u = 0.7978845608028654 · 1.044715 = 0.8335619689391656, tanh(u) = 0.6823839812165535, gelu = ½(1 + tanh u)
    expectClose(gelu(f64([1, 0]), { approximate: 'tanh' }), [0.8411919906082768, 0], { rtol: 1e-15 });
  });
  it('gradients at known points', () => {
    // exact: d/dx = Φ(x) + x·φ(x); at 0: ½; at 1: 0.8413447460685429 + e^(−½)/√(2π) = 0.8413447460685429 + 0.24197072451914337
    const x = f64([0, 1], { requiresGrad: true });
    gelu(x).sum().backward();
    expectClose(x.grad!, [0.5, 0.8413447460685429 + 0.24197072451914337], { rtol: 1e-15 });
    // tanh: at 0, ½(1 + tanh 0) + 0 = ½
    const y = f64([0], { requiresGrad: true });
    gelu(y, { approximate: 'tanh' }).sum().backward();
    expectClose(y.grad!, [0.5]);
  });
  it('keeps float32', () => {
    expect(gelu(tensor([1, 2])).dtype).toBe('float32');
  });
});

describe('gelu: errors', () => {
  it('names the op and the argument', () => {
    expect(() => gelu(tensor([1], { dtype: 'int32' }))).toThrow(/gelu: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
    expect(() => gelu(f64([1]), { approximate: 'erf' as 'none' })).toThrow(/gelu: approximate must be 'none' or 'tanh', got "erf"/);
  });
});
