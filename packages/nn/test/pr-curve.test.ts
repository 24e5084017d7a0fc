import { tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { BinaryPRCurve } from '../src/index.js';

const labels = (v: number[], shape?: number[]) => tensor(v, { dtype: 'int32', ...(shape ? { shape } : {}) });

// Worked by hand with 4 bins ([0, .25), [.25, .5), [.5, .75), [.75, 1]):
//   p:      0.1 0.4 0.35 0.8 0.9 0.6 1.0 0.0
//   target:  0   0   1    1   0   1   1   0         P = 4 positives
//   bins:    0   1   1    3   3   2   3   0         positives per bin [0, 1, 1, 2], negatives [2, 1, 0, 1]
// threshold 0.75: TP 2 FP 1 FN 2 → precision 2/3, recall 1/2, F1 4/7
// threshold 0.5:  TP 3 FP 1 FN 1 → precision 3/4, recall 3/4, F1 6/8
// threshold 0.25: TP 4 FP 2 FN 0 → precision 4/6, recall 1,   F1 8/10  (the best)
// threshold 0:    TP 4 FP 4 FN 0 → precision 1/2, recall 1,   F1 8/12
// AP = (1/2 − 0)·2/3 + (3/4 − 1/2)·3/4 + (1 − 3/4)·2/3 + 0 = 1/3 + 3/16 + 1/6 = 0.6875
const p = [0.1, 0.4, 0.35, 0.8, 0.9, 0.6, 1.0, 0.0];
const t = [0, 0, 1, 1, 0, 1, 1, 0];

describe('BinaryPRCurve', () => {
  it('bins the probabilities over batches and gives the hand-worked curve', () => {
    const pr = new BinaryPRCurve({ bins: 4 });
    pr.update(tensor(p.slice(0, 3)), labels(t.slice(0, 3)));
    pr.update(tensor(p.slice(3), { shape: [1, 5] }), labels(t.slice(3), [1, 5]));
    expect(Array.from(pr.positives)).toEqual([0, 1, 1, 2]);
    expect(Array.from(pr.negatives)).toEqual([2, 1, 0, 1]);
    const curve = pr.curve();
    expect(curve.map((c) => c.threshold)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(curve.map((c) => [c.tp, c.fp, c.fn])).toEqual([[4, 4, 0], [4, 2, 0], [3, 1, 1], [2, 1, 2]]);
    expect(curve.map((c) => c.precision)).toEqual([1 / 2, 4 / 6, 3 / 4, 2 / 3]);
    expect(curve.map((c) => c.recall)).toEqual([1, 1, 3 / 4, 1 / 2]);
    expect(curve.map((c) => c.f1)).toEqual([8 / 12, 8 / 10, 6 / 8, 4 / 7]);
    expect(pr.bestF1()).toMatchObject({ threshold: 0.25, f1: 0.8 });
    expect(pr.averagePrecision()).toBeCloseTo(0.6875, 15);
  });

  it('takes two-class logits: p = softmax(logits)[:, 1]', () => {
    // Logit pairs (l0, l1): (0, 0) → p = 1/2 (bin 2 of 4); (0, −10) → p ≈ 4.5e-5 (bin 0); (−3, 3) → p ≈ 0.9975 (bin 3).
    const logits = tensor([0, 0, -3, 0, -10, 3], { shape: [1, 2, 3] }); // [n][class][pixel]
    const pr = new BinaryPRCurve({ bins: 4, ignoreIndex: -1 }).updateFromLogits(logits, labels([1, 0, -1], [1, 3]));
    expect(Array.from(pr.positives)).toEqual([0, 0, 1, 0]);
    expect(Array.from(pr.negatives)).toEqual([1, 0, 0, 0]);
  });

  it('defines the empty cases: precision 1 with no predicted positives, recall and F1 0 with no positives', () => {
    const pr = new BinaryPRCurve({ bins: 2 }).update(tensor([0.1, 0.2]), labels([0, 0]));
    expect(pr.curve()).toEqual([
      { threshold: 0, precision: 0, recall: 0, f1: 0, tp: 0, fp: 2, fn: 0 },
      { threshold: 0.5, precision: 1, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 },
    ]);
    expect(pr.reset().positives.every((v) => v === 0)).toBe(true);
  });

  it('rejects bad input', () => {
    const pr = new BinaryPRCurve();
    expect(() => new BinaryPRCurve({ bins: 0 })).toThrow(/bins must be a positive integer, got 0/);
    expect(() => pr.update(tensor([0.5]), labels([2]))).toThrow(/target 2 at flat index 0 is not 0 or 1/);
    expect(() => pr.update(tensor([1.5]), labels([1]))).toThrow(/probability 1.5 at flat index 0 is outside \[0, 1\]/);
    expect(() => pr.update(tensor([0.5, 0.5]), labels([1]))).toThrow(/probabilities have shape \[2\], target \[1\]/);
    expect(() => pr.updateFromLogits(tensor([0, 1, 2], { shape: [1, 3] }), labels([1]))).toThrow(/logits of shape \[1, 3\] do not fit target \[1\]; expected \[1, 2\]/);
  });
});
