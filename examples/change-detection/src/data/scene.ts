import type { Generator } from '@tessera/core';
import { fillRect, rectFree, type Rect } from './grid.js';
import { makeRegions, makeWater, type Density } from './ground.js';
import { valueNoise } from './noise.js';

/** Ground cover of a region. Vegetated kinds (grass, crop, forest) change colour with the season. */
export type GroundKind = 'grass' | 'crop' | 'forest' | 'soil';
export type Rgb = [number, number, number];

export interface Region {
  kind: GroundKind;
  /** Crop variety (index into the crop palette); unused for other kinds. */
  variety: number;
  /** Per-channel colour multipliers around 1, so neighbouring regions differ. */
  tone: Rgb;
  /** How strongly this region follows the season (some fields ripen earlier). */
  phenology: number;
  /** Direction and period (pixels) of the ploughing stripes of a crop field. */
  stripe: { ux: number; uy: number; period: number };
}

export interface Building extends Rect {
  roof: Rgb;
  /** Gabled roofs have a ridge along their long side; the two halves catch the sun differently. */
  ridge: 'h' | 'v' | 'flat';
  /** Height in pixels of shadow length. */
  height: number;
}

export interface Road extends Rect {
  horizontal: boolean;
}

export interface Tree {
  x: number;
  y: number;
  r: number;
}

/** The structure of a scene: everything that stays the same unless something is built or removed. */
export interface Scene {
  size: number;
  /** Per-pixel region index into `regions`. */
  region: Uint8Array;
  regions: Region[];
  /** 1 where there is water. */
  water: Uint8Array;
  /** Fixed per-pixel textures in [0, 1]: fine grain and canopy-scale blobs. */
  fine: Float32Array;
  blobs: Float32Array;
  roads: Road[];
  paved: Rect[];
  /** Bare-soil patches (e.g. where a building was demolished). */
  bare: Rect[];
  buildings: Building[];
  trees: Tree[];
  /** Shadow offset per unit of height (the sun is the same at both dates). */
  sun: { dx: number; dy: number };
}

const ROOFS: Rgb[] = [
  [0.66, 0.3, 0.22], [0.58, 0.26, 0.2], [0.3, 0.3, 0.33], [0.72, 0.72, 0.7],
  [0.86, 0.86, 0.84], [0.45, 0.34, 0.27], [0.36, 0.43, 0.52], [0.52, 0.5, 0.46],
];

/** Lays out a random scene of `size x size` pixels. */
export function generateScene(gen: Generator, size: number): Scene {
  const u = gen.uniform();
  const density: Density = u < 0.35 ? 'rural' : u < 0.8 ? 'suburban' : 'urban';
  const scale = size / 64;
  const fine = valueNoise(gen, size, 1.5);
  const blobs = valueNoise(gen, size, 3);
  const { region, regions } = makeRegions(gen, size, density);
  const blocked = new Uint8Array(size * size);
  const water = makeWater(gen, size, blocked);
  const roads = makeRoads(gen, size, density, blocked);
  const buildings: Building[] = [];
  const paved: Rect[] = [];
  const urban = density === 'urban';
  for (const road of roads) {
    for (const side of [-1, 1]) {
      if (density === 'rural' || gen.uniform() < 0.25) continue;
      let at = gen.integer(0, 6);
      const setback = gen.integer(1, urban ? 3 : 5);
      while (at < size) {
        const len = gen.integer(urban ? 8 : 5, urban ? 16 : 10);
        const depth = gen.integer(urban ? 8 : 5, urban ? 15 : 9);
        const near = side < 0 ? (road.horizontal ? road.y0 : road.x0) - setback - depth : (road.horizontal ? road.y1 : road.x1) + setback;
        const r = road.horizontal ? { x0: at, y0: near, x1: at + len, y1: near + depth } : { x0: near, y0: at, x1: near + depth, y1: at + len };
        if (urban && gen.uniform() < 0.15) addPaved(r, paved, blocked, size);
        else if (gen.uniform() < 0.85) addBuilding(gen, r, buildings, blocked, size);
        at += len + gen.integer(urban ? 1 : 2, urban ? 4 : 7);
      }
    }
  }
  const extra = Math.round((density === 'rural' ? gen.integer(0, 3) : gen.integer(1, 5)) * scale * scale);
  for (let tries = 0, placed = 0; tries < extra * 6 && placed < extra; tries++) {
    const w = gen.integer(4, 10);
    const h = gen.integer(4, 10);
    const x0 = gen.integer(0, size - w);
    const y0 = gen.integer(0, size - h);
    if (addBuilding(gen, { x0, y0, x1: x0 + w, y1: y0 + h }, buildings, blocked, size)) placed++;
  }
  const trees = makeTrees(gen, size, density, blocked);
  const angle = gen.uniform() * 0.5;
  const sun = { dx: 0.6 + angle, dy: 1.1 - angle };
  return { size, region, regions, water, fine, blobs, roads, paved, bare: [], buildings, trees, sun };
}


function makeRoads(gen: Generator, size: number, density: Density, blocked: Uint8Array): Road[] {
  const count = density === 'rural' ? gen.integer(0, 2) : gen.integer(1, 4);
  const roads: Road[] = [];
  for (let i = 0; i < count; i++) {
    const horizontal = gen.uniform() < 0.5;
    const width = gen.integer(2, density === 'urban' ? 6 : 4);
    const at = gen.integer(2, size - width - 2);
    const r: Road = horizontal ? { x0: 0, y0: at, x1: size, y1: at + width, horizontal } : { x0: at, y0: 0, x1: at + width, y1: size, horizontal };
    if (!roads.some((o) => o.horizontal === horizontal && Math.abs((horizontal ? o.y0 - r.y0 : o.x0 - r.x0)) < 14)) {
      roads.push(r);
      fillRect(blocked, size, r);
    }
  }
  return roads;
}

function addBuilding(gen: Generator, r: Rect, list: Building[], blocked: Uint8Array, size: number): boolean {
  if (!rectFree(blocked, size, r, 1)) return false;
  const w = r.x1 - r.x0;
  const h = r.y1 - r.y0;
  const flat = w * h > 80 || gen.uniform() < 0.3;
  const roof = ROOFS[gen.integer(0, ROOFS.length)]!;
  const b = 0.9 + 0.2 * gen.uniform();
  list.push({ ...r, roof: [roof[0] * b, roof[1] * b, roof[2] * b], ridge: flat ? 'flat' : w >= h ? 'h' : 'v', height: 1 + 2 * gen.uniform() + (w * h > 80 ? 1.5 : 0) });
  fillRect(blocked, size, r);
  return true;
}

function addPaved(r: Rect, list: Rect[], blocked: Uint8Array, size: number): void {
  if (!rectFree(blocked, size, r, 1)) return;
  list.push(r);
  fillRect(blocked, size, r);
}

function makeTrees(gen: Generator, size: number, density: Density, blocked: Uint8Array): Tree[] {
  const count = Math.round((density === 'rural' ? gen.integer(3, 15) : gen.integer(10, 30)) * (size / 64) ** 2);
  const trees: Tree[] = [];
  for (let i = 0; i < count; i++) {
    const x = gen.integer(1, size - 1);
    const y = gen.integer(1, size - 1);
    const r = 1 + 1.3 * gen.uniform();
    const box = { x0: Math.floor(x - r), y0: Math.floor(y - r), x1: Math.ceil(x + r) + 1, y1: Math.ceil(y + r) + 1 };
    if (!rectFree(blocked, size, box)) continue;
    trees.push({ x, y, r });
    fillRect(blocked, size, box);
  }
  return trees;
}
