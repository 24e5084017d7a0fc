import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerNorm, mean, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { distinctTensorArb, expectClose, f64, flat, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

/** A shape of rank ≥ 1, k trailing dims to normalise (each ≥ 2 values in all, so σ² > 0), optional weight and bias. */
const caseArbOf = (maxRank: number, maxDim: number) => shapeArb({ minRank: 1, maxRank, minDim: 2, maxDim }).chain((shape) => fc.integer({ min: 1, max: shape.length }).chain((k) => {
  const ns = shape.slice(shape.length - k);
  return fc.record({
    x: tensorArb(shape, { requiresGrad: true }),
    ns: fc.constant(ns),
    weight: fc.option(tensorArb(ns, { requiresGrad: true, min: 0.5, max: 1.5 }), { nil: null }),
    bias: fc.option(tensorArb(ns, { requiresGrad: true }), { nil: null }),
    eps: fc.constantFrom(1e-5, 0.1),
  });
}));
const caseArb = caseArbOf(4, 4);

describe('layerNorm: gradients (gradcheck over random shapes, k, affine and eps)', () => {
  it('input, weight and bias', () => {
    fc.assert(fc.property(caseArb, ({ x, ns, weight, bias, eps }) => {
      const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
      return gradcheck((t, w, b) => layerNorm(t!, ns, { eps, weight: weight ? w! : null, bias: bias ? (weight ? b! : w!) : null }), inputs, { name: 'layerNorm' });
    }), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): input, weight and bias', () => {
    fc.assert(fc.property(caseArbOf(GRADGRAD_SHAPES.maxRank, GRADGRAD_SHAPES.maxDim), ({ x, ns, weight, bias, eps }) => {
      const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
      return gradgradcheck((t, w, b) => layerNorm(t!, ns, { eps, weight: weight ? w! : null, bias: bias ? (weight ? b! : w!) : null }), inputs, { name: 'layerNorm' });
    }), { numRuns: GRADGRAD_RUNS });
  });
});

describe('layerNorm: properties', () => {
  it('without affine: each normalised slice has mean 0 and variance 1 (eps 0); invariant to x → a·x + b', () => {
    const distinct = caseArb.chain(({ x, ns }) => distinctTensorArb(x.shape).map((d) => ({ x: d, ns }))); // no constant slice: σ² > 0
    fc.assert(fc.property(distinct, fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), ({ x, ns }, a, b) => {
      const dims = ns.map((_, i) => x.ndim - ns.length + i);
      const y = layerNorm(x, ns, { eps: 0 });
      expectClose(mean(y, dims), new Array<number>(mean(y, dims).size).fill(0), { shape: mean(y, dims).shape, atol: 1e-12 });
      expectClose(mean(y.mul(y), dims), new Array<number>(mean(y, dims).size).fill(1), { shape: mean(y, dims).shape, atol: 1e-9 });
      expectClose(layerNorm(x.mul(a).add(b), ns, { eps: 0 }), flat(y), { shape: y.shape, atol: 1e-9 });
    }), { numRuns: RUNS });
  });
});

describe('layerNorm: values', () => {
  it('normalises the last dims, then scales and shifts', () => {
    // row [1, 2, 3]: μ = 2, σ² = 2/3, x̂ = (x − 2)/√(2/3 + eps); eps = 0 → [−√1.5, 0, √1.5]
    // weight [1, 2, 3], bias [0, 0, 1]: y = [−√1.5, 0, 3√1.5 + 1]
    const r = Math.sqrt(1.5);
    expectClose(layerNorm(f64([[1, 2, 3]]), [3], { eps: 0, weight: f64([1, 2, 3]), bias: f64([0, 0, 1]) }), [[-r, 0, 3 * r + 1]], { rtol: 1e-15 });
    // normalizedShape [2, 2] over [[1, 2], [3, 4]]: μ = 2.5, σ² = 1.25 → (x − 2.5)/√1.25
    const s = Math.sqrt(1.25);
    expectClose(layerNorm(f64([[[1, 2], [3, 4]]]), [2, 2], { eps: 0 }), [[[-1.5 / s, -0.5 / s], [0.5 / s, 1.5 / s]]], { rtol: 1e-15 });
  });
  it('a constant slice (σ² = 0) gives the bias; keeps float32', () => {
    expectClose(layerNorm(f64([[5, 5]]), [2], { bias: f64([1, -1]) }), [[1, -1]]);
    expect(layerNorm(tensor([[1, 2]]), [2]).dtype).toBe('float32');
  });
  it('gradients at known points', () => {
    // y = x̂·w + b over [1, 2, 3] (eps 0, w = 1, b = 0), upstream [1, 0, 0]:
    //   db = [1, 0, 0]; dw = x̂ · g = [−√1.5, 0, 0];
    //   dx = r·(g − mean(g) − x̂·mean(g·x̂)), r = √1.5, mean(g) = ⅓, mean(g·x̂) = −√1.5/3
    //      = √1.5·([1, 0, 0] − ⅓ + x̂·√1.5/3) with x̂·√1.5 = [−1.5, 0, 1.5]: √1.5·[1 − ⅓ − ½, −⅓, −⅓ + ½]
    const x = f64([1, 2, 3], { requiresGrad: true });
    const w = f64([1, 1, 1], { requiresGrad: true });
    const b = f64([0, 0, 0], { requiresGrad: true });
    layerNorm(x, [3], { eps: 0, weight: w, bias: b }).backward(f64([1, 0, 0]));
    const r = Math.sqrt(1.5);
    expectClose(b.grad!, [1, 0, 0]);
    expectClose(w.grad!, [-r, 0, 0], { rtol: 1e-15 });
    expectClose(x.grad!, [r * (1 - 1 / 3 - 0.5), -r / 3, r * (-1 / 3 + 0.5)], { atol: 1e-15 });
  });
});

describe('layerNorm: errors', () => {
  it('names the op, the argument and the shapes', () => {
    const x = f64([[1, 2, 3]]);
    expect(() => layerNorm(x, [4])).toThrow(/layerNorm: normalizedShape \[4\] must match the last dims of input \[1, 3\] \(expected input of shape \[\*, 4\]\)/);
    expect(() => layerNorm(x, [])).toThrow(/layerNorm: normalizedShape must have at least one dim, got \[\]/);
    expect(() => layerNorm(x, ['3'] as never)).toThrow(/layerNorm: normalizedShape must be a size or a list of sizes \(non-negative integers\), got \["3"\]/);
    expect(() => layerNorm(x, 2.5)).toThrow(/layerNorm: normalizedShape must be a size or a list of sizes \(non-negative integers\), got 2.5/);
    expectClose(layerNorm(x, 3, { eps: 0 }), flat(layerNorm(x, [3], { eps: 0 })), { shape: [1, 3] }); // a size is [size], as PyTorch
    expect(() => layerNorm(x, [3], { weight: f64([1, 2]) })).toThrow(/layerNorm: weight must have shape \[3\], got \[2\]/);
    expect(() => layerNorm(x, [3], { bias: tensor([1, 2, 3]) })).toThrow(/layerNorm: bias is float32 but input is float64; convert one with .to\(\)/);
    expect(() => layerNorm(x, [3], { eps: -1 })).toThrow(/layerNorm: eps must be >= 0, got -1/);
    expect(() => layerNorm(tensor([1], { dtype: 'int32' }), [1])).toThrow(/layerNorm: input must be a float tensor/);
  });
});
