import type { Generator } from '@tessera/core';
import { fillRect, rectArea, rectFree, type Rect } from './grid.js';
import type { Building, Scene } from './scene.js';

/** Result of `applyChanges`: the scene at time 2 and the mask of pixels that really changed. */
export interface ChangeResult {
  scene: Scene;
  /** 1 on the footprint of every built, demolished or newly paved object, else 0 (size*size). */
  mask: Uint8Array;
  changed: number;
}

const ROOFS: [number, number, number][] = [
  [0.66, 0.3, 0.22], [0.3, 0.3, 0.33], [0.74, 0.74, 0.72], [0.86, 0.86, 0.84], [0.45, 0.34, 0.27], [0.36, 0.43, 0.52],
];
const SMALLEST = 9;

/**
 * Changes the scene until about `target` pixels have changed: new buildings on free land,
 * demolished buildings (left as bare soil) and new paved areas. Objects never overlap each other,
 * roads, water or trees, so the mask marks exactly the footprints whose appearance changed.
 * The mask does not include the shadows that appear or vanish with a building (as in LEVIR-CD,
 * only footprints are labelled). The input scene is not modified.
 */
export function applyChanges(scene: Scene, gen: Generator, target: number): ChangeResult {
  const { size } = scene;
  const mask = new Uint8Array(size * size);
  const next: Scene = { ...scene, buildings: [...scene.buildings], paved: [...scene.paved], bare: [...scene.bare] };
  const blocked = occupied(scene);
  let changed = 0;
  for (let attempt = 0; attempt < 150 && target - changed >= SMALLEST / 2; attempt++) {
    const remaining = target - changed;
    const u = gen.uniform();
    let done: Rect | null = null;
    if (u < 0.3) done = demolish(next, gen, mask, remaining);
    else done = build(next, gen, blocked, remaining, u < 0.75 ? 'building' : 'paved');
    if (!done) continue;
    fillRect(mask, size, done);
    fillRect(blocked, size, done, 1, 1);
    changed += rectArea(done);
  }
  return { scene: next, mask, changed };
}

/** Pixels where nothing new may be placed: water, roads, paved areas, trees, buildings with a 1-pixel margin. */
function occupied(scene: Scene): Uint8Array {
  const { size } = scene;
  const blocked = Uint8Array.from(scene.water);
  for (const r of [...scene.roads, ...scene.paved, ...scene.bare]) fillRect(blocked, size, r, 1, 1);
  for (const b of scene.buildings) fillRect(blocked, size, b, 1, 1);
  for (const t of scene.trees) {
    fillRect(blocked, size, { x0: Math.floor(t.x - t.r), y0: Math.floor(t.y - t.r), x1: Math.ceil(t.x + t.r) + 1, y1: Math.ceil(t.y + t.r) + 1 });
  }
  return blocked;
}

/** Width and height of a new object whose area is at most about `remaining` pixels. */
function dims(gen: Generator, remaining: number, kind: 'building' | 'paved'): [number, number] {
  // Large targets get larger objects (big halls, car parks), or there would not be room for them.
  const big = Math.floor(Math.sqrt(remaining) / 2);
  const [minSide, maxSide] = kind === 'building' ? [3, Math.max(10, Math.min(16, big))] : [4, Math.max(14, Math.min(24, big))];
  let w = gen.integer(minSide, maxSide + 1);
  let h = gen.integer(minSide, maxSide + 1);
  while (w * h > remaining * 1.1 && w * h > SMALLEST) {
    if (w >= h) w--;
    else h--;
  }
  return [w, h];
}

function build(scene: Scene, gen: Generator, blocked: Uint8Array, remaining: number, kind: 'building' | 'paved'): Rect | null {
  const { size } = scene;
  const [w, h] = dims(gen, remaining, kind);
  if (w > size || h > size) return null;
  const x0 = gen.integer(0, size - w + 1);
  const y0 = gen.integer(0, size - h + 1);
  const r: Rect = { x0, y0, x1: x0 + w, y1: y0 + h };
  const roof = ROOFS[gen.integer(0, ROOFS.length)]!;
  const ridge = w * h > 60 || gen.uniform() < 0.35 ? 'flat' : w >= h ? 'h' : 'v';
  const height = 1 + 2 * gen.uniform();
  if (!rectFree(blocked, size, r, 1)) return null;
  if (kind === 'paved') scene.paved.push(r);
  else scene.buildings.push({ ...r, roof, ridge, height } satisfies Building);
  return r;
}

function demolish(scene: Scene, gen: Generator, mask: Uint8Array, remaining: number): Rect | null {
  const { size } = scene;
  const candidates = scene.buildings
    .map((b, i) => [b, i] as const)
    .filter(([b]) => rectArea(b) <= remaining * 1.1 && rectFree(mask, size, b, 1));
  if (candidates.length === 0) return null;
  const [b, i] = candidates[gen.integer(0, candidates.length)]!;
  scene.buildings.splice(i, 1);
  const r: Rect = { x0: b.x0, y0: b.y0, x1: b.x1, y1: b.y1 };
  scene.bare.push(r);
  return r;
}
