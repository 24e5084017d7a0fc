import { describe, expect, it } from 'vitest';
import type { EpochRow, TestRow } from '../src/train/metrics.js';
import { commonEpoch, formatStat, pairedDiff, stat, summarize } from '../src/train/summary.js';
import type { VariantName } from '../src/train/variants.js';

const pr = { thresholds: [0, 0.5], precision: [0.1, 0.5], recall: [1, 0.5] };
function row(variant: VariantName, seed: number, epoch: number, f1: number, trainSeconds = epoch * 10): EpochRow {
  return {
    variant, seed, epoch, steps: epoch * 4, trainSeconds, trainLoss: 1 / epoch, valLoss: 1 / epoch, valCe: 1 / epoch,
    precision: f1, recall: f1, f1, iou: f1 / (2 - f1), accuracy: 0.9, kappa: f1 - 0.1, bestF1: f1 + 0.05, bestThreshold: 0.3, ap: f1, pr,
  };
}

describe('stat', () => {
  it('gives the mean and the sample standard deviation (n - 1)', () => {
    // mean of 1, 2, 3, 4 = 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; 5 / 3 -> std sqrt(5/3)
    const s = stat([1, 2, 3, 4]);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 12);
    expect(Number.isNaN(stat([7]).std)).toBe(true);
    expect(Number.isNaN(stat([]).mean)).toBe(true);
  });

  it('formats mean ± std, a lone mean, and a dash for nothing', () => {
    expect(formatStat(stat([0.5, 0.7]))).toBe('0.600 ± 0.141');
    expect(formatStat(stat([0.5]))).toBe('0.500');
    expect(formatStat(stat([]))).toBe('–');
  });
});

describe('summarize', () => {
  // seed 0: ce F1 0.2, 0.4, 0.6; weighted-ce F1 0.5, 0.6, 0.7. seed 1: ce 0.1, 0.3, 0.5; weighted-ce 0.3, 0.55, 0.65.
  const curves: [VariantName, number, number[]][] = [
    ['ce', 0, [0.2, 0.4, 0.6]], ['weighted-ce', 0, [0.5, 0.6, 0.7]],
    ['ce', 1, [0.1, 0.3, 0.5]], ['weighted-ce', 1, [0.3, 0.55, 0.65]],
  ];
  const rows = curves.flatMap(([v, s, f]) => f.map((x, i) => row(v, s, i + 1, x)));
  const variants: VariantName[] = ['ce', 'weighted-ce'];

  it('takes final scores at the last epoch every unit finished, and the first epoch reaching the target', () => {
    const sum = summarize(rows, [], variants, [0, 1], 0.5);
    expect(sum.finalEpoch).toBe(3);
    const [ce, w] = sum.variants as [NonNullable<(typeof sum.variants)[0]>, NonNullable<(typeof sum.variants)[0]>];
    expect(ce.final.f1.values).toEqual([0.6, 0.5]);
    expect(w.final.f1.values).toEqual([0.7, 0.65]);
    // ce reaches 0.5 at epoch 3 (seed 0) and 3 (seed 1); weighted-ce at 1 (seed 0) and 2 (seed 1)
    expect(ce.reach.epochs.values).toEqual([3, 3]);
    expect(w.reach.epochs.values).toEqual([1, 2]);
    expect(w.reach.seconds.values).toEqual([10, 20]);
    // F1 AUC = mean F1 over epochs: ce seed 0 (0.2 + 0.4 + 0.6) / 3 = 0.4
    expect(ce.auc.values[0]).toBeCloseTo(0.4, 12);
    expect(ce.test).toBeNull();
  });

  it('stops at the common epoch when a unit is behind (an interrupted run)', () => {
    const partial = rows.filter((r) => !(r.variant === 'weighted-ce' && r.seed === 1 && r.epoch === 3));
    expect(commonEpoch(partial, variants, [0, 1])).toBe(2);
    const sum = summarize(partial, [], variants, [0, 1], 0.99);
    expect(sum.variants[0]!.final.f1.values).toEqual([0.4, 0.3]);
    expect(sum.variants[0]!.reach.reached).toBe(0);
    expect(commonEpoch([], variants, [0])).toBe(0);
  });

  it('pairs seeds for differences and counts wins, on validation and test', () => {
    const tests: TestRow[] = [
      { ...row('ce', 0, 3, 0.55), pr }, { ...row('ce', 1, 2, 0.45), pr },
      { ...row('weighted-ce', 1, 3, 0.5), pr }, { ...row('weighted-ce', 0, 3, 0.5), pr },
    ];
    const sum = summarize(rows, tests, variants, [0, 1], 0.5);
    const [ce, w] = [sum.variants[0]!, sum.variants[1]!];
    const d = pairedDiff(w, ce, 'f1');
    // seed 0: 0.7 - 0.6 = 0.1; seed 1: 0.65 - 0.5 = 0.15
    expect(d.diff.mean).toBeCloseTo(0.125, 12);
    expect(d.wins).toBe(2);
    const t = pairedDiff(w, ce, 'f1', 'test');
    // seed 0: 0.5 - 0.55 = -0.05; seed 1: 0.5 - 0.45 = 0.05
    expect(t.diff.values.map((x) => Number(x.toFixed(6)))).toEqual([-0.05, 0.05]);
    expect(t.wins).toBe(1);
    expect(ce.testEpochs).toEqual([3, 2]);
  });
});
