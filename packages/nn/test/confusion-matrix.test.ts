import { tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { ConfusionMatrix } from '../src/index.js';

const labels = (v: number[], shape?: number[]) => tensor(v, { dtype: 'int32', ...(shape ? { shape } : {}) });

// A 3-class example, worked by hand. Pairs (target, prediction), the last target ignored (255):
//   (0,0) (0,0) (0,1) (1,1) (1,2) (2,2) (2,2) (2,0) (2,2) (255,1)
// Matrix (rows = truth):  [2 1 0]   row sums 3 2 4, column sums 3 2 4, n = 9, trace 6
//                         [0 1 1]
//                         [1 0 3]
// class 0: TP 2 FP 1 FN 1 → precision 2/3, recall 2/3, F1 4/6, IoU 2/4
// class 1: TP 1 FP 1 FN 1 → precision 1/2, recall 1/2, F1 2/4, IoU 1/3
// class 2: TP 3 FP 1 FN 1 → precision 3/4, recall 3/4, F1 6/8, IoU 3/5
// accuracy 6/9; p_e = (3·3 + 2·2 + 4·4)/81 = 29/81; kappa = (54/81 − 29/81)/(1 − 29/81) = 25/52
const T = [0, 0, 0, 1, 1, 2, 2, 2, 2, 255];
const P = [0, 0, 1, 1, 2, 2, 2, 0, 2, 1];

function check(cm: ConfusionMatrix): void {
  expect(cm.matrix()).toEqual([[2, 1, 0], [0, 1, 1], [1, 0, 3]]);
  expect(cm.total).toBe(9);
  const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i]!, 15));
  close(cm.precision(), [2 / 3, 1 / 2, 3 / 4]);
  close(cm.recall(), [2 / 3, 1 / 2, 3 / 4]);
  close(cm.f1(), [4 / 6, 2 / 4, 6 / 8]);
  close(cm.iou(), [2 / 4, 1 / 3, 3 / 5]);
  expect(cm.accuracy()).toBeCloseTo(6 / 9, 15);
  expect(cm.kappa()).toBeCloseTo(25 / 52, 15);
  expect(cm.meanIoU()).toBeCloseTo((1 / 2 + 1 / 3 + 3 / 5) / 3, 15);
  expect(cm.macroF1()).toBeCloseTo((4 / 6 + 2 / 4 + 6 / 8) / 3, 15);
}

describe('ConfusionMatrix', () => {
  it('accumulates label batches and gives the hand-worked metrics', () => {
    const cm = new ConfusionMatrix(3, { ignoreIndex: 255 });
    cm.update(labels(P.slice(0, 4)), labels(T.slice(0, 4)));
    cm.update(labels(P.slice(4), [2, 3]), labels(T.slice(4), [2, 3]));
    check(cm);
  });

  it('takes logits (N, C, …) with the class on dim 1 (arg-max, first index on ties)', () => {
    // N = 2 images of 5 pixels; logits are one-hot of P, scaled, except a tie at pixel 0 (→ class 0).
    const logits: number[] = [];
    for (let n = 0; n < 2; n++) {
      for (let c = 0; c < 3; c++) for (let s = 0; s < 5; s++) logits.push(P[n * 5 + s] === c ? 2 : -1);
    }
    logits[0] = 2;
    logits[5] = 2; // pixel (0, 0): classes 0 and 1 both score 2 → 0, as P[0]
    const cm = new ConfusionMatrix(3, { ignoreIndex: 255 }).update(tensor(logits, { shape: [2, 3, 5] }), labels(T, [2, 5]));
    check(cm);
  });

  it('defines the zero-denominator cases: zeroDivision per class, NaN accuracy and kappa', () => {
    // Targets [0, 1], predictions [0, 0], 3 classes. Class 1 is never predicted: precision 0/0 → zeroDivision,
    // recall 0/1 = 0, F1 0/(0 + 0 + 1) = 0, IoU 0. Class 2 never occurs: every metric 0/0 → zeroDivision.
    const cm = new ConfusionMatrix(3).update(labels([0, 0]), labels([0, 1]));
    expect(cm.precision()).toEqual([1 / 2, 0, 0]);
    expect(cm.recall()).toEqual([1, 0, 0]);
    expect(cm.f1()).toEqual([2 / 3, 0, 0]);
    expect(cm.iou()).toEqual([1 / 2, 0, 0]);
    const nan = new ConfusionMatrix(3, { zeroDivision: NaN }).update(labels([0, 0]), labels([0, 1]));
    expect(nan.precision()).toEqual([1 / 2, NaN, NaN]);
    expect(nan.iou()).toEqual([1 / 2, 0, NaN]);
    expect(nan.meanIoU()).toBe(1 / 4); // NaN classes left out of the mean
    // One class everywhere: p_e = 1, kappa 0/0 → NaN (as sklearn); accuracy 1.
    const one = new ConfusionMatrix(2).update(labels([1, 1]), labels([1, 1]));
    expect(one.accuracy()).toBe(1);
    expect(one.kappa()).toBeNaN();
    // Nothing counted: accuracy and kappa NaN.
    expect(new ConfusionMatrix(2).accuracy()).toBeNaN();
    expect(new ConfusionMatrix(2).kappa()).toBeNaN();
  });

  it('kappa is 1 for perfect agreement and 0 for chance-level agreement', () => {
    expect(new ConfusionMatrix(2).update(labels([0, 1, 1, 0]), labels([0, 1, 1, 0])).kappa()).toBe(1);
    // Rows [1 1] [1 1]: p_o = 1/2, p_e = (2·2 + 2·2)/16 = 1/2 → kappa 0.
    expect(new ConfusionMatrix(2).update(labels([0, 1, 0, 1]), labels([0, 0, 1, 1])).kappa()).toBe(0);
  });

  it('merges and resets', () => {
    const a = new ConfusionMatrix(3, { ignoreIndex: 255 }).update(labels(P.slice(0, 5)), labels(T.slice(0, 5)));
    const b = new ConfusionMatrix(3, { ignoreIndex: 255 }).update(labels(P.slice(5)), labels(T.slice(5)));
    check(a.merge(b));
    expect(a.reset().total).toBe(0);
  });

  it('rejects bad input, naming the argument and the value', () => {
    const cm = new ConfusionMatrix(2);
    expect(() => new ConfusionMatrix(0)).toThrow(/numClasses must be a positive integer, got 0/);
    expect(() => cm.update(labels([0]), tensor([0]))).toThrow(/target must be int32/);
    expect(() => cm.update(labels([0, 1]), labels([0, 2]))).toThrow(/target 2 at flat index 1 is outside \[0, 2\)/);
    expect(() => cm.update(labels([0, 5]), labels([0, 1]))).toThrow(/predicted label 5 at flat index 1/);
    expect(() => cm.update(labels([0, 1, 1]), labels([0, 1]))).toThrow(/label prediction has shape \[3\], target \[2\]/);
    expect(() => cm.update(tensor([1, 2, 3], { shape: [1, 3, 1] }), labels([0], [1, 1]))).toThrow(/scores of shape \[1, 3, 1\] do not fit target \[1, 1\] with 2 classes; expected \[1, 2, 1\]/);
    expect(() => cm.merge(new ConfusionMatrix(3))).toThrow(/3 classes vs 2/);
  });
});
