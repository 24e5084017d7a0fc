import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../src/train/config.js';
import { buildUnits } from '../src/train/setup.js';
import { loadSplits } from '../src/train/splits.js';

const config: ExperimentConfig = {
  ...structuredClone(DEFAULT_CONFIG),
  variants: ['ce', 'weighted-ce', 'focal'],
  model: { name: 'FCSiamDiff', depth: 2, width: 4, batchNorm: true },
  data: { size: 16, train: 4, val: 2, test: 2, changeFraction: 0.05, nuisance: 1, seed: 0 },
  seeds: 2,
};

const weightsOf = (u: { model: { stateDict(): Map<string, { data: ArrayLike<number> }> } }): number[] =>
  [...u.model.stateDict().values()].flatMap((t) => Array.from(t.data));

describe('buildUnits', () => {
  it('gives every variant of a seed the same initial weights, and different seeds different ones', () => {
    const s = buildUnits('/nonexistent-run-dir', config, loadSplits(config), false);
    expect(s.units.map((u) => `${u.progress.seed}/${u.progress.variant}`)).toEqual(['0/ce', '0/weighted-ce', '0/focal', '1/ce', '1/weighted-ce', '1/focal']);
    const w = s.units.map(weightsOf);
    expect(w[1]).toEqual(w[0]);
    expect(w[2]).toEqual(w[0]);
    expect(w[4]).toEqual(w[3]);
    expect(w[3]).not.toEqual(w[0]);
    // separate tensors: training one variant cannot move another
    expect(s.units[0]!.model.parameters()[0]).not.toBe(s.units[1]!.model.parameters()[0]);
    // balanced class weights from the training split's counts: N / (2 n_c)
    const [n0, n1] = s.data.train.counts;
    expect(s.weights[0]).toBeCloseTo((n0 + n1) / (2 * n0), 4);
    expect(s.weights[1]).toBeCloseTo((n0 + n1) / (2 * n1), 4);
  });
});
