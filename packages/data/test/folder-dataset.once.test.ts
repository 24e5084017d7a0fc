import { copyFileSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@tessera/core';
import jpeg from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, encodeMaskPng, encodePng, ndarray, tileGrid, tileOrigins, blendTiles } from '../src/index.js';
import { changeDetectionFolder, readImageHeader, readMask, segmentationFolder } from '../src/node/index.js';
import { writeLevir, writeSegmentation } from './folders.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('changeDetectionFolder (LEVIR-CD layout)', () => {
  const root = join(dir, 'levir');
  const train = writeLevir(root, 'train', 3, 8, 6, 1);
  writeLevir(root, 'val', 2, 8, 6, 2);

  it('reads each split\'s pairs in name order, as written', () => {
    const ds = changeDetectionFolder(root, { split: 'train' });
    expect(ds.length).toBe(3);
    const s = ds.get(1);
    expect(s.name).toBe('p1');
    expect(s.t1.shape).toEqual([3, 8, 6]);
    expect(s.t1.data).toEqual(train.images[1]);
    expect(s.t2.data).toEqual(train.images2[1]);
    expect(s.mask.data).toEqual(train.masks[1]);
    expect(changeDetectionFolder(root, { split: 'val', preload: true }).length).toBe(2);
    const counts = ds.labelCounts();
    expect((counts.get(0) ?? 0) + (counts.get(1) ?? 0)).toBe(3 * 48);
  });

  it('tiles pairs with the stride given, and batches the tiles', () => {
    const ds = changeDetectionFolder(root, { split: 'train', tile: { size: 4, stride: 2 } });
    // rows at 0, 2, 4; columns at 0, 2: 6 tiles per pair
    expect(ds.length).toBe(18);
    expect(ds.tiles![7]).toEqual({ item: 1, top: 0, left: 2 });
    const tile = ds.get(7);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) expect(tile.mask.data[y * 4 + x]).toBe(train.masks[1]![y * 6 + x + 2]);
    const batches = [...new DataLoader(ds, { batchSize: 8, shuffle: true, generator: new Generator(0) })];
    expect(batches.map((b) => b.t1.shape[0])).toEqual([8, 8, 2]);
    expect(batches[0]!.t2.shape).toEqual([8, 3, 4, 4]);
  });

  it('refuses a missing pair, a missing folder, mismatched sizes and two files of one name, naming them', () => {
    const broken = join(dir, 'broken');
    writeLevir(broken, 'train', 3, 8, 6);
    unlinkSync(join(broken, 'train', 'B', 'p2.png'));
    expect(() => changeDetectionFolder(broken, { split: 'train' })).toThrow(/missing pairs: .*train\/A\/p2.png has no partner in B\//);
    expect(() => changeDetectionFolder(broken, { split: 'test' })).toThrow(/has no 'test' folder \(it has: train\)/);
    expect(() => changeDetectionFolder(broken)).toThrow(/has no A\/, B\/, label\/ folder .*give a split/);
    const sized = join(dir, 'sized');
    writeLevir(sized, 'train', 2, 8, 6);
    writeFileSync(join(sized, 'train', 'B', 'p1.png'), encodePng(ndarray(new Float32Array(3 * 8 * 8), [3, 8, 8])));
    expect(() => changeDetectionFolder(sized, { split: 'train' })).toThrow(/B\/p1.png is 8x8 but .*A\/p1.png is 6x8/);
    copyFileSync(join(sized, 'train', 'A', 'p0.png'), join(sized, 'train', 'A', 'p0.jpg'));
    expect(() => changeDetectionFolder(sized, { split: 'train' })).toThrow(/p0.jpg and .*p0.png have the same name|p0.png and .*p0.jpg have the same name/);
  });
});

