import { describe, expect, it } from 'vitest';
import { configFromOptions, num, timestamp } from '../src/commands/train.js';
import { DEFAULT_CONFIG } from '../src/train/config.js';
import { UsageError } from '../src/train/errors.js';

describe('configFromOptions', () => {
  it('gives the defaults without options', () => {
    expect(configFromOptions({})).toEqual(DEFAULT_CONFIG);
  });

  it('maps each option onto the configuration', () => {
    const c = configFromOptions({
      variants: 'focal, dice,ce+dice', 'weight-scheme': 'enet', 'batch-norm': 'off', model: 'FCEF', depth: '3', width: '16',
      lr: '0.01', optimizer: 'sgd', momentum: '0.5', seeds: '5', seed: '10', size: '48', train: '20', 'target-f1': '0.6',
    });
    expect(c.variants).toEqual(['focal', 'dice', 'ce+dice']);
    expect(c.weightScheme).toBe('enet');
    expect(c.model).toEqual({ name: 'FCEF', depth: 3, width: 16, batchNorm: false });
    expect([c.lr, c.optimizer, c.momentum, c.seeds, c.seedBase, c.data.size, c.data.train, c.targetF1]).toEqual([0.01, 'sgd', 0.5, 5, 10, 48, 20, 0.6]);
  });

  it('refuses a value that is not a number, and a bad --batch-norm', () => {
    expect(() => num({ lr: 'fast' }, 'lr', 1)).toThrow(UsageError);
    expect(() => num({ lr: '' }, 'lr', 1)).toThrow("--lr: expected a number, got ''");
    expect(() => configFromOptions({ 'batch-norm': 'maybe' })).toThrow("--batch-norm: expected on or off, got 'maybe'");
  });

  it('names runs by local date and time', () => {
    expect(timestamp(new Date(2024, 0, 2, 3, 4, 5))).toBe('2024-01-02_030405');
  });
});
