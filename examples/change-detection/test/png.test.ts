import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePng, encodeMaskPng, encodeRgbPng, readMaskPng, readPng, writeMaskPng, writeRgbPng } from '../src/io/png.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-png-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A (3, h, w) image whose values are not multiples of 1/255, with both extremes and out-of-range values. */
function testImage(w: number, h: number): Float32Array {
  const data = new Float32Array(3 * w * h);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 37) % 101) / 100;
  data[0] = -0.5;
  data[1] = 1.5;
  return data;
}

describe('png', () => {
  it('round-trips an RGB image through a file, to within 8-bit quantisation, keeping CHW order', () => {
    const [w, h] = [7, 5];
    const data = testImage(w, h);
    const path = join(dir, 'sub', 'rgb.png');
    writeRgbPng(path, data, w, h);
    const back = readPng(path);
    expect([back.width, back.height, back.data.length]).toEqual([w, h, 3 * w * h]);
    for (let i = 0; i < data.length; i++) {
      const expected = Math.min(1, Math.max(0, data[i]!));
      expect(Math.abs(back.data[i]! - expected)).toBeLessThanOrEqual(0.5 / 255 + 1e-7);
    }
    // Values already on the 8-bit grid come back exactly.
    const again = decodePng(encodeRgbPng(back.data, w, h));
    expect(Array.from(again.data)).toEqual(Array.from(back.data));
    expect(readdirSync(join(dir, 'sub'))).toEqual(['rgb.png']); // no temp file left behind
  });

  it('round-trips a mask, and reads greyscale PNGs as three equal channels', () => {
    const mask = Int32Array.from({ length: 12 }, (_, i) => (i % 5 === 0 ? 1 : 0));
    const path = join(dir, 'mask.png');
    writeMaskPng(path, mask, 4, 3);
    const back = readMaskPng(path);
    expect([back.width, back.height]).toEqual([4, 3]);
    expect(Array.from(back.mask)).toEqual(Array.from(mask));
    const grey = decodePng(encodeMaskPng(mask, 4, 3));
    for (let i = 0; i < 12; i++) {
      expect(grey.data[i]).toBe(mask[i]);
      expect(grey.data[12 + i]).toBe(mask[i]);
      expect(grey.data[24 + i]).toBe(mask[i]);
    }
  });

  it('rejects data of the wrong length and files that are not PNGs', () => {
    expect(() => encodeRgbPng(new Float32Array(10), 2, 2)).toThrow(/encodeRgbPng: data has 10 values, expected 3 \* 2 \* 2 = 12/);
    expect(() => encodeMaskPng(new Int32Array(3), 2, 2)).toThrow(/encodeMaskPng: mask has 3 values, expected 2 \* 2 = 4/);
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, 'not a png');
    expect(() => readPng(bad)).toThrow(/readPng: cannot read .*bad\.png as a PNG/);
  });
});
