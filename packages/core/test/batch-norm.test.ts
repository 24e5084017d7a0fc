import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNorm, noGrad, sum, Tensor } from '../src/index.js';
import { gradcheck, tensorArb } from '../src/testing/index.js';
import { distinctTensorArb, expectClose, f64, re, RUNS } from './helpers.js';

/** (N, C, ...) of rank 2-4 with N·spatial ≥ 2, and per-channel weight, bias and running statistics. */
const bnArb = fc
  .tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }))
  .filter(([n, , spatial]) => n * spatial.reduce((a, b) => a * b, 1) >= 2)
  .chain(([n, c, spatial]) =>
    fc.record({
      x: tensorArb([n, c, ...spatial], { requiresGrad: true, min: -3, max: 3 }),
      weight: tensorArb([c], { requiresGrad: true }),
      bias: tensorArb([c], { requiresGrad: true }),
      mean: tensorArb([c]),
      variance: tensorArb([c], { min: 0.5, max: 2 }),
    }));

describe('batchNorm: values', () => {
  it('training: normalises with the biased variance and updates the running statistics (unbiased variance)', () => {
    // x = [1, 2, 3, 4] on one channel: μ = 2.5, σ² = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25; eps = 0:
    //   y = (x − 2.5)/√1.25 · 2 + 1 = [−3/√1.25 + 1, −1/√1.25 + 1, 1/√1.25 + 1, 3/√1.25 + 1]
    // running: mean 0 → 0.9·0 + 0.1·2.5 = 0.25; var 1 → 0.9·1 + 0.1·(1.25·4/3) = 0.9 + 1/6
    const x = f64([[1], [2], [3], [4]]);
    const rm = f64([0]);
    const rv = f64([1]);
    const y = batchNorm(x, rm, rv, { weight: f64([2]), bias: f64([1]), training: true, eps: 0 });
    const r = Math.sqrt(1.25);
    expectClose(y, [[-3 / r + 1], [-1 / r + 1], [1 / r + 1], [3 / r + 1]], { atol: 1e-15, rtol: 1e-14 });
    expectClose(rm, [0.25], { atol: 1e-15 });
    expectClose(rv, [0.9 + 1 / 6], { atol: 1e-15 });
  });

  it('eval: uses the running statistics and leaves them alone; dx = weight/√(var + eps)·grad', () => {
    // (x − 1)/√(4 + 0) · 3 − 1 for x = [1, 3, 5] → [−1, 2, 5]
    const x = f64([[[1, 3, 5]]], { requiresGrad: true });
    const rm = f64([1]);
    const rv = f64([4]);
    const y = batchNorm(x, rm, rv, { weight: f64([3]), bias: f64([-1]), eps: 0 });
    expectClose(y, [[[-1, 2, 5]]]);
    y.sum().backward();
    expectClose(x.grad!, [[[1.5, 1.5, 1.5]]]);
    expectClose(rm, [1]);
    expectClose(rv, [4]);
  });

  it('training gradients: Σ dx per channel is 0 and dx ⟂ x̂ (the batch statistics absorb shifts and scales)', () => {
    fc.assert(
      fc.property(bnArb.chain((a) => distinctTensorArb(a.x.shape).map((x) => ({ ...a, x: x.requiresGrad_() }))), fc.integer(), ({ x, weight, bias }, seed) => {
        // distinct values: no channel has zero variance
        const g = new Tensor(Float64Array.from(x.data, (_, i) => Math.sin(seed + 7 * i)), x.shape);
        // eps = 0 makes both exact: Σ dx·x̂ ∝ Σ(g·x̂)·(1 − Σx̂²/M) and Σx̂²/M = σ²/(σ² + eps)
        const y = batchNorm(x, null, null, { weight, bias, training: true, eps: 0 });
        y.backward(g);
        const xhat = noGrad(() => batchNorm(x, null, null, { training: true, eps: 0 }));
        const dims = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
        const scale = 1 + Math.max(...Array.from(x.grad!.data, Math.abs));
        for (const v of [sum(x.grad!, dims), sum(x.grad!.mul(xhat), dims)]) {
          for (const e of v.data) expect(Math.abs(e)).toBeLessThan(1e-9 * scale * x.size);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('batchNorm: gradients (gradcheck over random shapes)', () => {
  it('training: input, weight and bias', () => {
    fc.assert(
      fc.property(bnArb, ({ x, weight, bias }) =>
        gradcheck((xi, wi, bi) => batchNorm(xi!, null, null, { weight: wi!, bias: bi!, training: true }), [x, weight, bias], { name: 'batchNorm' })),
      { numRuns: RUNS },
    );
  });
  it('eval: input, weight and bias', () => {
    fc.assert(
      fc.property(bnArb, ({ x, weight, bias, mean, variance }) =>
        gradcheck((xi, wi, bi) => batchNorm(xi!, mean, variance, { weight: wi!, bias: bi! }), [x, weight, bias], { name: 'batchNorm eval' })),
      { numRuns: RUNS },
    );
  });
});

describe('batchNorm: errors name the op, the argument and the shapes', () => {
  const x = f64([[[1, 2]], [[3, 4]]]);
  it.each([
    ['a weight of the wrong size', () => batchNorm(x, null, null, { weight: f64([1, 2]), training: true }),
      'batchNorm: weight must have shape [1] (the channels of input [2, 1, 2]), got [2]'],
    ['a running mean of the wrong size', () => batchNorm(x, f64([0, 0]), f64([1])),
      'batchNorm: runningMean must have shape [1] (the channels of input [2, 1, 2]), got [2]'],
    ['eval without running statistics', () => batchNorm(x, null, null), 'batchNorm: runningMean and runningVar are required when not training'],
    ['one value per channel in training', () => batchNorm(f64([[1, 2]]), null, null, { training: true }),
      'batchNorm: expected more than 1 value per channel when training, got input of shape [1, 2]'],
    ['a 1-D input', () => batchNorm(f64([1, 2]), null, null, { training: true }), 'batchNorm: input must have at least 2 dims (N, C, ...), got shape [2]'],
    ['a weight of another dtype', () => batchNorm(x, null, null, { weight: f64([1]).to('float32'), training: true }),
      'batchNorm: weight is float32 but input is float64'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
