import { describe, expect, it } from 'vitest';
import { overlay, reflectPad, roundUp, threshold } from '../src/train/predict-image.js';

describe('reflectPad', () => {
  it('mirrors rows and columns at the bottom and right without repeating the edge', () => {
    // one channel, 2 × 3: [[1, 2, 3], [4, 5, 6]] padded to 4 × 5
    const out = reflectPad(Float32Array.from([1, 2, 3, 4, 5, 6]), 1, 2, 3, 4, 5);
    expect(Array.from(out)).toEqual([
      1, 2, 3, 2, 1,
      4, 5, 6, 5, 4,
      1, 2, 3, 2, 1,
      4, 5, 6, 5, 4,
    ]);
    // a 1-pixel image repeats its only pixel
    expect(Array.from(reflectPad(Float32Array.from([7]), 1, 1, 1, 2, 2))).toEqual([7, 7, 7, 7]);
  });

  it('rounds sizes up to the model multiple', () => {
    expect([roundUp(20, 4), roundUp(16, 4), roundUp(1, 8)]).toEqual([20, 16, 8]);
  });
});

describe('threshold and overlay', () => {
  it('marks p >= t and tints only the marked pixels', () => {
    const mask = threshold(Float32Array.from([0.2, 0.5, 0.9]), 0.5);
    expect(Array.from(mask)).toEqual([0, 1, 1]);
    const img = new Float32Array(9).fill(0.5);
    const o = overlay(img, Int32Array.from([1, 0, 0]), { alpha: 0.5, color: [1, 0, 0] });
    expect([o[0], o[3], o[6]]).toEqual([0.75, 0.25, 0.25]);
    expect([o[1], o[4], o[7]]).toEqual([0.5, 0.5, 0.5]);
  });
});
