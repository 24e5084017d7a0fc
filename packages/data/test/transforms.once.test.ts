import { Generator } from '@tessera/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { colorJitter, compose, crop, flip, ndarray, randomCrop, randomHorizontalFlip, randomRot90, randomVerticalFlip, rot90, type NdArray } from '../src/index.js';

/** A (c, h, w) image whose value at (k, y, x) encodes the position, and an (h, w) mask encoding (y, x) alike. */
function positional(c: number, h: number, w: number): { image: NdArray<Float32Array>; mask: NdArray<Int32Array>; name: string } {
  const image = new Float32Array(c * h * w);
  const mask = new Int32Array(h * w);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) image[(k * h + y) * w + x] = k * 10000 + y * 100 + x;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) mask[y * w + x] = y * 100 + x;
  return { image: ndarray(image, [c, h, w]), mask: ndarray(mask, [h, w]), name: 'p' };
}

/** Every pixel of the mask still sits under the image pixel it started with. */
function aligned(s: { image: NdArray<Float32Array>; mask: NdArray<Int32Array> }): boolean {
  const [c, h, w] = s.image.shape as [number, number, number];
  for (let k = 0; k < c; k++) for (let i = 0; i < h * w; i++) if (s.image.data[k * h * w + i] !== k * 10000 + s.mask.data[i]!) return false;
  return true;
}

const dims = fc.record({ c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 5 }) });

describe('spatial transforms', () => {
  it('flip twice and rot90 k then 4 − k are the identity; rot90 by 1 swaps H and W (property)', () => {
    fc.assert(fc.property(dims, fc.integer({ min: 0, max: 3 }), ({ c, h, w }, k) => {
      const { image } = positional(c, h, w);
      expect(flip(flip(image, true), true)).toEqual(image);
      expect(flip(flip(image, false), false)).toEqual(image);
      expect(rot90(rot90(image, k), 4 - k)).toEqual(image);
      expect(rot90(image, 1).shape).toEqual([c, w, h]);
    }));
  });

  it('rot90 turns counter-clockwise, as torch.rot90(x, 1, (-2, -1))', () => {
    // [[1, 2], [3, 4]] → torch.rot90 → [[2, 4], [1, 3]]
    const r = rot90(ndarray(Int32Array.of(1, 2, 3, 4), [2, 2]), 1);
    expect(Array.from(r.data)).toEqual([2, 4, 1, 3]);
    expect(Array.from(flip(ndarray(Int32Array.of(1, 2, 3, 4), [2, 2]), true).data)).toEqual([2, 1, 4, 3]);
    expect(Array.from(crop(ndarray(Int32Array.of(1, 2, 3, 4, 5, 6), [2, 3]), 1, 1, 1, 2).data)).toEqual([5, 6]);
  });

  it('keeps image and mask aligned through random flips, rotations and crops, reproducibly per seed (property)', () => {
    type P = ReturnType<typeof positional>;
    const augment = compose<P>(randomHorizontalFlip(), randomVerticalFlip(), randomRot90(), randomCrop({ size: 2 }));
    fc.assert(fc.property(dims, fc.integer({ min: 0, max: 1000 }), ({ c, h, w }, seed) => {
      const s = positional(c, Math.max(h, 2), Math.max(w, 2));
      const a = augment(s, new Generator(seed));
      expect(aligned(a)).toBe(true);
      expect(a.image.shape).toEqual([c, 2, 2]);
      expect(a.name).toBe('p');
      expect(augment(s, new Generator(seed))).toEqual(a);
    }));
  });

  it('flips with probability p', () => {
    const s = positional(1, 2, 3);
    const g = new Generator(0);
    let flipped = 0;
    for (let i = 0; i < 400; i++) if (randomHorizontalFlip<typeof s>({ p: 0.25 })(s, g) !== s) flipped++;
    expect(flipped).toBeGreaterThan(60);
    expect(flipped).toBeLessThan(140);
    expect(randomVerticalFlip<typeof s>({ p: 0 })(s, g)).toBe(s);
  });

  it('names what is wrong', () => {
    const s = positional(1, 3, 3);
    expect(() => randomCrop<typeof s>({ size: 4 })(s, new Generator(0))).toThrow(/randomCrop: the crop 4×4 is larger than the sample, 3×3/);
    expect(() => randomHorizontalFlip({ p: 2 })).toThrow(/p must be in \[0, 1\], got 2/);
    expect(() => randomCrop({ size: 0 })).toThrow(/positive integer/);
    const bad = { image: s.image, mask: ndarray(new Int32Array(4), [2, 2]) };
    expect(() => randomCrop<typeof bad>({ size: 1 })(bad, new Generator(0))).toThrow(/field 'mask' is 2×2 .* but 'image' is 3×3/);
  });
});

describe('colorJitter', () => {
  const scene = (): { t1: NdArray<Float32Array>; t2: NdArray<Float32Array>; mask: NdArray<Int32Array> } => {
    const g = new Generator(5);
    const img = (): NdArray<Float32Array> => ndarray(Float32Array.from({ length: 3 * 16 }, () => g.uniform()), [3, 4, 4]);
    return { t1: img(), t2: img(), mask: ndarray(Int32Array.from({ length: 16 }, (_, i) => i % 3), [4, 4]) };
  };

  it('leaves masks alone, stays in [0, 1], draws per image, and is reproducible', () => {
    const s = scene();
    const jitter = colorJitter<typeof s>({ brightness: 0.5, contrast: 0.5, saturation: 0.5 });
    const a = jitter(s, new Generator(1));
    expect(a.mask).toBe(s.mask);
    expect(a.t1.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(a.t1.data).not.toEqual(s.t1.data);
    expect(jitter(s, new Generator(1))).toEqual(a);
    // brightness alone scales every value by one factor in [0.5, 1.5] (none clamped here)
    const small = { ...s, t1: ndarray(s.t1.data.map((v) => v * 0.5), s.t1.shape) };
    const b = colorJitter<typeof small>({ brightness: 0.5, fields: ['t1'] })(small, new Generator(2));
    const f = b.t1.data[0]! / small.t1.data[0]!;
    expect(f).toBeGreaterThanOrEqual(0.5);
    expect(f).toBeLessThanOrEqual(1.5);
    b.t1.data.forEach((v, i) => expect(v).toBeCloseTo(small.t1.data[i]! * f, 5));
    expect(b.t2).toBe(small.t2);
  });

  it('draws per image by default; sameForAll shares one draw', () => {
    const s = scene();
    const same = colorJitter<typeof s>({ brightness: 0.3, sameForAll: true })(s, new Generator(4));
    expect(same.t1.data[0]! / s.t1.data[0]!).toBeCloseTo(same.t2.data[0]! / s.t2.data[0]!, 5);
    const own = colorJitter<typeof s>({ brightness: 0.3 })(s, new Generator(4));
    expect(own.t1.data[0]! / s.t1.data[0]!).not.toBeCloseTo(own.t2.data[0]! / s.t2.data[0]!, 5);
  });

  it('refuses a negative range and jittering a mask', () => {
    const s = scene();
    expect(() => colorJitter({ contrast: -1 })).toThrow(/contrast must be a finite number >= 0, got -1/);
    expect(() => colorJitter<typeof s>({ brightness: 0.1, fields: ['mask'] })(s, new Generator(0))).toThrow(/field 'mask' is not a float32 image/);
  });
});
