import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, seedList, validateConfig, type ExperimentConfig } from '../src/train/config.js';
import { UsageError } from '../src/train/errors.js';

const with_ = (patch: (c: ExperimentConfig) => void): ExperimentConfig => {
  const c = structuredClone(DEFAULT_CONFIG);
  patch(c);
  return c;
};

describe('validateConfig', () => {
  it('accepts the defaults and lists the seeds', () => {
    expect(validateConfig(structuredClone(DEFAULT_CONFIG))).toBeTruthy();
    expect(seedList(with_((c) => { c.seeds = 3; c.seedBase = 5; }))).toEqual([5, 6, 7]);
  });

  it.each([
    [(c: ExperimentConfig) => { c.variants = ['ce', 'nope' as never]; }, /--variants: unknown variant 'nope'/],
    [(c: ExperimentConfig) => { c.variants = ['ce', 'ce']; }, /listed twice/],
    [(c: ExperimentConfig) => { c.data.size = 30; c.model.depth = 2; }, /--size: FCSiamDiff with depth 2 needs a size that is a multiple of 4, got 30/],
    [(c: ExperimentConfig) => { c.data.size = 8; c.model.depth = 1; }, /at least 16/],
    [(c: ExperimentConfig) => { c.model.name = 'UNet' as never; }, /--model: unknown model 'UNet'/],
    [(c: ExperimentConfig) => { c.weightScheme = 'sqrt' as never; }, /--weight-scheme: unknown scheme 'sqrt'/],
    [(c: ExperimentConfig) => { c.epochs = 0; }, /--epochs: must be a positive integer, got 0/],
    [(c: ExperimentConfig) => { c.lr = -1; }, /--lr/],
    [(c: ExperimentConfig) => { c.data.changeFraction = 1.5; }, /--change-fraction/],
  ])('rejects a bad option with a UsageError naming it (%#)', (patch, message) => {
    const c = with_(patch);
    expect(() => validateConfig(c)).toThrow(UsageError);
    expect(() => validateConfig(c)).toThrow(message);
  });
});
