import { describe, expect, it } from 'vitest';
import { makeDataset } from '../src/data/dataset.js';
import { batchTensors, chunk, epochOrder, evalBatches, stepsPerEpoch } from '../src/train/batches.js';

describe('epochOrder', () => {
  it('is a permutation that depends on (seed, epoch) only', () => {
    const a = epochOrder(50, 3, 2);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(epochOrder(50, 3, 2)).toEqual(a);
    expect(epochOrder(50, 3, 3)).not.toEqual(a);
    expect(epochOrder(50, 4, 2)).not.toEqual(a);
  });
});

describe('chunk and stepsPerEpoch', () => {
  it('keeps a smaller last batch', () => {
    expect(chunk([5, 1, 4, 2, 3], 2)).toEqual([[5, 1], [4, 2], [3]]);
    expect(stepsPerEpoch(5, 2)).toBe(3);
  });
});

describe('batchTensors', () => {
  it('stacks the chosen pairs into (m, 3, H, W) images and (m, H, W) int32 targets', () => {
    const ds = makeDataset({ n: 3, size: 16, seed: 1 });
    const b = batchTensors(ds, [2, 0]);
    expect(b.t1.shape).toEqual([2, 3, 16, 16]);
    expect(b.target.shape).toEqual([2, 16, 16]);
    expect(b.target.dtype).toBe('int32');
    expect(Array.from(b.t2.data.subarray(0, 768))).toEqual(Array.from(ds.t2.subarray(2 * 768, 3 * 768)));
    expect([...evalBatches(ds, 2)].map((x) => x.n)).toEqual([2, 1]);
  });
});
