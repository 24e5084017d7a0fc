/**
 * Encoding images and masks as 8-bit PNG bytes (fast-png; pure JS). Writing them to a file is the
 * caller's business (in this repository: @tessera/nn's writeFileAtomic).
 *
 * Float values become bytes by round(v·255), half up, clamped to [0, 255] (NaN → 0); reading the
 * PNG back (`imageToChw`) gives byte/255, so an image that holds only multiples of 1/255 round-trips
 * exactly (see `quantize`).
 *
 * @example
 * const bytes = encodePng(ndarray(chw, [3, h, w]));
 * const maskBytes = encodeMaskPng(ndarray(labels, [h, w]), { encoding: 'binary' }); // 0 → 0, 1 → 255
 */
import { encode } from 'fast-png';
import { formatShape } from '@tessera/core';
import type { NdArray } from '../sample.js';
import type { Rgb } from './convert.js';

/** v in [0, 1] → a byte, rounding half up (NaN → 0). */
export function toByte(v: number): number {
  return v >= 1 ? 255 : v > 0 ? Math.floor(v * 255 + 0.5) : 0;
}

/** The values an image has after a trip through an 8-bit file: toByte(v)/255, in float32. */
export function quantize(data: Float32Array): Float32Array {
  return Float32Array.from(data, (v) => toByte(v) / 255);
}

/** An 8-bit PNG of a float (C, H, W) image with C = 1 (grey) or 3 (RGB), values in [0, 1]. */
export function encodePng(image: NdArray<Float32Array>): Uint8Array {
  const [c, h, w] = image.shape;
  if (image.shape.length !== 3 || (c !== 1 && c !== 3)) throw new Error(`encodePng: expected a (1 or 3, H, W) image, got shape ${formatShape(image.shape)}`);
  const n = h! * w!;
  const data = new Uint8Array(c * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) data[i * c + k] = toByte(image.data[k * n + i]!);
  return encode({ width: w!, height: h!, data, channels: c, depth: 8 });
}

export interface MaskEncodeOptions {
  /** 'binary': 0 → 0, anything else → 255; 'index': the class as a grey value; 'palette': an indexed PNG with these colours. */
  encoding: 'binary' | 'index' | 'palette';
  palette?: readonly Rgb[];
  /** Label of ignored pixels in the mask (default −100) and the value (or palette index) written for them. */
  ignoreIndex?: number;
  ignoreValue?: number;
}

/** An 8-bit PNG of an int32 (H, W) mask of class ids. */
export function encodeMaskPng(mask: NdArray<Int32Array>, options: MaskEncodeOptions): Uint8Array {
  const { encoding, ignoreIndex = -100, ignoreValue = 255 } = options;
  if (mask.shape.length !== 2) throw new Error(`encodeMaskPng: expected an (H, W) mask, got shape ${formatShape(mask.shape)}`);
  const [h, w] = mask.shape as [number, number];
  const data = new Uint8Array(h * w);
  const top = encoding === 'palette' ? (options.palette?.length ?? 0) : 256;
  if (encoding === 'palette' && top === 0) throw new Error('encodeMaskPng: encoding \'palette\' needs a palette');
  for (let i = 0; i < data.length; i++) {
    const v = mask.data[i]!;
    if (v === ignoreIndex) data[i] = ignoreValue;
    else if (encoding === 'binary') data[i] = v === 0 ? 0 : 255;
    else if (v >= 0 && v < top) data[i] = v;
    else throw new Error(`encodeMaskPng: class ${v} at flat index ${i} does not fit ${encoding === 'palette' ? `a palette of ${top} colours` : 'a byte'}`);
  }
  if (encoding !== 'palette') return encode({ width: w, height: h, data, channels: 1, depth: 8 });
  const palette = options.palette!.map((c) => [...c]);
  const needed = data.includes(ignoreValue) ? ignoreValue + 1 : 0; // ignored pixels point past the classes
  while (palette.length < needed) palette.push([0, 0, 0]);
  return encode({ width: w, height: h, data, channels: 1, depth: 8, palette });
}
