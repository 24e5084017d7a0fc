/**
 * Reading image and mask files (Node): the bytes from disk, decoded by the browser-safe codecs of
 * @tessera/data. Every error names the file.
 *
 * @example
 * const image = readImage('scenes/images/0001.png');                    // float32 (3, H, W) in [0, 1]
 * const mask = readMask('scenes/masks/0001.png', { numClasses: 5, ignoreValue: 255 }); // int32 (H, W)
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { decodeImage, readImageSize, type ImageFormat, type RawImage } from '../image/decode.js';
import { imageToChw, maskFromImage, type ImageOptions, type MaskOptions } from '../image/convert.js';
import type { NdArray } from '../sample.js';

/** The decoded file (an Error naming it when it cannot be read or decoded). */
export function readRaw(path: string): RawImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  return decodeImage(bytes, path);
}

/** An image file as float32 (C, H, W) in [0, 1]. */
export function readImage(path: string, options: ImageOptions = {}): NdArray<Float32Array> {
  return imageToChw(readRaw(path), options);
}

/** A mask file (PNG only: JPEG's lossy compression changes class values) as int32 (H, W) class ids. */
export function readMask(path: string, options: MaskOptions): NdArray<Int32Array> {
  const raw = readRaw(path);
  if (raw.format === 'jpeg') throw new Error(`${path}: a mask must be a PNG; JPEG compression blurs class values at every edge`);
  return maskFromImage(raw, options, path);
}

/** Width, height and format of an image file from its first bytes (the whole file for a JPEG whose header is far in). */
export function readImageHeader(path: string): { width: number; height: number; format: ImageFormat } {
  let head: Uint8Array;
  try {
    const fd = openSync(path, 'r');
    try {
      head = new Uint8Array(65536);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new Error(`cannot read ${path}: ${(err as Error).message}`);
  }
  const size = readImageSize(head) ?? readImageSize(readFileSync(path));
  if (size === null) throw new Error(`${path}: not a PNG or JPEG, or its header is damaged (no image size found)`);
  return size;
}
