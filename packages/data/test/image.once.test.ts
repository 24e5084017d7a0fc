import { encode as encodeRawPng } from 'fast-png';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, encodeMaskPng, encodePng, imageToChw, maskFromImage, ndarray, quantize, readImageSize, toByte } from '../src/index.js';

const grey = (w: number, h: number, data: number[], depth: 8 | 16 = 8): Uint8Array =>
  encodeRawPng({ width: w, height: h, data: depth === 8 ? Uint8Array.from(data) : Uint16Array.from(data), channels: 1, depth });

describe('images', () => {
  it('round-trip an 8-bit RGB image exactly once its values are multiples of 1/255', () => {
    const chw = quantize(Float32Array.from({ length: 3 * 6 }, (_, i) => (i * 37 % 101) / 100));
    const raw = decodeImage(encodePng(ndarray(chw, [3, 2, 3])), 'x.png');
    expect([raw.width, raw.height, raw.channels, raw.depth, raw.format]).toEqual([3, 2, 3, 8, 'png']);
    const back = imageToChw(raw);
    expect(back.shape).toEqual([3, 2, 3]);
    expect(back.data).toEqual(chw);
    expect(toByte(0.5)).toBe(128); // 127.5 rounds half up
    expect(toByte(Number.NaN)).toBe(0);
  });

  it('read grey as three equal channels or one, RGB as luminance, 16-bit and 1-bit grey scaled to [0, 1]', () => {
    const g = imageToChw(decodeImage(grey(2, 1, [0, 51])));
    expect(Array.from(g.data)).toEqual([0, 0.2, 0, 0.2, 0, 0.2].map(Math.fround));
    expect(imageToChw(decodeImage(grey(2, 1, [0, 51])), { mode: 'grey' }).shape).toEqual([1, 1, 2]);
    const rgb = decodeImage(encodeRawPng({ width: 1, height: 1, data: Uint8Array.of(255, 0, 0), channels: 3, depth: 8 }));
    expect(imageToChw(rgb, { mode: 'grey' }).data[0]).toBeCloseTo(0.299, 6);
    expect(imageToChw(decodeImage(grey(2, 1, [0, 65535], 16))).data[1]).toBe(1);
    const bits = encodeRawPng({ width: 10, height: 2, data: Uint8Array.of(0b10110000, 0b01000000, 0b11111111, 0b11000000), channels: 1, depth: 1 });
    const one = decodeImage(bits);
    expect(Array.from(one.data)).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    const rgba = decodeImage(encodeRawPng({ width: 1, height: 1, data: Uint8Array.of(10, 20, 30, 0), channels: 4, depth: 8 }));
    expect(Array.from(rgba.data)).toEqual([10, 20, 30]); // alpha dropped
  });

  it('decode a JPEG, and read both formats\' size from the header', () => {
    const px = new Uint8Array(8 * 4 * 4).fill(200);
    const bytes = new Uint8Array(jpeg.encode({ width: 8, height: 4, data: px }, 95).data);
    const raw = decodeImage(bytes, 'a.jpg');
    expect([raw.format, raw.width, raw.height, raw.channels]).toEqual(['jpeg', 8, 4, 3]);
    expect(Math.abs(raw.data[0]! - 200)).toBeLessThan(3);
    expect(readImageSize(bytes)).toEqual({ width: 8, height: 4, format: 'jpeg' });
    expect(readImageSize(grey(5, 3, new Array(15).fill(0)).subarray(0, 24))).toEqual({ width: 5, height: 3, format: 'png' });
    expect(readImageSize(Uint8Array.of(1, 2, 3))).toBeNull();
  });

  it('name the file when the bytes are not an image or are damaged', () => {
    expect(() => decodeImage(new TextEncoder().encode('hello'), 'notes.png')).toThrow(/notes.png is neither a PNG nor a JPEG/);
    const png = grey(4, 4, new Array(16).fill(9));
    expect(() => decodeImage(png.subarray(0, png.length - 20), 'cut.png')).toThrow(/cannot decode cut.png as a PNG/);
  });
});

