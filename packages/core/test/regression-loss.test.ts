import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { l1Loss, mseLoss, smoothL1Loss, tensor } from '../src/index.js';
import { broadcastableShapesArb, gradcheck, gradgradcheck, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, GRADGRAD_RUNS, GRADGRAD_SHAPES, RUNS } from './helpers.js';

const LOSSES = { mseLoss, l1Loss, smoothL1Loss } as const;
const reductionArb = fc.constantFrom('mean' as const, 'sum' as const, 'none' as const);

/** Input and target of broadcastable shapes with |input − target| away from the kinks 0 and ±beta. */
const pairArb = (beta: number, shapes = {}) => fc.tuple(broadcastableShapesArb(shapes), reductionArb).chain(([[a, b], reduction]) =>
  fc.tuple(tensorArb(a, { requiresGrad: true }), tensorArb(b, { requiresGrad: true }), fc.constant(reduction))).filter(([x, t]) => {
  const d = x.sub(t).data;
  return d.every((v) => Math.abs(v) > 0.02 && Math.abs(Math.abs(v) - beta) > 0.02);
});

describe('mseLoss, l1Loss, smoothL1Loss: gradients for input and target (gradcheck over broadcast shapes and reductions)', () => {
  it.each(['mseLoss', 'l1Loss'] as const)('%s', (name) => {
    fc.assert(fc.property(pairArb(0), ([x, t, reduction]) => gradcheck((a, b) => LOSSES[name](a!, b!, { reduction }), [x, t], { name })), { numRuns: RUNS });
  });
  it.each([1, 0.5, 0])('smoothL1Loss with beta %s', (beta) => {
    fc.assert(fc.property(pairArb(beta), ([x, t, reduction]) =>
      gradcheck((a, b) => smoothL1Loss(a!, b!, { reduction, beta }), [x, t], { name: 'smoothL1Loss' })), { numRuns: RUNS });
  });
  it('second derivatives (gradgradcheck): mseLoss, l1Loss, smoothL1Loss with beta 0.5', () => {
    fc.assert(fc.property(pairArb(0.5, GRADGRAD_SHAPES), ([x, t, reduction]) =>
      gradgradcheck((a, b) => mseLoss(a!, b!, { reduction }), [x, t], { name: 'mseLoss' }) &&
      gradgradcheck((a, b) => l1Loss(a!, b!, { reduction }), [x, t], { name: 'l1Loss' }) &&
      gradgradcheck((a, b) => smoothL1Loss(a!, b!, { reduction, beta: 0.5 }), [x, t], { name: 'smoothL1Loss' })), { numRuns: GRADGRAD_RUNS });
  });
});

describe('mseLoss, l1Loss, smoothL1Loss: properties', () => {
  it('sum = mean · n = Σ none; l1 ≤ smoothL1 + β/2 and smoothL1 ≤ l1; symmetric in input and target', () => {
    fc.assert(fc.property(pairArb(0), fc.constantFrom(0.5, 1, 2), ([x, t], beta) => {
      for (const [name, f] of Object.entries(LOSSES)) {
        const opts = name === 'smoothL1Loss' ? { beta } : {};
        const none = f(x, t, { reduction: 'none', ...opts });
        const total = Array.from(none.data).reduce((s, v) => s + v, 0);
        expect(f(x, t, { reduction: 'sum', ...opts }).item()).toBeCloseTo(total, 10);
        expect(f(x, t, { reduction: 'mean', ...opts }).item() * none.size).toBeCloseTo(total, 10);
        expectClose(f(t, x, { reduction: 'none', ...opts }), Array.from(none.data), { shape: none.shape });
      }
      const l1 = l1Loss(x, t, { reduction: 'none' }).data;
      smoothL1Loss(x, t, { reduction: 'none', beta }).data.forEach((v, i) => {
        expect(v).toBeLessThanOrEqual(l1[i]! + 1e-12);
        expect(l1[i]!).toBeLessThanOrEqual(v + beta / 2 + 1e-12);
      });
    }), { numRuns: RUNS });
  });
});

