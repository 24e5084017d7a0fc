/**
 * Decoding PNG and JPEG bytes into raw pixels, in pure JavaScript (fast-png, jpeg-js: no native
 * code, no Node built-ins, so this runs in a browser too). The format is told by the signature,
 * not the file name. Every error names the image (`name`, usually its path).
 *
 * A RawImage keeps what a mask needs: the sample values as stored (8 or 16 bits, interleaved
 * channels, alpha dropped), and for a palette PNG the palette indices themselves with the palette.
 *
 * @example
 * const raw = decodeImage(bytes, 'tile-01.png'); // { width, height, channels: 3, depth: 8, data: Uint8Array, … }
 */
import { decode as decodePngBytes, type DecodedPng } from 'fast-png';
import jpeg from 'jpeg-js';

export type ImageFormat = 'png' | 'jpeg';

export interface RawImage {
  width: number;
  height: number;
  /** 1 (grey or palette indices) or 3 (RGB); alpha is dropped. */
  channels: 1 | 3;
  /** Bits per stored sample: 1, 2, 4, 8 or 16 (1–4 unpacked to one value per element). */
  depth: number;
  /** Row-major, channels interleaved: Uint8Array up to 8 bits, Uint16Array for 16. */
  data: Uint8Array | Uint16Array;
  /** For a palette PNG: data holds indices into these [r, g, b(, a)] colours. */
  palette?: number[][];
  format: ImageFormat;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png', 'jpeg', or null when the bytes start like neither. */
export function sniffFormat(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Decodes a PNG or JPEG; an Error naming `name` when it is neither or is damaged. */
export function decodeImage(bytes: Uint8Array, name = 'image'): RawImage {
  const format = sniffFormat(bytes);
  if (format === null) throw new Error(`decodeImage: ${name} is neither a PNG nor a JPEG (its first bytes are not a PNG or JPEG signature)`);
  try {
    return format === 'png' ? fromPng(decodePngBytes(bytes)) : fromJpeg(bytes);
  } catch (err) {
    throw new Error(`decodeImage: cannot decode ${name} as a ${format.toUpperCase()}: ${(err as Error).message}`);
  }
}

function fromJpeg(bytes: Uint8Array): RawImage {
  const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048 });
  const n = img.width * img.height;
  if (img.data.length !== 3 * n) throw new Error(`expected ${3 * n} RGB bytes, got ${img.data.length}`);
  return { width: img.width, height: img.height, channels: 3, depth: 8, data: img.data, format: 'jpeg' };
}

function fromPng(png: DecodedPng): RawImage {
  const { width, height, depth, channels } = png;
  const n = width * height;
  if (png.palette) {
    const data = depth < 8 ? unpackBits(png.data as Uint8Array, width, height, depth) : (png.data as Uint8Array);
    return { width, height, channels: 1, depth, data, palette: png.palette, format: 'png' };
  }
  if (depth < 8) return { width, height, channels: 1, depth, data: unpackBits(png.data as Uint8Array, width, height, depth), format: 'png' };
  const keep = channels >= 3 ? 3 : 1;
  if (channels === keep) return { width, height, channels: keep, depth, data: png.data as Uint8Array | Uint16Array, format: 'png' };
  // grey + alpha (2) or RGBA (4): drop the alpha channel
  const src = png.data;
  const data = depth === 16 ? new Uint16Array(n * keep) : new Uint8Array(n * keep);
  for (let i = 0; i < n; i++) for (let c = 0; c < keep; c++) data[i * keep + c] = src[i * channels + c]!;
  return { width, height, channels: keep, depth, data, format: 'png' };
}

/** One value per element from rows packed at `depth` bits (rows start on a byte boundary). */
function unpackBits(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const out = new Uint8Array(width * height);
  const mask = (1 << depth) - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      out[y * width + x] = (byte >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/**
 * The width and height from the first bytes of a PNG (IHDR) or JPEG (the SOF marker), without
 * decoding; null when they do not hold it (a JPEG's SOF can follow a large EXIF block).
 */
export function readImageSize(bytes: Uint8Array): { width: number; height: number; format: ImageFormat } | null {
  const format = sniffFormat(bytes);
  const u16 = (i: number): number => (bytes[i]! << 8) | bytes[i + 1]!;
  if (format === 'png') {
    if (bytes.length < 24) return null;
    const u32 = (i: number): number => ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
    return { width: u32(16), height: u32(20), format };
  }
  if (format === 'jpeg') {
    let i = 2;
    while (i + 9 < bytes.length) {
      if (bytes[i] !== 0xff) return null;
      const marker = bytes[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: u16(i + 7), height: u16(i + 5), format };
      }
      i += 2 + u16(i + 2);
    }
  }
  return null;
}