describe('segmentationFolder (images/ + masks/)', () => {
  const root = join(dir, 'scenes');
  const written = writeSegmentation(root, 'train', 4, 6, 6, 4, 3);

  it('maps the ignore value to ignoreIndex and counts labels', () => {
    const ds = segmentationFolder(root, { split: 'train', mask: { numClasses: 4, ignoreValue: 255 }, preload: true });
    expect(ds.get(2).mask.data).toEqual(written.masks[2]);
    expect(ds.get(2).image.data).toEqual(written.images[2]);
    const counts = ds.labelCounts();
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-100, 0, 1, 2, 3]);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(4 * 36);
  });

  it('a mask value outside the classes: preload fails the open, a lazy read fails its batch, both naming the file', () => {
    const bad = join(dir, 'bad');
    writeSegmentation(bad, 'train', 3, 6, 6, 4, 1);
    const m = readMask(join(bad, 'train', 'masks', 's2.png'), { numClasses: 4, ignoreValue: 255 });
    m.data[7] = 9;
    writeFileSync(join(bad, 'train', 'masks', 's2.png'), encodeMaskPng(m, { encoding: 'index', ignoreValue: 255 }));
    const options = { split: 'train', mask: { numClasses: 4, ignoreValue: 255 } };
    expect(() => segmentationFolder(bad, { ...options, preload: true })).toThrow(/masks\/s2.png: value 9 at \(x 1, y 1\) is not a class: expected 0..3/);
    const lazy = segmentationFolder(bad, options);
    const seen: number[] = [];
    expect(() => {
      for (const b of new DataLoader(lazy, { batchSize: 2 })) seen.push(b.image.shape[0]!);
    }).toThrow(/s2.png: value 9/);
    expect(seen).toEqual([2]); // the first batch was whole; the broken one never came out
  });

  it('reads JPEG images, and refuses a JPEG mask', () => {
    const jp = join(dir, 'jpeg');
    writeSegmentation(jp, 'train', 1, 8, 8, 2);
    unlinkSync(join(jp, 'train', 'images', 's0.png'));
    const jpg = join(jp, 'train', 'images', 's0.jpg');
    writeFileSync(jpg, jpeg.encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(90) }, 90).data);
    expect(readImageHeader(jpg)).toEqual({ width: 8, height: 8, format: 'jpeg' });
    const ds = segmentationFolder(jp, { split: 'train', mask: { numClasses: 2, ignoreValue: 255 } });
    expect(ds.get(0).image.shape).toEqual([3, 8, 8]);
    expect(Math.abs(ds.get(0).image.data[0]! - 90 / 255)).toBeLessThan(0.02);
    expect(() => readMask(jpg, { numClasses: 2 })).toThrow(/s0.jpg: a mask must be a PNG/);
    expect(() => readMask(join(dir, 'nope.png'), { numClasses: 2 })).toThrow(/cannot read .*nope.png/);
  });
});

describe('tiles', () => {
  it('cover every pixel with tiles inside the image', () => {
    expect(tileOrigins(10, 4, 4)).toEqual([0, 4, 6]);
    expect(tileOrigins(8, 4, 4)).toEqual([0, 4]);
    expect(tileOrigins(4, 4, 1)).toEqual([0]);
    expect(tileGrid(5, 9, { size: 5, stride: 3 })).toEqual([{ top: 0, left: 0 }, { top: 0, left: 3 }, { top: 0, left: 4 }]);
    expect(() => tileOrigins(3, 4)).toThrow(/a side of 3 pixels is shorter than the tile size 4/);
    expect(() => tileOrigins(9, 4, 5)).toThrow(/stride must be an integer in \[1, size = 4\]/);
  });

  it('blend overlapping predictions back into one map', () => {
    // a "model" that returns the image itself: the blend must give the image back exactly
    const h = 7;
    const w = 9;
    const img = Float32Array.from({ length: 2 * h * w }, (_, i) => i);
    const out = blendTiles(h, w, 2, { size: 4, stride: 3 }, (top, left) => {
      const t = new Float32Array(2 * 16);
      for (let c = 0; c < 2; c++) for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) t[(c * 4 + y) * 4 + x] = img[(c * h + top + y) * w + left + x]!;
      return t;
    });
    out.forEach((v, i) => expect(v).toBeCloseTo(img[i]!, 4));
  });
});
