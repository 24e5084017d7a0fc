import { Generator, Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { batchCount, collate, DataLoader, ndarray, sampleSeed, Subset, TensorDataset, TransformDataset, type Dataset, type NdArray } from '../src/index.js';

/** n samples; sample i's image is filled with i, its mask with 10·i. */
function numbered(n: number): TensorDataset<{ image: Tensor; mask: NdArray<Int32Array> }> {
  const image = new Float32Array(n * 2 * 3 * 3);
  const mask = new Int32Array(n * 3 * 3);
  for (let i = 0; i < n; i++) {
    image.fill(i, i * 18, (i + 1) * 18);
    mask.fill(10 * i, i * 9, (i + 1) * 9);
  }
  return new TensorDataset({ image: new Tensor(image, [n, 2, 3, 3]), mask: ndarray(mask, [n, 3, 3]) });
}

/** The sample ids of each batch, read back from the image tensor. */
const ids = (batch: { image: Tensor }): number[] => Array.from({ length: batch.image.shape[0]! }, (_, k) => batch.image.data[k * 18]!);

describe('DataLoader', () => {
  it('batches in order without shuffle, with a smaller last batch unless dropLast', () => {
    const ds = numbered(10);
    const loader = new DataLoader(ds, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(ids)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(batches[0]!.image.shape).toEqual([4, 2, 3, 3]);
    expect(batches[0]!.image.dtype).toBe('float32');
    expect(batches[2]!.mask.shape).toEqual([2, 3, 3]);
    expect(batches[2]!.mask.dtype).toBe('int32');
    expect(Array.from(batches[2]!.mask.data.slice(0, 1))).toEqual([80]);
    const dropped = new DataLoader(ds, { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].map(ids)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(batchCount(8, 4, true)).toBe(2);
    expect(batchCount(0, 4, false)).toBe(0);
  });

  it('shuffles into a permutation that a seed reproduces, and each pass draws a new one', () => {
    const ds = numbered(12);
    const a = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(7) });
    const b = new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(7) });
    const first = [...a].map(ids);
    expect([...b].map(ids)).toEqual(first);
    expect(first.flat().sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(first.flat()).not.toEqual(Array.from({ length: 12 }, (_, i) => i));
    const second = [...a].map(ids);
    expect(second).not.toEqual(first);
    a.generator.manualSeed(7); // replaying a pass: re-seed
    expect([...a].map(ids)).toEqual(first);
    expect([...new DataLoader(ds, { batchSize: 5, shuffle: true, generator: new Generator(8) })].map(ids)).not.toEqual(first);
  });

  it('hands each sample a generator seeded by (pass, index): the same draws in any order', () => {
    const draws = new Map<number, number>();
    const ds: Dataset<{ x: NdArray; i: number }> = {
      length: 6,
      get: (i, g) => {
        const u = g!.uniform();
        draws.set(i, u);
        return { x: ndarray(Float32Array.of(u), [1]), i };
      },
    };
    const plain = new DataLoader(ds, { batchSize: 2, generator: new Generator(3) });
    const shuffled = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(3) });
    const batch = [...plain];
    const seedsSeen = new Map(draws);
    const plan = new DataLoader(ds, { batchSize: 2, generator: new Generator(3) }).plan();
    for (let i = 0; i < 6; i++) expect(seedsSeen.get(i)).toBe(new Generator(sampleSeed(plan.seedBase, i)).uniform());
    expect(batch[1]!.i).toEqual([2, 3]);
    // the shuffled loader's first pass has another seed base (its permutation drew first), but the
    // same (base, index) rule: re-reading index i under the same base gives the same draw
    const shuffledPlan = new DataLoader(ds, { batchSize: 4, shuffle: true, generator: new Generator(3) }).plan();
    for (const b of shuffled) b.i.forEach((i, k) => expect(b.x.data[k]).toBe(Math.fround(new Generator(sampleSeed(shuffledPlan.seedBase, i)).uniform())));
    expect(sampleSeed(1, 2)).not.toBe(sampleSeed(1, 3));
    expect(sampleSeed(1, 2)).not.toBe(sampleSeed(2, 2));
  });

  it('iterates asynchronously to the same batches', async () => {
    const ds = numbered(7);
    const sync = [...new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator(1) })].map(ids);
    const out: number[][] = [];
    for await (const b of new DataLoader(ds, { batchSize: 3, shuffle: true, generator: new Generator(1) })) out.push(ids(b));
    expect(out).toEqual(sync);
  });

  it('takes a collateFn, and refuses bad options', () => {
    const ds = numbered(3);
    expect([...new DataLoader(ds, { batchSize: 2, collateFn: (s) => s.length })]).toEqual([2, 1]);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new DataLoader(ds, { prefetchFactor: 1.5 })).toThrow(/prefetchFactor/);
    const workers = { numWorkers: 1, load: () => Promise.reject(new Error('x')) };
    expect(() => new DataLoader(ds, { workers, collateFn: (s) => s })).toThrow(/collateFn cannot be combined with workers/);
    expect(() => [...new DataLoader(ds, { workers })]).toThrow(/for await/);
  });
});

