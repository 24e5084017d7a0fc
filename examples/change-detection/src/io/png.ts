/**
 * PNG files of the example, on @tessera/data's codecs: CHW float images in [0, 1] and 0/1 change
 * masks (white = change), written atomically. Reading takes PNG or JPEG.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { decodeImage, encodeMaskPng as encodeMask, encodePng, imageToChw, maskFromImage, ndarray } from '@tessera/data';
import { writeFileAtomic as writeAtomic } from '@tessera/nn';
import { makeFolder } from './folders.js';

/** An RGB image as CHW floats (3, height, width) in [0, 1]. */
export interface ChwImage {
  data: Float32Array;
  width: number;
  height: number;
}

/** Writes `bytes` to `path` atomically (@tessera/nn's writeFileAtomic), creating its folder. */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  makeFolder(dirname(path));
  writeAtomic(path, typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes);
}

/** Encodes a CHW float image (3, height, width), values clamped to [0, 1], as an 8-bit RGB PNG. */
export function encodeRgbPng(data: Float32Array, width: number, height: number): Uint8Array {
  if (data.length !== 3 * width * height) {
    throw new Error(`encodeRgbPng: data has ${data.length} values, expected 3 * ${height} * ${width} = ${3 * width * height}`);
  }
  return encodePng(ndarray(data, [3, height, width]));
}

/** Encodes a (height, width) change mask as a greyscale PNG: 0 -> black, anything else -> white. */
export function encodeMaskPng(mask: Int32Array | Uint8Array, width: number, height: number): Uint8Array {
  if (mask.length !== width * height) {
    throw new Error(`encodeMaskPng: mask has ${mask.length} values, expected ${height} * ${width} = ${width * height}`);
  }
  return encodeMask(ndarray(Int32Array.from(mask), [height, width]), { encoding: 'binary' });
}

/** Decodes a PNG or JPEG into CHW floats in [0, 1] (greyscale becomes three equal channels; alpha is ignored). */
export function decodePng(bytes: Uint8Array): ChwImage {
  const raw = decodeImage(bytes);
  return { data: imageToChw(raw).data, width: raw.width, height: raw.height };
}

/** Writes a CHW float image as an RGB PNG (atomically). */
export function writeRgbPng(path: string, data: Float32Array, width: number, height = width): void {
  writeFileAtomic(path, encodeRgbPng(data, width, height));
}

/** Writes a 0/1 mask as a black/white PNG (atomically). */
export function writeMaskPng(path: string, mask: Int32Array | Uint8Array, width: number, height = width): void {
  writeFileAtomic(path, encodeMaskPng(mask, width, height));
}

/** Reads a PNG (or JPEG) file into CHW floats in [0, 1]. */
export function readPng(path: string): ChwImage {
  try {
    return decodePng(readFileSync(path));
  } catch (err) {
    throw new Error(`readPng: cannot read ${path} as a PNG: ${(err as Error).message}`);
  }
}

/** Reads a black/white mask PNG back into 0/1 labels (0 → 0, 255 → 1; any other value is an Error). */
export function readMaskPng(path: string): { mask: Int32Array; width: number; height: number } {
  const raw = decodeImage(readFileSync(path), path);
  return { mask: maskFromImage(raw, { numClasses: 2, encoding: 'binary' }, path).data, width: raw.width, height: raw.height };
}