describe('masks', () => {
  it('index masks: grey values are classes, the ignore value becomes ignoreIndex', () => {
    const m = maskFromImage(decodeImage(grey(4, 1, [0, 4, 255, 2])), { numClasses: 5, ignoreValue: 255 }, 'm.png');
    expect(Array.from(m.data)).toEqual([0, 4, -100, 2]);
    expect(m.shape).toEqual([1, 4]);
    const custom = maskFromImage(decodeImage(grey(2, 1, [255, 1])), { numClasses: 2, ignoreValue: 255, ignoreIndex: 255 });
    expect(Array.from(custom.data)).toEqual([255, 1]);
  });

  it('binary masks: 0/255 → 0/1, and 0/1 for a 1-bit PNG', () => {
    expect(Array.from(maskFromImage(decodeImage(grey(3, 1, [0, 255, 0])), { numClasses: 2, encoding: 'binary' }).data)).toEqual([0, 1, 0]);
    const oneBit = encodeRawPng({ width: 3, height: 1, data: Uint8Array.of(0b01000000), channels: 1, depth: 1 });
    expect(Array.from(maskFromImage(decodeImage(oneBit), { numClasses: 2, encoding: 'binary' }).data)).toEqual([0, 1, 0]);
  });

  it('palette PNGs: the index is the class (VOC), or the colour is, by a palette', () => {
    const palette = [[0, 0, 0], [0, 128, 0], [0, 0, 255]] as const;
    const bytes = encodeMaskPng(ndarray(Int32Array.of(2, 1, -100, 0), [2, 2]), { encoding: 'palette', palette, ignoreValue: 255 });
    const raw = decodeImage(bytes, 'voc.png');
    expect(raw.palette).toBeDefined();
    expect(Array.from(maskFromImage(raw, { numClasses: 3, ignoreValue: 255 }).data)).toEqual([2, 1, -100, 0]);
    // pixels blue, green, black, black as R, G, B planes
    const colours = encodePng(ndarray(Float32Array.from([0, 0, 0, 0, 0, 128 / 255, 0, 0, 1, 0, 0, 0]), [3, 2, 2]));
    expect(Array.from(maskFromImage(decodeImage(colours), { numClasses: 3, encoding: 'palette', palette }).data)).toEqual([2, 1, 0, 0]);
  });

  it('encode masks as binary, index and palette PNGs that read back', () => {
    const mask = ndarray(Int32Array.of(0, 1, 1, 0, -100, 1), [2, 3]);
    const bin = decodeImage(encodeMaskPng(mask, { encoding: 'binary', ignoreValue: 127 }));
    expect(Array.from(bin.data)).toEqual([0, 255, 255, 0, 127, 255]);
    const idx = decodeImage(encodeMaskPng(mask, { encoding: 'index' }));
    expect(Array.from(maskFromImage(idx, { numClasses: 2, ignoreValue: 255 }).data)).toEqual(Array.from(mask.data));
    expect(() => encodeMaskPng(ndarray(Int32Array.of(3), [1, 1]), { encoding: 'palette', palette: [[0, 0, 0]] })).toThrow(/class 3 at flat index 0 does not fit a palette of 1 colours/);
  });

  it('name the file, the value and the pixel of a value outside the classes', () => {
    expect(() => maskFromImage(decodeImage(grey(3, 2, [0, 1, 0, 0, 0, 7])), { numClasses: 5, ignoreValue: 255 }, 'masks/b.png'))
      .toThrow(/masks\/b.png: value 7 at \(x 2, y 1\) is not a class: expected 0..4 \(ignore value 255\)/);
    expect(() => maskFromImage(decodeImage(grey(2, 1, [0, 128])), { numClasses: 2, encoding: 'binary' }, 'label/c.png'))
      .toThrow(/label\/c.png: value 128 at \(x 1, y 0\) is neither 0 nor 255 in a binary mask/);
    const colour = decodeImage(encodeRawPng({ width: 1, height: 1, data: Uint8Array.of(9, 8, 7), channels: 3, depth: 8 }));
    expect(() => maskFromImage(colour, { numClasses: 10 }, 'rgb.png')).toThrow(/rgb.png: a colour mask .*give encoding 'palette'/);
    expect(() => maskFromImage(colour, { numClasses: 1, encoding: 'palette', palette: [[0, 0, 0]] }, 'rgb.png')).toThrow(/colour \[9, 8, 7\] at \(x 0, y 0\) is not in the palette/);
    expect(() => maskFromImage(colour, { numClasses: 2, encoding: 'palette', palette: [[0, 0, 0]] })).toThrow(/one colour per class \(2\), got 1/);
  });
});