describe('mseLoss, l1Loss, smoothL1Loss: values', () => {
  it('each reduction', () => {
    // d = input − target = [1, −2, 0.25]
    const x = f64([1, -1, 0.5]);
    const t = f64([0, 1, 0.25]);
    // mse: d² = [1, 4, 0.0625]; sum 5.0625, mean 1.6875
    expectClose(mseLoss(x, t, { reduction: 'none' }), [1, 4, 0.0625]);
    expectClose(mseLoss(x, t), 5.0625 / 3);
    expectClose(mseLoss(x, t, { reduction: 'sum' }), 5.0625);
    // l1: |d| = [1, 2, 0.25]; mean 3.25/3
    expectClose(l1Loss(x, t), 3.25 / 3);
    // smoothL1, β = 1: |1| is not < 1 → 1 − 0.5 = 0.5; |−2| → 1.5; |0.25| < 1 → ½·0.0625 = 0.03125
    expectClose(smoothL1Loss(x, t, { reduction: 'none' }), [0.5, 1.5, 0.03125]);
    // β = 0.5: [0.75, 1.75, ½·0.0625/0.5 = 0.0625]; β = 0: l1
    expectClose(smoothL1Loss(x, t, { reduction: 'none', beta: 0.5 }), [0.75, 1.75, 0.0625]);
    expectClose(smoothL1Loss(x, t, { reduction: 'none', beta: 0 }), [1, 2, 0.25]);
  });
  it('broadcast the target; the mean of nothing is NaN; NaN and ∞ as PyTorch', () => {
    // input [[1, 2], [3, 4]], target [1, 1] → d = [[0, 1], [2, 3]], mse mean = 14/4
    expectClose(mseLoss(f64([[1, 2], [3, 4]]), f64([1, 1])), 3.5);
    expect(mseLoss(f64([]), f64([])).item()).toBeNaN();
    expectClose(l1Loss(f64([Number.NaN, 1, Infinity]), f64([0, Infinity, 1]), { reduction: 'none' }), [Number.NaN, Infinity, Infinity]);
  });
  it('gradients at known points (input and target)', () => {
    // mean mse over d = [1, −2]: ∂/∂x = 2d/2 = [1, −2], ∂/∂t = [−1, 2]
    const x = f64([1, -1], { requiresGrad: true });
    const t = f64([0, 1], { requiresGrad: true });
    mseLoss(x, t).backward();
    expectClose(x.grad!, [1, -2]);
    expectClose(t.grad!, [-1, 2]);
    // smoothL1 sum, β = 1, d = [0.5, −3, NaN]: [0.5, −1, NaN]; l1 sum: sign(d) = [1, −1, 0] (0 at NaN, as PyTorch 1.13)
    const y = f64([0.5, -3, Number.NaN], { requiresGrad: true });
    smoothL1Loss(y, f64([0, 0, 0]), { reduction: 'sum' }).backward();
    expectClose(y.grad!, [0.5, -1, Number.NaN]);
    const z = f64([0.5, -3, Number.NaN], { requiresGrad: true });
    l1Loss(z, f64([0, 0, 0]), { reduction: 'sum' }).backward();
    expectClose(z.grad!, [1, -1, 0]);
  });
});

describe('mseLoss, l1Loss, smoothL1Loss: errors', () => {
  it('name the op, the argument and the shapes', () => {
    expect(() => mseLoss(f64([1, 2]), f64([1, 2, 3]))).toThrow(/mseLoss: shapes \[2\] and \[3\] cannot be broadcast together/);
    expect(() => l1Loss(f64([1]), tensor([1], { dtype: 'int32' }))).toThrow(/l1Loss: target must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/);
    expect(() => smoothL1Loss(f64([1]), f64([1]), { beta: -1 })).toThrow(/smoothL1Loss: beta must be a number >= 0, got -1/);
    expect(() => mseLoss(f64([1]), f64([1]), { reduction: 'avg' as 'mean' })).toThrow(/mseLoss: reduction must be 'mean', 'sum' or 'none', got "avg"/);
  });
});
