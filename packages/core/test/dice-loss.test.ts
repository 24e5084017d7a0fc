import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diceLoss, Tensor, tensor } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';
import { caseTensors, lossCaseArb } from './loss-helpers.js';

const int = (v: unknown) => tensor(v as number[], { dtype: 'int32' });

describe('diceLoss: values', () => {
  // Two pixels, two classes. Pixel 0: logits [0, 0] → p = [0.5, 0.5], target 0.
  // Pixel 1: logits [0, ln 3] → p = [0.25, 0.75], target 1. With s = 0:
  //   class 0: Σpg = 0.5, Σp = 0.75, Σg = 1 → Dice = 1/1.75 = 0.571429, loss 0.428571
  //   class 1: Σpg = 0.75, Σp = 1.25, Σg = 1 → Dice = 1.5/2.25 = 0.666667, loss 0.333333
  //   mean = 0.380952
  const x = f64([[[0, 0], [0, Math.log(3)]]]); // (N = 1, C = 2, 2 pixels): class rows [0, 0] and [0, ln 3]
  const t = int([[0, 1]]);

  it('per class, mean and sum, hand-derived (smooth 0)', () => {
    expectClose(diceLoss(x, t, { smooth: 0, reduction: 'none' }), [1 - 1 / 1.75, 1 - 1.5 / 2.25]);
    expect(diceLoss(x, t, { smooth: 0 }).item()).toBeCloseTo((0.75 / 1.75 + 0.75 / 2.25) / 2, 15);
    expect(diceLoss(x, t, { smooth: 0 }).item()).toBeCloseTo(0.380952, 6);
    expect(diceLoss(x, t, { smooth: 0, reduction: 'sum' }).item()).toBeCloseTo(0.761905, 6);
    expectClose(diceLoss(x, t, { smooth: 0, classes: [1], reduction: 'none' }), [1 - 1.5 / 2.25]);
  });

  it('smooth enters numerator and denominator: class 0 with s = 1 is 1 − 2/2.75', () => {
    expectClose(diceLoss(x, t, { smooth: 1, classes: [0], reduction: 'none' }), [1 - 2 / 2.75]);
  });

  it('a confident correct prediction gives a loss near 0; ignored pixels do not count', () => {
    const sure = f64([[[20, -20, 3], [-20, 20, -5]]]);
    expect(diceLoss(sure, int([[0, 1, -100]])).item()).toBeLessThan(1e-8);
    expect(diceLoss(sure, int([[0, 1, 1]])).item()).toBeGreaterThan(0.1);
  });

  it('unbatched (C) input with a () target: class 0 is predicted (0.25) but absent, so its Dice is 0', () => {
    expectClose(diceLoss(f64([0, Math.log(3)]), int(1), { smooth: 0, reduction: 'none' }), [1, 1 - 1.5 / 1.75]);
  });
});

describe('diceLoss: properties (float64)', () => {
  it('gradcheck over random shapes, classes, ignoreIndex, smooth and reductions', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false }), fc.double({ min: 1e-5, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), (k, smooth, drop) => {
        const { x, target } = caseTensors(k);
        const classes = Array.from({ length: k.c }, (_, c) => c).filter((c) => k.c === 1 || c !== drop);
        return gradcheck((a) => diceLoss(a, target, { smooth, classes, ignoreIndex: k.ignoreIndex, reduction: k.reduction }), [x], { name: 'diceLoss' });
      }),
      { numRuns: RUNS },
    );
  });

  it('every per-class loss is in [0, 1]; logits of ignored positions do not change it', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false, reductions: ['none'] }), (k) => {
        const { x, target } = caseTensors(k);
        const loss = diceLoss(x, target, { ignoreIndex: k.ignoreIndex, reduction: 'none' });
        const moved = Float64Array.from(k.x);
        const inner = k.positions.length <= 1 ? 1 : k.positions.slice(1).reduce((p, d) => p * d, 1);
        k.target.forEach((y, i) => {
          if (y !== k.ignoreIndex) return;
          const n = Math.floor(i / inner);
          for (let c = 0; c < k.c; c++) moved[(n * k.c + c) * inner + (i % inner)]! += 3 * (c + 1);
        });
        const again = diceLoss(new Tensor(moved, k.shape), target, { ignoreIndex: k.ignoreIndex, reduction: 'none' });
        return Array.from(loss.data).every((v, i) => v >= 0 && v <= 1 && Math.abs(v - again.data[i]!) <= 1e-12);
      }),
      { numRuns: 50 },
    );
  });
});

describe('diceLoss: bad input', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('names the op, the argument and the value', () => {
    expect(() => diceLoss(x, int([0, 1]), { classes: [0, 3] })).toThrow(re('diceLoss: classes has 3, which is not a class index in 0..2 (C = 3)'));
    expect(() => diceLoss(x, int([0, 1]), { classes: [] })).toThrow(re('diceLoss: classes is empty'));
    expect(() => diceLoss(x, int([0, 1]), { classes: [1, 1] })).toThrow(re('diceLoss: classes [1, 1] repeats a class'));
    expect(() => diceLoss(x, int([0, 1]), { smooth: -1 })).toThrow(re('diceLoss: smooth must be a finite number >= 0, got -1'));
    expect(() => diceLoss(x, int([0, 7]))).toThrow(re('diceLoss: target value 7 at position [1] is out of range'));
    expect(() => diceLoss(x, int([[0, 1]]))).toThrow(re('diceLoss: target shape [1, 2] does not match input shape [2, 3]'));
  });
});
