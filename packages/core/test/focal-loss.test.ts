import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy, focalLoss, tensor } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { f64, re, RUNS } from './helpers.js';
import { caseTensors, lossCaseArb } from './loss-helpers.js';

const int = (v: unknown) => tensor(v as number[], { dtype: 'int32' });
const gammaArb = fc.constantFrom(0, 0.5, 1, 2, 3);

describe('focalLoss: values', () => {
  // Logits [2, 0], target 0: p = e²/(e² + 1) = 0.880797, log p = −0.126928.
  // γ = 2, α = 0.25: FL = −0.25·(1 − 0.880797)²·(−0.126928) = 0.25·0.0142093·0.126928 = 0.000450891.
  // The same pixel costs 0.126928 in cross-entropy: focusing cuts this easy pixel's loss (without α) by 1/0.0142093 = 70×.
  it('the golden value of one easy pixel, and γ = 0, α = 1 gives cross-entropy', () => {
    const p = Math.exp(2) / (Math.exp(2) + 1);
    const fl = focalLoss(f64([2, 0]), int(0), { alpha: 0.25, gamma: 2 }).item();
    expect(fl).toBeCloseTo(-0.25 * (1 - p) ** 2 * Math.log(p), 15);
    expect(fl).toBeCloseTo(0.000450891, 9);
    expect(focalLoss(f64([2, 0]), int(0), { gamma: 0 }).item()).toBeCloseTo(0.126928, 6);
  });

  it('per-class alpha multiplies by α of the target class; mean averages over non-ignored positions', () => {
    const x = f64([[2, 0, -1], [0, 1, 0.5], [1, 1, 1]]);
    const t = int([0, 2, -100]);
    const alpha = f64([0.25, 1, 4]);
    const none = focalLoss(x, t, { alpha, reduction: 'none' });
    const plain = focalLoss(x, t, { reduction: 'none' });
    expect(none.data[0]).toBeCloseTo(0.25 * plain.data[0]!, 15);
    expect(none.data[1]).toBeCloseTo(4 * plain.data[1]!, 15);
    expect(none.data[2]).toBe(0);
    expect(focalLoss(x, t, { alpha }).item()).toBeCloseTo((none.data[0]! + none.data[1]!) / 2, 15);
  });

  it('every target ignored under mean: NaN with a zero gradient, as crossEntropy', () => {
    const x = f64([[1, 2], [3, 4]], { requiresGrad: true });
    const l = focalLoss(x, int([-100, -100]));
    expect(l.item()).toBeNaN();
    l.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0]);
  });
});

describe('focalLoss: properties (float64)', () => {
  it('gradcheck over random shapes, alpha, gamma, ignoreIndex and reductions', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false }).filter((k) => k.c >= 2), gammaArb, (k, gamma) => {
        const { x, target, options } = caseTensors(k);
        const alpha = options.weight;
        return gradcheck((t) => focalLoss(t, target, { gamma, ignoreIndex: k.ignoreIndex, reduction: k.reduction, ...(alpha ? { alpha } : {}) }), [x], { name: `focalLoss(gamma ${gamma})` });
      }),
      { numRuns: RUNS },
    );
  });

  it("γ = 0 and alpha = weight: 'sum' and 'none' equal the weighted cross-entropy", () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false, reductions: ['sum', 'none'], weights: 'always' }), (k) => {
        const { x, target, options } = caseTensors(k);
        const fl = focalLoss(x, target, { gamma: 0, alpha: options.weight!, ignoreIndex: k.ignoreIndex, reduction: k.reduction });
        const ce = crossEntropy(x, target, options);
        return Array.from(fl.data).every((v, i) => Math.abs(v - ce.data[i]!) <= 1e-12 * (1 + Math.abs(v)));
      }),
      { numRuns: 50 },
    );
  });

  it('per position, 0 ≤ focal loss ≤ the (α-weighted) cross-entropy, and it decreases with γ', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false, reductions: ['none'] }), (k) => {
        const { x, target, options } = caseTensors(k);
        const base = { ignoreIndex: k.ignoreIndex, reduction: 'none' as const, ...(options.weight ? { alpha: options.weight } : {}) };
        const ce = crossEntropy(x, target, options).data;
        const f1 = focalLoss(x, target, { ...base, gamma: 1 }).data;
        const f2 = focalLoss(x, target, { ...base, gamma: 2 }).data;
        return Array.from(f2).every((v, i) => v >= 0 && v <= f1[i]! + 1e-15 && f1[i]! <= ce[i]! + 1e-15);
      }),
      { numRuns: 50 },
    );
  });
});

describe('focalLoss: bad input', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('names the op, the argument and the value', () => {
    expect(() => focalLoss(x, int([0, 1]), { gamma: -1 })).toThrow(re('focalLoss: gamma must be a finite number >= 0, got -1'));
    expect(() => focalLoss(x, int([0, 1]), { alpha: f64([1, 2]) })).toThrow(re('focalLoss: alpha must be a float tensor of shape [3] (one value per class, C = 3), got float64 of shape [2]'));
    expect(() => focalLoss(x, int([0, 5]))).toThrow(re('focalLoss: target value 5 at position [1] is out of range'));
    expect(() => focalLoss(x, f64([0, 1]))).toThrow(re('focalLoss: class-index targets must be int32 of shape [2], got float64'));
    expect(() => focalLoss(x, int([0, 1]), { alpha: Number.NaN })).toThrow(re('focalLoss: alpha must be finite, got NaN'));
  });
});
