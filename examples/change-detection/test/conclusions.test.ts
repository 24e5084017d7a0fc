import { describe, expect, it } from 'vitest';
import { beyondNoise, conclusions } from '../src/report/conclusions.js';
import { stat, type ExperimentSummary, type ScoreName, type Stat, type VariantSummary } from '../src/train/summary.js';
import type { VariantName } from '../src/train/variants.js';

function variant(name: VariantName, scores: Partial<Record<ScoreName, number[]>>): VariantSummary {
  const seeds = (scores.f1 ?? []).map((_, i) => i);
  const final = {} as Record<ScoreName, Stat>;
  for (const k of ['f1', 'iou', 'precision', 'recall', 'bestF1', 'ap', 'accuracy', 'kappa'] as ScoreName[]) final[k] = stat(scores[k] ?? scores.f1 ?? []);
  return { variant: name, seeds, final, reach: { epochs: stat([2]), seconds: stat([5]), reached: 1 }, auc: stat(scores.f1 ?? []), test: null, testSeeds: [], testEpochs: [] };
}

const summary = (vs: VariantSummary[]): ExperimentSummary => ({ finalEpoch: 5, targetF1: 0.5, variants: vs });

describe('beyondNoise', () => {
  it('compares the gap of the means with the larger std, and cannot tell with one seed', () => {
    expect(beyondNoise(stat([0.7, 0.72, 0.74]), stat([0.5, 0.52, 0.54]))).toBe('yes');
    expect(beyondNoise(stat([0.5, 0.7, 0.6]), stat([0.55, 0.65, 0.45]))).toBe('no');
    expect(beyondNoise(stat([0.7]), stat([0.5]))).toBe('unknown');
  });
});

describe('conclusions', () => {
  it('says which variant is higher, whether it beats the seed spread, and names the precision/recall trade', () => {
    const ce = variant('ce', { f1: [0.5, 0.52, 0.54], precision: [0.8, 0.8, 0.8], recall: [0.35, 0.37, 0.39], bestF1: [0.66, 0.67, 0.68] });
    const w = variant('weighted-ce', { f1: [0.6, 0.62, 0.64], precision: [0.5, 0.5, 0.5], recall: [0.8, 0.8, 0.8], bestF1: [0.67, 0.68, 0.69] });
    const text = conclusions(summary([ce, w])).join('\n');
    expect(text).toContain('weighted-ce ends with a higher validation F1 than ce: 0.620 ± 0.020 against 0.520 ± 0.020');
    expect(text).toContain('higher in 3 of 3 seeds');
    expect(text).toContain('more than seed noise');
    expect(text).toContain('trades precision for recall');
    // best-threshold gap 0.01 < half the argmax gap 0.1: calibration
    expect(text).toContain('calibration');
    expect(text).toContain('Highest mean validation F1 at epoch 5: weighted-ce');
  });

  it('names precision and recall lower on both as lower, not "at least as good"', () => {
    // precision 0.933 vs 0.939 (−0.006, about the same), recall 0.015 vs 0.065 (−0.05, lower)
    const ce = variant('ce', { f1: [0.1], precision: [0.939], recall: [0.065] });
    const w = variant('weighted-ce', { f1: [0.03], precision: [0.933], recall: [0.015] });
    const text = conclusions(summary([ce, w])).join('\n');
    expect(text).toContain('weighted-ce is lower on precision or recall and not higher on either');
    const same = conclusions(summary([ce, variant('weighted-ce', { f1: [0.1], precision: [0.93], recall: [0.07] })])).join('\n');
    expect(same).toContain('about the same precision and recall');
  });

  it('reports a lower variant honestly and a gap within the spread as not separated', () => {
    const ce = variant('ce', { f1: [0.5, 0.7, 0.6] });
    const w = variant('weighted-ce', { f1: [0.45, 0.65, 0.62] });
    const text = conclusions(summary([ce, w])).join('\n');
    expect(text).toContain('weighted-ce ends with a lower validation F1 than ce');
    expect(text).toContain('do not separate the two');
    expect(text).toContain('Highest mean validation F1 at epoch 5: ce');
    expect(text).toContain('within the seed spread of weighted-ce');
  });

  it('notes a gap within the spread whose sign holds in every seed, and a flip at the best threshold', () => {
    // per-seed differences −0.05, −0.05, −0.05 against a spread of 0.1 between seeds
    const ce = variant('ce', { f1: [0.6, 0.7, 0.8], bestF1: [0.7, 0.71, 0.72] });
    const w = variant('weighted-ce', { f1: [0.55, 0.65, 0.75], bestF1: [0.75, 0.76, 0.77] });
    const text = conclusions(summary([ce, w])).join('\n');
    expect(text).toContain('do not separate the two. Paired by seed');
    expect(text).toContain('the sign is the same in all 3 seeds');
    expect(text).toContain('weighted-ce higher in 3 of 3 seeds, beyond the seed spread');
    expect(text).toContain('the order flips, so weighted-ce ranks pixels better and loses at argmax through where its threshold sits');
  });

  it('says there is nothing to compare before any epoch finished', () => {
    expect(conclusions({ finalEpoch: 0, targetF1: 0.5, variants: [] })[0]).toMatch(/nothing to compare/);
  });
});
