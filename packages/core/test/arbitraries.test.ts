import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { broadcastShapes } from '../src/index.js';
import { broadcastableShapesArb, shapeArb, shapedTensorArb, tensorArb } from '../src/testing/index.js';

describe('shapeArb', () => {
  it('respects rank and dim bounds (defaults 0..4 and 1..5)', () => {
    fc.assert(fc.property(shapeArb(), (s) => s.length <= 4 && s.every((d) => Number.isInteger(d) && d >= 1 && d <= 5)));
    fc.assert(
      fc.property(shapeArb({ minRank: 2, maxRank: 3, minDim: 0, maxDim: 2 }), (s) =>
        s.length >= 2 && s.length <= 3 && s.every((d) => d >= 0 && d <= 2)),
    );
  });

  it('covers every rank, including 0-d', () => {
    const ranks = new Set(fc.sample(shapeArb(), { numRuns: 300, seed: 1 }).map((s) => s.length));
    expect([...ranks].sort()).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('tensorArb', () => {
  it('makes tensors of the shape and dtype asked, within [min, max], away from the avoided points', () => {
    fc.assert(
      fc.property(
        shapeArb({ maxRank: 3 }).chain((shape) => fc.tuple(fc.constant(shape), tensorArb(shape, { min: -1, max: 1, avoid: [0, 0.5], margin: 0.1 }))),
        ([shape, t]) => {
          expect(t.shape).toEqual(shape);
          expect(t.dtype).toBe('float64');
          expect(t.requiresGrad).toBe(false);
          for (const v of t.data) {
            expect(v >= -1 && v <= 1).toBe(true);
            expect(Math.abs(v) >= 0.1 && Math.abs(v - 0.5) >= 0.1).toBe(true);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('makes int32 and float32 tensors, and leaves that require grad', () => {
    const [i] = fc.sample(tensorArb([3, 2], { dtype: 'int32', min: -2.5, max: 2.5 }), { numRuns: 1, seed: 3 });
    expect(i!.dtype).toBe('int32');
    for (const v of i!.data) expect(Number.isInteger(v) && v >= -2 && v <= 2).toBe(true);
    const [f] = fc.sample(tensorArb([2], { dtype: 'float32' }), { numRuns: 1, seed: 3 });
    expect(f!.dtype).toBe('float32');
    const [g] = fc.sample(tensorArb([2], { requiresGrad: true }), { numRuns: 1, seed: 3 });
    expect(g!.requiresGrad && g!.isLeaf).toBe(true);
  });

  it('never produces NaN or infinities', () => {
    fc.assert(fc.property(shapedTensorArb({ maxRank: 2 }, { min: -1e308, max: 1e308 }), (t) => t.data.every((v) => Number.isFinite(v))), {
      numRuns: 50,
    });
  });
});

describe('broadcastableShapesArb', () => {
  it('gives pairs that broadcast together', () => {
    fc.assert(
      fc.property(broadcastableShapesArb(), ([a, b]) => {
        const out = broadcastShapes('test', a, b);
        expect(out.length).toBe(Math.max(a.length, b.length));
      }),
      { numRuns: 200 },
    );
  });

  it('covers pairs where both sides broadcast ([3, 1] with [1, 4]), different ranks, and both orders', () => {
    const pairs = fc.sample(broadcastableShapesArb({ minRank: 2, maxRank: 3, minDim: 2, maxDim: 4 }), { numRuns: 300, seed: 7 });
    const bothExpand = pairs.some(([a, b]) => {
      const out = broadcastShapes('test', a, b);
      return !out.every((d, i) => a[a.length - out.length + i] === d) && !out.every((d, i) => b[b.length - out.length + i] === d);
    });
    expect(bothExpand).toBe(true);
    expect(pairs.some(([a, b]) => a.length < b.length)).toBe(true);
    expect(pairs.some(([a, b]) => a.length > b.length)).toBe(true);
  });
});
