import { describe, expect, it } from 'vitest';
import { makeDataset, makeSplits, sliceBatch, type Dataset } from '../src/data/dataset.js';

const HW = 64 * 64;
const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const pairKey = (ds: Dataset, i: number): string => bytes(ds.t1.subarray(i * 3 * HW, (i + 1) * 3 * HW)).toString('base64');

describe('makeDataset', () => {
  it('is deterministic: the same seed gives the same bytes, another seed different ones', () => {
    const a = makeDataset({ n: 4, seed: 7 });
    const b = makeDataset({ n: 4, seed: 7 });
    const c = makeDataset({ n: 4, seed: 8 });
    expect(bytes(a.t1).equals(bytes(b.t1))).toBe(true);
    expect(bytes(a.t2).equals(bytes(b.t2))).toBe(true);
    expect(bytes(a.mask).equals(bytes(b.mask))).toBe(true);
    expect(a.counts).toEqual(b.counts);
    expect(bytes(a.t1).equals(bytes(c.t1))).toBe(false);
    expect(bytes(a.t2).equals(bytes(c.t2))).toBe(false);
  });

  it('has the documented layout, values in [0, 1] and counts that match the masks', () => {
    const ds = makeDataset({ n: 5, size: 32, seed: 1 });
    expect([ds.n, ds.size, ds.t1.length, ds.t2.length, ds.mask.length]).toEqual([5, 32, 5 * 3 * 1024, 5 * 3 * 1024, 5 * 1024]);
    const values = [ds.t1, ds.t2].flatMap((a) => [Math.min(...a), Math.max(...a)]);
    for (const v of values) expect(v >= 0 && v <= 1).toBe(true);
    const ones = ds.mask.reduce((s, v) => s + v, 0);
    expect(ds.mask.every((v) => v === 0 || v === 1)).toBe(true);
    expect(ds.counts).toEqual([5 * 1024 - ones, ones]);
  });

  it.each([0.03, 0.08])('hits the target changed fraction %s within a fifth over 150 pairs, some pairs unchanged', (f) => {
    const ds = makeDataset({ n: 150, changeFraction: f, seed: 11 });
    const fraction = ds.counts[1] / (ds.counts[0] + ds.counts[1]);
    expect(Math.abs(fraction - f)).toBeLessThan(0.2 * f);
    let empty = 0;
    for (let i = 0; i < ds.n; i++) if (ds.mask.subarray(i * HW, (i + 1) * HW).every((v) => v === 0)) empty++;
    expect(empty).toBe(ds.pairsWithoutChange);
    expect(empty).toBeGreaterThan(10); // about 20% of 150 pairs
    expect(empty).toBeLessThan(50);
  });

  it('marks nothing when there is no real change, however strong the nuisances', () => {
    const ds = makeDataset({ n: 6, changeFraction: 0, nuisance: 2, seed: 5 });
    expect(ds.counts).toEqual([6 * HW, 0]);
    expect(ds.pairsWithoutChange).toBe(6);
    const meanAbsDiff = ds.t1.reduce((s, v, i) => s + Math.abs(v - ds.t2[i]!), 0) / ds.t1.length;
    expect(meanAbsDiff).toBeGreaterThan(0.02); // the nuisances are there, just not in the mask
  });

  it('without nuisances, t2 equals t1 except near marked changes (footprint plus shadow and blur)', () => {
    const ds = makeDataset({ n: 12, changeFraction: 0.05, nuisance: 0, seed: 2 });
    expect(ds.counts[1]).toBeGreaterThan(0);
    const reach = 7;
    for (let p = 0; p < ds.n; p++) {
      const mask = ds.mask.subarray(p * HW, (p + 1) * HW);
      let inside = 0;
      let farDiffs = 0;
      for (let i = 0; i < HW; i++) {
        const x = i % 64;
        const y = (i - x) / 64;
        let near = false;
        for (let yy = Math.max(0, y - reach); yy <= Math.min(63, y + reach) && !near; yy++) {
          for (let xx = Math.max(0, x - reach); xx <= Math.min(63, x + reach); xx++) if (mask[yy * 64 + xx]) near = true;
        }
        for (let c = 0; c < 3; c++) {
          const k = p * 3 * HW + c * HW + i;
          const diff = Math.abs(ds.t1[k]! - ds.t2[k]!);
          if (!near && diff !== 0) farDiffs++;
          if (mask[i]) inside += diff;
        }
      }
      expect(farDiffs).toBe(0);
      const marked = mask.reduce((s, v) => s + v, 0);
      if (marked > 0) expect(inside / (3 * marked)).toBeGreaterThan(0.03); // marked pixels did change
    }
  });

  it('rejects bad options with messages naming the argument', () => {
    expect(() => makeDataset({ n: -1 })).toThrow(/makeDataset: n must be a non-negative integer, got -1/);
    expect(() => makeDataset({ n: 1, size: 8 })).toThrow(/makeDataset: size must be an integer >= 16, got 8/);
    expect(() => makeDataset({ n: 1, changeFraction: 1.5 })).toThrow(/changeFraction must be in \[0, 1\), got 1.5/);
    expect(() => makeDataset({ n: 1, nuisance: -1 })).toThrow(/nuisance must be >= 0, got -1/);
    expect(() => makeDataset({ n: 1, seed: 0.5 })).toThrow(/seed must be an integer, got 0.5/);
  });
});

describe('makeSplits', () => {
  it('gives disjoint train, validation and test splits', () => {
    const { train, val, test } = makeSplits({ train: 20, val: 8, test: 8, seed: 3 });
    expect([train.n, val.n, test.n]).toEqual([20, 8, 8]);
    const keys = new Set<string>();
    for (const ds of [train, val, test]) for (let i = 0; i < ds.n; i++) keys.add(pairKey(ds, i));
    expect(keys.size).toBe(36);
  });
});

describe('sliceBatch', () => {
  it('copies the pairs at the given indices, in order', () => {
    const ds = makeDataset({ n: 5, size: 16, seed: 4 });
    const batch = sliceBatch(ds, [3, 0, 3]);
    const hw = 256;
    expect([batch.n, batch.size]).toEqual([3, 16]);
    expect(Array.from(batch.t1.subarray(0, 3 * hw))).toEqual(Array.from(ds.t1.subarray(3 * 3 * hw, 4 * 3 * hw)));
    expect(Array.from(batch.t2.subarray(3 * hw, 6 * hw))).toEqual(Array.from(ds.t2.subarray(0, 3 * hw)));
    expect(Array.from(batch.mask.subarray(2 * hw))).toEqual(Array.from(ds.mask.subarray(3 * hw, 4 * hw)));
    batch.t1[0] = -1;
    expect(ds.t1[3 * 3 * hw]).not.toBe(-1);
  });

  it('rejects indices out of range', () => {
    const ds = makeDataset({ n: 2, size: 16 });
    expect(() => sliceBatch(ds, [0, 2])).toThrow(/sliceBatch: index 2 at position 1 is out of range for a dataset of 2 pairs/);
  });
});
