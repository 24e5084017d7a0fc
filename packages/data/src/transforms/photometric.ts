/**
 * colorJitter: random brightness, contrast and saturation of the images of a sample, as
 * torchvision's ColorJitter (without hue), in a fixed order. Masks (int32 fields) are never
 * touched. For a factor range b the factor is uniform in [max(0, 1 − b), 1 + b], and with
 * grey = 0.299·R + 0.587·G + 0.114·B (torchvision's rgb_to_grayscale):
 *
 *   brightness  x' = f·x
 *   contrast    x' = f·x + (1 − f)·mean(grey)         (mean over the image's pixels)
 *   saturation  x' = f·x + (1 − f)·grey               (3-channel images only)
 *
 * each clamped to [0, 1]. Each image field draws its own factors (`sameForAll: true` shares one
 * draw between them): for a change-detection pair, independent jitter imitates the radiometric
 * differences between two dates.
 *
 * @example
 * const jitter = colorJitter({ brightness: 0.2, contrast: 0.2, saturation: 0.1 });
 * // torchvision: ColorJitter(brightness=0.2, contrast=0.2, saturation=0.1) on the image only
 */
import type { Generator } from '@tessera/core';
import type { Transform } from '../dataset.js';
import { isNdArray, ndarray, type NdArray, type Sample } from '../sample.js';

export interface ColorJitterOptions {
  brightness?: number;
  contrast?: number;
  saturation?: number;
  /** Only these fields (default: every float32 field of rank ≥ 2). */
  fields?: readonly string[];
  /** One draw for every image of the sample (default false: a draw per image). */
  sameForAll?: boolean;
}

type Factors = [number, number, number];

const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);

/** Applies the three factors to one (C, H, W) or (H, W) float image. */
function jitterImage(a: NdArray<Float32Array>, [fb, fc, fs]: Factors): NdArray<Float32Array> {
  const s = a.shape;
  const hw = s[s.length - 1]! * s[s.length - 2]!;
  const c = s.length >= 3 ? s[s.length - 3]! : 1;
  const n = a.data.length / (c * hw || 1);
  const out = new Float32Array(a.data.length);
  for (let k = 0; k < n; k++) {
    const base = k * c * hw;
    const rgb = c === 3;
    for (let i = 0; i < c * hw; i++) out[base + i] = clamp01(fb * a.data[base + i]!);
    const greyOf = (i: number): number => (rgb ? 0.299 * out[base + i]! + 0.587 * out[base + hw + i]! + 0.114 * out[base + 2 * hw + i]! : out[base + i]!);
    let mean = 0;
    for (let i = 0; i < hw; i++) mean += greyOf(i);
    mean /= hw || 1;
    for (let i = 0; i < c * hw; i++) out[base + i] = clamp01(fc * out[base + i]! + (1 - fc) * mean);
    if (rgb) {
      const grey = Float64Array.from({ length: hw }, (_, i) => greyOf(i));
      for (let ch = 0; ch < 3; ch++) {
        for (let i = 0; i < hw; i++) out[base + ch * hw + i] = clamp01(fs * out[base + ch * hw + i]! + (1 - fs) * grey[i]!);
      }
    }
  }
  return ndarray(out, s);
}

function range(op: string, name: string, b: number): number {
  if (!(b >= 0 && Number.isFinite(b))) throw new Error(`${op}: ${name} must be a finite number >= 0, got ${b}`);
  return b;
}

export function colorJitter<S extends Sample>(options: ColorJitterOptions): Transform<S> {
  const b = range('colorJitter', 'brightness', options.brightness ?? 0);
  const c = range('colorJitter', 'contrast', options.contrast ?? 0);
  const sat = range('colorJitter', 'saturation', options.saturation ?? 0);
  const draw = (g: Generator, r: number): number => (r === 0 ? 1 : Math.max(0, 1 - r) + g.uniform() * (1 + r - Math.max(0, 1 - r)));
  const factors = (g: Generator): Factors => [draw(g, b), draw(g, c), draw(g, sat)];
  return (s: S, g: Generator) => {
    const shared = options.sameForAll ? factors(g) : null;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(s)) {
      const chosen = options.fields ? options.fields.includes(k) : true;
      const image = isNdArray(v) && v.data instanceof Float32Array && v.shape.length >= 2;
      if (chosen && options.fields && !image) throw new Error(`colorJitter: field '${k}' is not a float32 image (masks and labels are never jittered)`);
      out[k] = chosen && image ? jitterImage(v as NdArray<Float32Array>, shared ?? factors(g)) : v;
    }
    return out as S;
  };
}
