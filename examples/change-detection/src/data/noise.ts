import type { Generator } from '@tessera/core';

/**
 * Smooth value noise: random values on a lattice with spacing `cell` pixels, interpolated with
 * smoothstep weights. Integer lattice indices and plain IEEE arithmetic only, so the field is
 * identical on every machine for the same generator state.
 *
 * @returns a `size*size` row-major field with values in [0, 1].
 * @example
 * const coarse = valueNoise(new Generator(1), 64, 16);
 */
export function valueNoise(gen: Generator, size: number, cell: number): Float32Array {
  const n = Math.ceil(size / cell) + 2;
  const lattice = new Float64Array(n * n);
  for (let i = 0; i < lattice.length; i++) lattice[i] = gen.uniform();
  // A random sub-cell offset, so lattice lines do not always fall on the same pixels.
  const ox = gen.uniform() * cell;
  const oy = gen.uniform() * cell;
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    const fy = (y + oy) / cell;
    const iy = Math.floor(fy);
    const ty = smooth(fy - iy);
    for (let x = 0; x < size; x++) {
      const fx = (x + ox) / cell;
      const ix = Math.floor(fx);
      const tx = smooth(fx - ix);
      const a = lattice[iy * n + ix]!;
      const b = lattice[iy * n + ix + 1]!;
      const c = lattice[(iy + 1) * n + ix]!;
      const d = lattice[(iy + 1) * n + ix + 1]!;
      const top = a + (b - a) * tx;
      const bottom = c + (d - c) * tx;
      out[y * size + x] = top + (bottom - top) * ty;
    }
  }
  return out;
}

/**
 * Fractal value noise: octaves of `valueNoise` from `cell` down to 1 pixel, each half the size
 * and half the weight of the previous, normalised back into [0, 1].
 */
export function fractalNoise(gen: Generator, size: number, cell: number): Float32Array {
  const out = new Float32Array(size * size);
  let weight = 1;
  let total = 0;
  for (let c = cell; c >= 1; c /= 2) {
    const octave = valueNoise(gen, size, c);
    for (let i = 0; i < out.length; i++) out[i]! += weight * octave[i]!;
    total += weight;
    weight /= 2;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= total;
  return out;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** A bijective 32-bit integer mixer (the murmur3 finaliser). */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** The three dataset splits; each has its own range of pair seeds. */
export type Split = 'train' | 'val' | 'test';
const SPLIT_ID: Record<Split, number> = { train: 0, val: 1, test: 2 };
const MAX_PAIRS = 2 ** 30;

/**
 * The integer seed of pair `index` of `split` under the dataset `seed`. For a fixed dataset seed
 * the map (split, index) -> pair seed is injective (split and index are packed into 32 bits, then
 * passed through bijections), so no two pairs of any split share a generator stream.
 */
export function pairSeed(seed: number, split: Split, index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_PAIRS) {
    throw new Error(`pairSeed: index must be an integer in [0, 2^30), got ${index}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`pairSeed: seed must be an integer, got ${seed}`);
  const packed = ((SPLIT_ID[split] << 30) | index) >>> 0;
  const seedMix = mix32((seed ^ Math.trunc(seed / 4294967296)) >>> 0);
  return mix32((packed ^ seedMix) >>> 0);
}
