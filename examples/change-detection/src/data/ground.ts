import type { Generator } from '@tessera/core';
import { valueNoise } from './noise.js';
import type { GroundKind, Region } from './scene.js';

/** How built-up a scene is; it sets the land-cover mix, roads and building density. */
export type Density = 'rural' | 'suburban' | 'urban';
const KIND_WEIGHTS: Record<Density, [GroundKind, number][]> = {
  rural: [['crop', 0.55], ['grass', 0.2], ['forest', 0.17], ['soil', 0.08]],
  suburban: [['grass', 0.45], ['crop', 0.2], ['forest', 0.2], ['soil', 0.15]],
  urban: [['grass', 0.5], ['soil', 0.3], ['forest', 0.2]],
};

function pick<T>(gen: Generator, weights: [T, number][]): T {
  let u = gen.uniform();
  for (const [value, w] of weights) if ((u -= w) < 0) return value;
  return weights[weights.length - 1]![0];
}

/** Partitions the image into land-cover regions: a Voronoi diagram of random sites, warped by smooth noise. */
export function makeRegions(gen: Generator, size: number, density: Density): { region: Uint8Array; regions: Region[] } {
  const count = gen.integer(4, 10);
  const sites: [number, number][] = [];
  const regions: Region[] = [];
  for (let i = 0; i < count; i++) {
    sites.push([gen.uniform() * size, gen.uniform() * size]);
    const a = gen.uniform() * 2 - 1;
    const ux = Math.abs(a) < 0.5 ? 1 : a;
    const uy = Math.abs(a) < 0.5 ? a : 1;
    const norm = Math.sqrt(ux * ux + uy * uy);
    regions.push({
      kind: pick(gen, KIND_WEIGHTS[density]),
      variety: gen.integer(0, 3),
      tone: [0.92 + 0.16 * gen.uniform(), 0.92 + 0.16 * gen.uniform(), 0.92 + 0.16 * gen.uniform()],
      phenology: 0.6 + 0.8 * gen.uniform(),
      stripe: { ux: ux / norm, uy: uy / norm, period: gen.integer(2, 5) },
    });
  }
  const warpX = valueNoise(gen, size, 12);
  const warpY = valueNoise(gen, size, 12);
  const region = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) {
    const x = (i % size) + 6 * (warpX[i]! - 0.5);
    const y = Math.floor(i / size) + 6 * (warpY[i]! - 0.5);
    let best = 0;
    let bestD = Infinity;
    for (let k = 0; k < count; k++) {
      const dx = x - sites[k]![0];
      const dy = y - sites[k]![1];
      const d = dx * dx + dy * dy;
      if (d < bestD) [bestD, best] = [d, k];
    }
    region[i] = best;
  }
  return { region, regions };
}

/** Optionally a river (a wandering band) or a pond (a noisy ellipse); marks water in `blocked`. */
export function makeWater(gen: Generator, size: number, blocked: Uint8Array): Uint8Array {
  const water = new Uint8Array(size * size);
  const u = gen.uniform();
  if (u > 0.3) return water;
  const wiggle = valueNoise(gen, size, 16);
  const horizontal = gen.uniform() < 0.5;
  const centre = size * (0.2 + 0.6 * gen.uniform());
  const slope = gen.uniform() - 0.5;
  const width = (2 + 4 * gen.uniform()) * (size / 64);
  const [cx, cy, rx, ry] = [gen.uniform() * size, gen.uniform() * size, 4 + 6 * gen.uniform(), 4 + 6 * gen.uniform()];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      let wet: boolean;
      if (u < 0.15) {
        const [along, across] = horizontal ? [x, y] : [y, x];
        const mid = centre + slope * (along - size / 2) + size * 0.4 * (wiggle[along]! - 0.5);
        wet = Math.abs(across - mid) < width / 2;
      } else {
        const dx = (x - cx) / rx;
        const dy = (y - cy) / ry;
        wet = dx * dx + dy * dy < 0.7 + 0.6 * wiggle[i]!;
      }
      if (wet) water[i] = blocked[i] = 1;
    }
  }
  return water;
}

