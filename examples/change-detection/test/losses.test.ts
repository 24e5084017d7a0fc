import { crossEntropy, diceLoss, randn, tensor, Generator } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { makeLoss, trainingWeights } from '../src/train/losses.js';
import { VARIANTS } from '../src/train/variants.js';

const logits = (): ReturnType<typeof randn> => randn([2, 2, 4, 4], { generator: new Generator(1), requiresGrad: true });
const target = tensor(Int32Array.from({ length: 32 }, (_, i) => (i % 7 === 0 ? 1 : 0)), { shape: [2, 4, 4] });

describe('trainingWeights', () => {
  it('gives the balanced weights N / (C · n_c) by default scheme, and other schemes on request', () => {
    // 970 + 30 pixels: 1000 / (2 · 970) = 0.51546…, 1000 / (2 · 30) = 16.666…
    const w = trainingWeights([970, 30], 'balanced');
    expect(w[0]).toBeCloseTo(1000 / 1940, 5);
    expect(w[1]).toBeCloseTo(1000 / 60, 4);
    // inverse: 1 / f_c = 1000 / 970, 1000 / 30
    expect(trainingWeights([970, 30], 'inverse')[1]).toBeCloseTo(1000 / 30, 4);
  });
});

describe('makeLoss', () => {
  it('builds a scalar, differentiable loss for every variant', () => {
    for (const v of VARIANTS) {
      const x = logits();
      const loss = makeLoss(v, { focalGamma: 2 }, [0.5, 10])(x, target);
      expect(loss.shape, v).toEqual([]);
      expect(Number.isFinite(loss.item()), v).toBe(true);
      loss.backward();
      expect(x.grad?.data.some((g) => g !== 0), v).toBe(true);
    }
  });

  it('weights only weighted-ce, and sums ce and dice for ce+dice', () => {
    const x = logits();
    const w = [0.5, 10];
    expect(makeLoss('weighted-ce', { focalGamma: 2 }, w)(x, target).item())
      .toBeCloseTo(crossEntropy(x, target, { weight: tensor(Float32Array.from(w)) }).item(), 6);
    expect(makeLoss('ce', { focalGamma: 2 }, w)(x, target).item()).toBeCloseTo(crossEntropy(x, target).item(), 6);
    expect(makeLoss('ce+dice', { focalGamma: 2 }, w)(x, target).item())
      .toBeCloseTo(crossEntropy(x, target).item() + diceLoss(x, target, { classes: [1] }).item(), 5);
  });
});