describe('collate', () => {
  it('stacks arrays into tensors, strings and numbers into lists', () => {
    const b = collate([
      { a: ndarray(Float32Array.of(1, 2), [2]), name: 'x', k: 1 },
      { a: ndarray(Float32Array.of(3, 4), [2]), name: 'y', k: 2 },
    ]);
    expect(b.a.shape).toEqual([2, 2]);
    expect(Array.from(b.a.data)).toEqual([1, 2, 3, 4]);
    expect(b.name).toEqual(['x', 'y']);
    expect(b.k).toEqual([1, 2]);
  });

  it('names the field and the sample when shapes, kinds or fields differ', () => {
    const a = { m: ndarray(new Int32Array(4), [2, 2]) };
    expect(() => collate([a, { m: ndarray(new Int32Array(6), [2, 3]) }])).toThrow(/field 'm' of sample 1 is Int32Array \[2, 3\] but sample 0's is Int32Array \[2, 2\]/);
    expect(() => collate([a, { m: ndarray(new Float32Array(4), [2, 2]) }])).toThrow(/field 'm' of sample 1 is Float32Array/);
    expect(() => collate([a, { n: ndarray(new Int32Array(4), [2, 2]) }])).toThrow(/sample 1 has fields \[n\] but sample 0 has \[m\]/);
    expect(() => collate([])).toThrow(/empty batch/);
  });
});

describe('TensorDataset, Subset, TransformDataset', () => {
  it('index rows, reorder, transform, and name a bad index or a bad field', () => {
    const ds = numbered(4);
    expect(ds.length).toBe(4);
    expect(ds.get(2).image.shape).toEqual([2, 3, 3]);
    const sub = new Subset(ds, [3, 1]);
    expect(sub.length).toBe(2);
    expect(sub.get(0).image.data[0]).toBe(3);
    const doubled = new TransformDataset(ds, (s) => ({ ...s, image: ndarray(s.image.data.map((v) => 2 * v), s.image.shape) }));
    expect(doubled.get(3).image.data[0]).toBe(6);
    expect(() => ds.get(4)).toThrow(/TensorDataset.get: index 4 is out of range for a dataset of 4 samples/);
    expect(() => new Subset(ds, [0, 9])).toThrow(/Subset: index 9 is out of range/);
    expect(() => new TensorDataset({ a: ndarray(new Float32Array(4), [4]), b: ndarray(new Int32Array(6), [3, 2]) })).toThrow(/field 'b' has 3 rows.*'a' has 4/);
    expect(() => new TensorDataset({ a: new Tensor(new Float64Array(2), [2]) })).toThrow(/field 'a' must be float32 or int32/);
    expect(() => ndarray(new Float32Array(3), [2, 2])).toThrow(/3 elements but shape \[2, 2\] needs 4/);
  });
});
