/**
 * Raw pixels → what a model reads: images as float32 CHW in [0, 1] (value / (2^depth − 1), so an
 * 8-bit byte b becomes b/255 rounded to float32, whatever file it came from), and masks as int32
 * class ids, with a clear Error naming the image and the first pixel that is not a class.
 *
 * Mask encodings:
 *   'index'   the stored value is the class: a grey PNG (or an RGB one with R = G = B), or the
 *             palette index of a palette PNG (the VOC convention);
 *   'binary'  0 → 0 and the largest value (255 for 8 bits) → 1; the 0/255 masks of LEVIR-CD;
 *   'palette' the colour is the class: class c is drawn in `palette[c]` ([r, g, b], 8-bit).
 * A pixel equal to `ignoreValue` (a value, or a colour for 'palette') gets `ignoreIndex` (default
 * −100, crossEntropy's default). Anything else outside the classes is an Error.
 *
 * @example
 * maskFromImage(decodeImage(bytes, 'label/1.png'), { numClasses: 2, encoding: 'binary' }); // Int32Array of 0/1
 */
import { ndarray, type NdArray } from '../sample.js';
import type { RawImage } from './decode.js';

export interface ImageOptions {
  /** 'rgb' (default; grey is repeated on 3 channels) or 'grey' (RGB becomes 0.299·R + 0.587·G + 0.114·B). */
  mode?: 'rgb' | 'grey';
}

export type Rgb = readonly [number, number, number];

export interface MaskOptions {
  numClasses: number;
  encoding?: 'index' | 'binary' | 'palette';
  /** Colour of each class, for encoding 'palette'. */
  palette?: readonly Rgb[];
  /** The stored value (or colour, for 'palette') of pixels to ignore, e.g. 255. */
  ignoreValue?: number | Rgb;
  /** The label ignored pixels get (default −100). */
  ignoreIndex?: number;
}

/** The image as float32 (C, H, W) in [0, 1]. */
export function imageToChw(raw: RawImage, options: ImageOptions = {}): NdArray<Float32Array> {
  const mode = options.mode ?? 'rgb';
  const { width, height } = raw;
  const n = width * height;
  const rgb = colourOf(raw);
  const out = new Float32Array((mode === 'rgb' ? 3 : 1) * n);
  for (let i = 0; i < n; i++) {
    const [r, g, b] = rgb(i);
    if (mode === 'rgb') {
      out[i] = r;
      out[n + i] = g;
      out[2 * n + i] = b;
    } else out[i] = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return ndarray(out, [mode === 'rgb' ? 3 : 1, height, width]);
}

/** Pixel i as [r, g, b] in [0, 1]. */
function colourOf(raw: RawImage): (i: number) => [number, number, number] {
  const { data, palette, channels } = raw;
  if (palette) {
    return (i) => {
      const c = palette[data[i]!];
      if (!c) throw new Error(`palette index ${data[i]} at pixel ${i} has no colour`);
      return [c[0]! / 255, c[1]! / 255, c[2]! / 255];
    };
  }
  const max = 2 ** raw.depth - 1;
  if (channels === 1) return (i) => {
    const v = data[i]! / max;
    return [v, v, v];
  };
  return (i) => [data[3 * i]! / max, data[3 * i + 1]! / max, data[3 * i + 2]! / max];
}

/** The mask as int32 (H, W) class ids; `name` goes into the errors. */
export function maskFromImage(raw: RawImage, options: MaskOptions, name = 'mask'): NdArray<Int32Array> {
  const { numClasses, encoding = 'index', ignoreIndex = -100, ignoreValue } = options;
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`maskFromImage: numClasses must be a positive integer, got ${numClasses}`);
  const { width, height, data } = raw;
  const n = width * height;
  const out = new Int32Array(n);
  const where = (i: number): string => `at (x ${i % width}, y ${Math.floor(i / width)})`;
  const ignoreText = ignoreValue === undefined ? 'no ignore value' : `ignore value ${JSON.stringify(ignoreValue)}`;
  if (encoding === 'palette') {
    const palette = options.palette;
    if (!palette || palette.length !== numClasses) {
      throw new Error(`maskFromImage: encoding 'palette' needs one colour per class (${numClasses}), got ${palette ? palette.length : 'none'}`);
    }
    const key = (c: readonly number[]): number => (c[0]! << 16) | (c[1]! << 8) | c[2]!;
    const lookup = new Map(palette.map((c, k) => [key(c), k]));
    const ignore = Array.isArray(ignoreValue) ? key(ignoreValue) : -1;
    const colour = colourOf(raw);
    for (let i = 0; i < n; i++) {
      const c = colour(i).map((v) => Math.round(v * 255));
      const cls = lookup.get(key(c));
      if (cls !== undefined) out[i] = cls;
      else if (key(c) === ignore) out[i] = ignoreIndex;
      else throw new Error(`${name}: colour [${c.join(', ')}] ${where(i)} is not in the palette of ${numClasses} classes (${ignoreText})`);
    }
    return ndarray(out, [height, width]);
  }
  if (raw.channels === 3) {
    for (let i = 0; i < n; i++) {
      if (data[3 * i] !== data[3 * i + 1] || data[3 * i] !== data[3 * i + 2]) {
        throw new Error(`${name}: a colour mask (pixel [${data[3 * i]}, ${data[3 * i + 1]}, ${data[3 * i + 2]}] ${where(i)}); ` +
          `encoding '${encoding}' reads grey values: give encoding 'palette' with the class colours`);
      }
    }
  }
  const step = raw.channels;
  const top = 2 ** raw.depth - 1;
  for (let i = 0; i < n; i++) {
    const v = data[i * step]!;
    if (v === ignoreValue) out[i] = ignoreIndex;
    else if (encoding === 'binary') {
      if (v !== 0 && v !== top) throw new Error(`${name}: value ${v} ${where(i)} is neither 0 nor ${top} in a binary mask (${ignoreText})`);
      out[i] = v === 0 ? 0 : 1;
    } else if (v < numClasses) out[i] = v;
    else throw new Error(`${name}: value ${v} ${where(i)} is not a class: expected 0..${numClasses - 1} (${ignoreText})`);
  }
  return ndarray(out, [height, width]);
}
