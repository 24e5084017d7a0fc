import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic as writeAtomic } from '@tessera/nn';
import { makeFolder } from './folders.js';
import { PNG } from 'pngjs';

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
export function encodeRgbPng(data: Float32Array, width: number, height: number): Buffer {
  const hw = width * height;
  if (data.length !== 3 * hw) {
    throw new Error(`encodeRgbPng: data has ${data.length} values, expected 3 * ${height} * ${width} = ${3 * hw}`);
  }
  const png = new PNG({ width, height, colorType: 2 });
  for (let i = 0; i < hw; i++) {
    png.data[4 * i] = toByte(data[i]!);
    png.data[4 * i + 1] = toByte(data[hw + i]!);
    png.data[4 * i + 2] = toByte(data[2 * hw + i]!);
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 2 });
}

/** Encodes a (height, width) change mask as a greyscale PNG: 0 -> black, anything else -> white. */
export function encodeMaskPng(mask: Int32Array | Uint8Array, width: number, height: number): Buffer {
  if (mask.length !== width * height) {
    throw new Error(`encodeMaskPng: mask has ${mask.length} values, expected ${height} * ${width} = ${width * height}`);
  }
  const png = new PNG({ width, height, colorType: 0 });
  for (let i = 0; i < mask.length; i++) {
    const v = mask[i] ? 255 : 0;
    png.data[4 * i] = png.data[4 * i + 1] = png.data[4 * i + 2] = v;
    png.data[4 * i + 3] = 255;
  }
  return PNG.sync.write(png, { colorType: 0, inputColorType: 6 });
}

/**
 * Decodes a PNG (any colour type or bit depth pngjs reads) into CHW floats in [0, 1].
 * Greyscale becomes three equal channels; alpha is ignored.
 */
export function decodePng(bytes: Uint8Array): ChwImage {
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = png;
  const hw = width * height;
  const data = new Float32Array(3 * hw);
  for (let i = 0; i < hw; i++) {
    data[i] = png.data[4 * i]! / 255;
    data[hw + i] = png.data[4 * i + 1]! / 255;
    data[2 * hw + i] = png.data[4 * i + 2]! / 255;
  }
  return { data, width, height };
}

/** Writes a CHW float image as an RGB PNG (atomically). */
export function writeRgbPng(path: string, data: Float32Array, width: number, height = width): void {
  writeFileAtomic(path, encodeRgbPng(data, width, height));
}

/** Writes a 0/1 mask as a black/white PNG (atomically). */
export function writeMaskPng(path: string, mask: Int32Array | Uint8Array, width: number, height = width): void {
  writeFileAtomic(path, encodeMaskPng(mask, width, height));
}

/** Reads a PNG file into CHW floats in [0, 1]. */
export function readPng(path: string): ChwImage {
  try {
    return decodePng(readFileSync(path));
  } catch (err) {
    throw new Error(`readPng: cannot read ${path} as a PNG: ${(err as Error).message}`);
  }
}

/** Reads a mask PNG back into 0/1 labels (a pixel is 1 when its first channel is above one half). */
export function readMaskPng(path: string): { mask: Int32Array; width: number; height: number } {
  const { data, width, height } = readPng(path);
  const mask = new Int32Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = data[i]! > 0.5 ? 1 : 0;
  return { mask, width, height };
}

function toByte(v: number): number {
  // Round half up; NaN becomes 0.
  return v >= 1 ? 255 : v > 0 ? Math.floor(v * 255 + 0.5) : 0;
}
