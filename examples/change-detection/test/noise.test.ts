import { Generator } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { fractalNoise, mix32, pairSeed, valueNoise } from '../src/data/noise.js';

describe('pairSeed', () => {
  it('gives distinct 32-bit seeds to every (split, index) of a dataset seed', () => {
    for (const seed of [0, 1, 123456789, 2 ** 40 + 3]) {
      const seen = new Set<number>();
      for (const split of ['train', 'val', 'test'] as const) {
        for (let i = 0; i < 500; i++) {
          const s = pairSeed(seed, split, i);
          expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
          seen.add(s);
        }
      }
      expect(seen.size).toBe(1500);
    }
    expect(pairSeed(1, 'train', 0)).not.toBe(pairSeed(2, 'train', 0));
  });

  it('rejects bad indices and seeds', () => {
    expect(() => pairSeed(0, 'train', -1)).toThrow(/pairSeed: index must be an integer in \[0, 2\^30\), got -1/);
    expect(() => pairSeed(0, 'val', 1.5)).toThrow(/got 1.5/);
    expect(() => pairSeed(0.5, 'test', 0)).toThrow(/pairSeed: seed must be an integer, got 0.5/);
  });

  it('mixes with a bijection on 32 bits (no collisions over a range)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) seen.add(mix32(i * 2654435761));
    expect(seen.size).toBe(20000);
  });
});

describe('valueNoise', () => {
  it('stays in [0, 1], is smooth at its scale and repeats for the same generator state', () => {
    const a = valueNoise(new Generator(3), 32, 8);
    const b = valueNoise(new Generator(3), 32, 8);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    let jump = 0;
    for (let i = 1; i < 32; i++) jump = Math.max(jump, Math.abs(a[i]! - a[i - 1]!));
    expect(jump).toBeLessThan(0.35); // a step of 1/8 cell moves at most 1.5/8 of the range
    const f = fractalNoise(new Generator(3), 32, 8);
    expect(Math.min(...f)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...f)).toBeLessThanOrEqual(1);
  });
});
