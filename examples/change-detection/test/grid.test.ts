import { describe, expect, it } from 'vitest';
import { COLORS, composeGrid, pickGridPairs, predictionTile, truthTile, upscale } from '../src/report/grid.js';

const px = (tile: Float32Array, size: number, i: number): number[] => [0, 1, 2].map((c) => tile[c * size * size + i]!);

describe('prediction tiles', () => {
  it('colour true positives, false positives, false negatives and true negatives', () => {
    const truth = [1, 0, 1, 0];
    const pred = [1, 1, 0, 0];
    const tile = predictionTile(pred, truth, 2);
    expect(px(tile, 2, 0)).toEqual(COLORS.change.map(Math.fround));
    expect(px(tile, 2, 1)).toEqual(COLORS.falsePositive.map(Math.fround));
    expect(px(tile, 2, 2)).toEqual(COLORS.falseNegative.map(Math.fround));
    expect(px(tile, 2, 3)).toEqual(COLORS.background.map(Math.fround));
    expect(px(truthTile(truth, 2), 2, 1)).toEqual(COLORS.background.map(Math.fround));
  });
});

describe('composeGrid', () => {
  it('upscales tiles and lays them out with white gaps', () => {
    const a = new Float32Array(12).fill(0); // 2x2 black
    const up = upscale(Float32Array.from({ length: 12 }, (_, i) => i), 2, 2);
    expect(Array.from(up.subarray(0, 16))).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3]);
    const g = composeGrid([[a, a], [a, a]], 2, { scale: 2, gap: 1 });
    expect([g.width, g.height]).toEqual([9, 9]);
    // column 4 and row 4 are the white gaps
    expect(g.data[4]).toBe(1);
    expect(g.data[4 * 9]).toBe(1);
    expect(g.data[0]).toBe(0);
    expect(g.data[5 * 9 + 5]).toBe(0);
  });
});

describe('pickGridPairs', () => {
  it('spreads the picks over pairs with change and adds one without change', () => {
    // 6 pairs: change in pairs 0, 2, 3, 5
    const hasChange = [true, false, true, true, false, true];
    expect(pickGridPairs(hasChange, 4)).toEqual([0, 3, 5, 1]);
    expect(pickGridPairs(hasChange, 2)).toEqual([0, 5]);
    expect(pickGridPairs(hasChange, 0)).toEqual([]);
  });
});
