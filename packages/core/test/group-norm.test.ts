import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupNorm, layerNorm, tensor } from '../src/index.js';
import { gradcheck, gradgradcheck, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, flat, GRADGRAD_RUNS, RUNS } from './helpers.js';

/** (N, C, *spatial) with C = G·k, at least 2 values per group; optional per-channel weight and bias. */
const caseArbOf = (max: number, maxSpatial: number) => fc.record({
  n: fc.integer({ min: 1, max }), g: fc.integer({ min: 1, max }), k: fc.integer({ min: 1, max: 2 }),
  spatial: fc.array(fc.integer({ min: 1, max }), { maxLength: maxSpatial }),
}).filter(({ k, spatial }) => k * spatial.reduce((a, d) => a * d, 1) >= 2).chain(({ n, g, k, spatial }) => fc.record({
  x: tensorArb([n, g * k, ...spatial], { requiresGrad: true }),
  groups: fc.constant(g),
  weight: fc.option(tensorArb([g * k], { requiresGrad: true, min: 0.5, max: 1.5 }), { nil: null }),
  bias: fc.option(tensorArb([g * k], { requiresGrad: true }), { nil: null }),
}));
const caseArb = caseArbOf(3, 2);

describe('groupNorm: gradients (gradcheck over random shapes, groups and affine)', () => {
  it('input, weight and bias', () => {
    fc.assert(fc.property(caseArb, ({ x, groups, weight, bias }) => {
      const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
      return gradcheck((t, w, b) => groupNorm(t!, groups, { weight: weight ? w! : null, bias: bias ? (weight ? b! : w!) : null }), inputs, { name: 'groupNorm' });
    }), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): input, weight and bias', () => {
    fc.assert(fc.property(caseArbOf(2, 1), ({ x, groups, weight, bias }) => {
      const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
      return gradgradcheck((t, w, b) => groupNorm(t!, groups, { weight: weight ? w! : null, bias: bias ? (weight ? b! : w!) : null }), inputs, { name: 'groupNorm' });
    }), { numRuns: GRADGRAD_RUNS });
  });
});

describe('groupNorm: properties', () => {
  it('without affine, equals layerNorm of the (N, G, C/G·spatial) view', () => {
    fc.assert(fc.property(caseArb, ({ x, groups }) => {
      const view = x.reshape([x.shape[0]!, groups, -1]);
      expectClose(groupNorm(x, groups), flat(layerNorm(view, [view.shape[2]!])), { shape: x.shape, atol: 1e-12 });
    }), { numRuns: RUNS });
  });
});

describe('groupNorm: values', () => {
  it('normalises each group of channels, then scales and shifts per channel', () => {
    // one sample, C = 4 in 2 groups, L = 1: group 0 = [1, 3] → μ 2, σ² 1 → [−1, 1]; group 1 = [10, 10] → [0, 0]
    // weight [1, 2, 3, 4], bias [0, 0, 0, 1]: [−1, 2, 0, 1] (eps 1e-12: group 1 is 0/√eps = 0, not 0/0)
    const y = groupNorm(f64([[[1], [3], [10], [10]]]), 2, { eps: 1e-12, weight: f64([1, 2, 3, 4]), bias: f64([0, 0, 0, 1]) });
    expectClose(y, [[[-1], [2], [0], [1]]], { atol: 1e-11 });
  });
  it('gradients: dbias = Σ grad and dweight = Σ grad·x̂ per channel', () => {
    // x̂ = [[−1, 1]] per the group [1, 3] (one group, C = 2, N = 1); upstream [[2, 5]]:
    // dbias = [2, 5], dweight = [−2, 5]; dx = r·(ĝ − mean ĝ − x̂·mean(ĝ·x̂)) with r = 1 (σ² = 1, eps 0),
    // ĝ = [2, 5]: mean 3.5, mean(ĝ·x̂) = 1.5 → [2 − 3.5 + 1.5, 5 − 3.5 − 1.5] = [0, 0]
    const x = f64([[1, 3]], { requiresGrad: true });
    const w = f64([1, 1], { requiresGrad: true });
    const b = f64([0, 0], { requiresGrad: true });
    groupNorm(x, 1, { eps: 0, weight: w, bias: b }).backward(f64([[2, 5]]));
    expectClose(b.grad!, [2, 5]);
    expectClose(w.grad!, [-2, 5]);
    expectClose(x.grad!, [[0, 0]], { atol: 1e-15 });
  });
  it('takes N = 0 and keeps float32', () => {
    expect(groupNorm(f64([]).reshape([0, 4, 2]), 2).shape).toEqual([0, 4, 2]);
    expect(groupNorm(tensor([[1, 2]]), 1).dtype).toBe('float32');
  });
});

describe('groupNorm: errors', () => {
  it('names the op, the argument and the shapes', () => {
    const x = f64([[1, 2, 3]]);
    expect(() => groupNorm(x, 2)).toThrow(/groupNorm: the 3 channels of input \[1, 3\] cannot be split into 2 groups/);
    expect(() => groupNorm(f64([1, 2]), 1)).toThrow(/groupNorm: input must have at least 2 dims \(N, C, \*\), got shape \[2\]/);
    expect(() => groupNorm(x, 0)).toThrow(/groupNorm: numGroups must be an integer >= 1, got 0/);
    expect(() => groupNorm(x, 3, { weight: f64([1]) })).toThrow(/groupNorm: weight must have shape \[3\], got \[1\]/);
  });
});
