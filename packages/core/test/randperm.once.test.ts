import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, randperm } from '../src/index.js';
import { flat } from './helpers.js';

describe('randperm', () => {
  it('draws the documented shuffle (exact values)', () => {
    // From an independent Python implementation of what randperm.ts documents: Generator(seed)'s
    // xoshiro128** uint32 stream; for i = n−1 down to 1, j = u mod (i+1) for the first draw u below
    // 2^32 − (2^32 mod (i+1)); swap positions i and j of [0, 1, …, n−1].
    expect(flat(randperm(10, { generator: new Generator(0) }))).toEqual([3, 6, 1, 5, 0, 4, 2, 9, 7, 8]);
    expect(flat(randperm(10, { generator: new Generator(42) }))).toEqual([3, 6, 8, 7, 5, 0, 9, 2, 1, 4]);
    expect(flat(randperm(5, { generator: new Generator(7) }))).toEqual([1, 4, 2, 3, 0]);
  });

  it('is a permutation of 0..n−1, int32 of shape [n], for any n and seed', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), fc.integer(), (n, seed) => {
      const p = randperm(n, { generator: new Generator(seed) });
      expect(p.dtype).toBe('int32');
      expect(p.shape).toEqual([n]);
      expect(flat(p).sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    }), { numRuns: 50 });
  });

  it('is seeded: the same seed gives the same permutation; the generator advances; manualSeed drives the default', () => {
    const g = new Generator(3);
    const first = flat(randperm(20, { generator: g }));
    const second = flat(randperm(20, { generator: g }));
    expect(second).not.toEqual(first); // the state moved on
    expect(flat(randperm(20, { generator: new Generator(3) }))).toEqual(first);
    manualSeed(3);
    expect(flat(randperm(20))).toEqual(first);
    expect(flat(randperm(20))).toEqual(second);
  });

  it('makes every permutation equally likely (chi-square over the 24 permutations of 4)', () => {
    // 24,000 draws, 1,000 expected per permutation. χ² with 23 degrees of freedom exceeds 49.7 with
    // probability 0.001; the seed is fixed, so this is deterministic, not flaky.
    const g = new Generator(2024);
    const counts = new Map<string, number>();
    for (let i = 0; i < 24_000; i++) {
      const key = flat(randperm(4, { generator: g })).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const chi2 = [...counts.values()].reduce((s, c) => s + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(49.7);
  });

  it('puts each value at each position with probability 1/n (n = 7, 7,000 draws)', () => {
    // Each cell expects 1,000 with sd √(1000·6/7) ≈ 29; 5 sd = 146.
    const g = new Generator(9);
    const at = Array.from({ length: 7 }, () => new Array<number>(7).fill(0));
    for (let i = 0; i < 7000; i++) flat(randperm(7, { generator: g })).forEach((v, pos) => { at[pos]![v]!++; });
    for (const row of at) for (const c of row) expect(Math.abs(c - 1000)).toBeLessThan(146);
  });

  it('takes float dtypes; n = 0 and n = 1', () => {
    const p = randperm(6, { generator: new Generator(1), dtype: 'float64' });
    expect(p.dtype).toBe('float64');
    expect(flat(p)).toEqual(flat(randperm(6, { generator: new Generator(1) })));
    expect(randperm(0).shape).toEqual([0]);
    expect(flat(randperm(1))).toEqual([0]);
  });

  it('names the bad argument', () => {
    expect(() => randperm(-1)).toThrow(/randperm: n must be an integer in \[0, 2147483647\] for dtype int32, got -1/);
    expect(() => randperm(2.5)).toThrow(/randperm: n must be an integer .* got 2.5/);
    expect(() => randperm(2 ** 24 + 1, { dtype: 'float32' })).toThrow(/randperm: n must be an integer in \[0, 16777216\] for dtype float32, got 16777217/);
    expect(() => randperm(3, { dtype: 'bool' as 'int32' })).toThrow(/randperm: dtype must be int32, float32 or float64, got bool/);
  });
});
