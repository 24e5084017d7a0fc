import type { Generator } from '@tessera/core';

/** How one acquisition sees the scene. None of these differences between two dates is a change. */
export interface Acquisition {
  /** 0 = summer vegetation, 1 = autumn. */
  season: number;
  /** Global illumination gain and offset. */
  gain: number;
  offset: number;
  /** Per-channel colour balance (white-balance / atmosphere). */
  balance: [number, number, number];
  /** Misregistration in pixels: the image content is moved by (dx, dy). */
  dx: number;
  dy: number;
  /** Standard deviation of the Gaussian sensor noise. */
  noise: number;
}

/**
 * Draws the acquisitions of the two dates. Time 1 varies a little from pair to pair (scene
 * diversity); time 2 differs from time 1 by nuisances scaled by `strength` (0 = identical
 * acquisitions, 1 = the default: up to one pixel of misregistration, +-20% illumination,
 * +-8% per-channel colour shift, a seasonal shift of vegetation, noise sigma 0.02).
 * The same number of values is drawn for every strength, so the strength does not change the scene.
 */
export function drawAcquisitions(gen: Generator, strength: number): [Acquisition, Acquisition] {
  if (!(strength >= 0)) throw new Error(`drawAcquisitions: nuisance strength must be >= 0, got ${strength}`);
  const s = strength;
  const t1: Acquisition = {
    season: 0.5 * gen.uniform(),
    gain: 0.92 + 0.16 * gen.uniform(),
    offset: 0.02 * (gen.uniform() - 0.5),
    balance: [0.96 + 0.08 * gen.uniform(), 0.96 + 0.08 * gen.uniform(), 0.96 + 0.08 * gen.uniform()],
    dx: 0,
    dy: 0,
    noise: 0.01 * s,
  };
  const later = gen.uniform() < 0.5 ? 1 : -1;
  const seasonShift = later * (0.25 + 0.5 * gen.uniform());
  const t2: Acquisition = {
    season: clamp01(t1.season + s * seasonShift),
    gain: t1.gain * (1 + s * 0.4 * (gen.uniform() - 0.5)),
    offset: t1.offset + s * 0.08 * (gen.uniform() - 0.5),
    balance: [0, 1, 2].map((c) => t1.balance[c]! * (1 + s * 0.16 * (gen.uniform() - 0.5))) as [number, number, number],
    dx: s * (2 * gen.uniform() - 1),
    dy: s * (2 * gen.uniform() - 1),
    noise: 0.02 * s,
  };
  return [t1, t2];
}

/**
 * Applies an acquisition to a rendered CHW image (3, size, size): the optics' blur, a bilinear shift (edges clamped),
 * illumination and colour balance, Gaussian noise, clamping to [0, 1]. Returns a new array.
 */
export function acquire(rendered: Float32Array, size: number, a: Acquisition, gen: Generator): Float32Array {
  const n = size * size;
  const img = blur(rendered, size);
  const out = new Float32Array(3 * n);
  // Sample the source at (x - dx, y - dy), so content moves by (+dx, +dy).
  const fx = Math.floor(-a.dx);
  const fy = Math.floor(-a.dy);
  const tx = -a.dx - fx;
  const ty = -a.dy - fy;
  const last = size - 1;
  for (let c = 0; c < 3; c++) {
    const base = c * n;
    const k = a.gain * a.balance[c]!;
    for (let y = 0; y < size; y++) {
      const y0 = Math.min(last, Math.max(0, y + fy)) * size;
      const y1 = Math.min(last, Math.max(0, y + fy + 1)) * size;
      for (let x = 0; x < size; x++) {
        const x0 = Math.min(last, Math.max(0, x + fx));
        const x1 = Math.min(last, Math.max(0, x + fx + 1));
        const top = img[base + y0 + x0]! * (1 - tx) + img[base + y0 + x1]! * tx;
        const bottom = img[base + y1 + x0]! * (1 - tx) + img[base + y1 + x1]! * tx;
        out[base + y * size + x] = (top * (1 - ty) + bottom * ty) * k + a.offset;
      }
    }
  }
  if (a.noise > 0) for (let i = 0; i < out.length; i++) out[i]! += a.noise * gen.normal();
  for (let i = 0; i < out.length; i++) out[i] = clamp01(out[i]!);
  return out;
}

/** The sensor's point-spread function: a separable [0.2, 0.6, 0.2] blur with clamped edges. */
function blur(img: Float32Array, size: number): Float32Array {
  const tmp = new Float32Array(img.length);
  const out = new Float32Array(img.length);
  const last = size - 1;
  for (let row = 0; row < img.length; row += size) {
    for (let x = 0; x < size; x++) {
      tmp[row + x] = 0.6 * img[row + x]! + 0.2 * (img[row + Math.max(0, x - 1)]! + img[row + Math.min(last, x + 1)]!);
    }
  }
  for (let plane = 0; plane < img.length; plane += size * size) {
    for (let y = 0; y < size; y++) {
      const up = plane + Math.max(0, y - 1) * size;
      const down = plane + Math.min(last, y + 1) * size;
      const at = plane + y * size;
      for (let x = 0; x < size; x++) out[at + x] = 0.6 * tmp[at + x]! + 0.2 * (tmp[up + x]! + tmp[down + x]!);
    }
  }
  return out;
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}
