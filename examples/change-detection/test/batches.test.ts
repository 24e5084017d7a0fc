import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/train/config.js';
import { batchTensors, evalLoader, stepsPerEpoch, trainLoader } from '../src/train/batches.js';
import { loadSplits } from '../src/train/splits.js';

const { train } = loadSplits({ ...structuredClone(DEFAULT_CONFIG), data: { ...DEFAULT_CONFIG.data, size: 16, train: 7, val: 1, test: 1 } });
/** Which pairs a batch holds, told apart by their first t1 value. */
const firstValues = Array.from({ length: 7 }, (_, i) => train.pairs.get(i).t1.data[0]!);
const order = (seed: number, epoch: number): number[] =>
  [...trainLoader(train, 3, seed, epoch)].flatMap((b) => Array.from({ length: b.t1.shape[0]! }, (_, k) => firstValues.indexOf(b.t1.data[k * 768]!)));

describe('trainLoader', () => {
  it('draws a permutation that depends on (seed, epoch) only', () => {
    const a = order(3, 2);
    expect([...a].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(order(3, 2)).toEqual(a);
    expect(order(3, 3)).not.toEqual(a);
    expect(order(4, 2)).not.toEqual(a);
  });

  it('keeps a smaller last batch', () => {
    expect([...trainLoader(train, 3, 0, 1)].map((b) => b.t1.shape[0])).toEqual([3, 3, 1]);
    expect(stepsPerEpoch(7, 3)).toBe(3);
  });
});

describe('evalLoader and batchTensors', () => {
  it('stack the pairs in order into (m, 3, H, W) images and (m, H, W) int32 targets', () => {
    const batches = [...evalLoader(train, 4)].map(batchTensors);
    expect(batches.map((b) => b.n)).toEqual([4, 3]);
    const b = batches[1]!;
    expect(b.t1.shape).toEqual([3, 3, 16, 16]);
    expect(b.target.shape).toEqual([3, 16, 16]);
    expect(b.target.dtype).toBe('int32');
    expect(Array.from(b.t2.data.subarray(0, 768))).toEqual(Array.from(train.pairs.get(4).t2.data));
  });
});
