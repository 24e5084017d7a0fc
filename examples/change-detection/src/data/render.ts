import type { Rgb, Scene } from './scene.js';

// Colours in linear-ish [0, 1] RGB, chosen by eye to resemble aerial imagery.
// Vegetation has a summer and an autumn colour; `season` moves between them.
const GRASS: [Rgb, Rgb] = [[0.36, 0.48, 0.24], [0.58, 0.54, 0.32]];
const FOREST: [Rgb, Rgb] = [[0.17, 0.29, 0.14], [0.42, 0.3, 0.15]];
const CROPS: [Rgb, Rgb][] = [
  [[0.42, 0.56, 0.24], [0.74, 0.64, 0.36]], // green crop ripening
  [[0.76, 0.68, 0.42], [0.6, 0.5, 0.35]], // wheat being harvested
  [[0.5, 0.41, 0.31], [0.47, 0.45, 0.3]], // tilled soil, sprouting late
];
const SOIL: Rgb = [0.6, 0.52, 0.42];
const BARE: Rgb = [0.57, 0.49, 0.39];
const WATER: Rgb = [0.13, 0.22, 0.27];
const ASPHALT: Rgb = [0.34, 0.34, 0.36];
const MARKING: Rgb = [0.62, 0.62, 0.6];
const CONCRETE: Rgb = [0.62, 0.62, 0.6];
const SHADOW: Rgb = [0.4, 0.43, 0.5];

/**
 * Renders the scene at a given `season` (0 = summer, 1 = autumn) into a CHW float image (3, size, size).
 * Values may slightly exceed [0, 1]; the acquisition step clamps them.
 */
export function render(scene: Scene, season: number): Float32Array {
  const { size, fine, blobs } = scene;
  const n = size * size;
  const img = new Float32Array(3 * n);
  const put = (i: number, c: Rgb, k: number): void => {
    img[i] = c[0] * k;
    img[n + i] = c[1] * k;
    img[2 * n + i] = c[2] * k;
  };
  for (let i = 0; i < n; i++) {
    const f = fine[i]!;
    if (scene.water[i]) {
      put(i, WATER, 0.92 + 0.16 * blobs[i]!);
      continue;
    }
    const reg = scene.regions[scene.region[i]!]!;
    const s = Math.min(1, season * reg.phenology);
    let c: Rgb;
    let k: number;
    if (reg.kind === 'grass') [c, k] = [lerp(GRASS, s), 0.86 + 0.28 * f];
    else if (reg.kind === 'forest') [c, k] = [lerp(FOREST, s), (0.5 + 0.9 * blobs[i]! * blobs[i]!) * (0.9 + 0.2 * f)];
    else if (reg.kind === 'soil') [c, k] = [SOIL, 0.88 + 0.24 * f];
    else {
      const x = i % size;
      const y = (i - x) / size;
      const t = (x * reg.stripe.ux + y * reg.stripe.uy) / reg.stripe.period;
      const tri = Math.abs(2 * (t - Math.floor(t)) - 1);
      [c, k] = [lerp(CROPS[reg.variety]!, s), (0.88 + 0.2 * tri) * (0.94 + 0.12 * f)];
    }
    img[i] = c[0] * reg.tone[0] * k;
    img[n + i] = c[1] * reg.tone[1] * k;
    img[2 * n + i] = c[2] * reg.tone[2] * k;
  }
  for (const road of scene.roads) {
    const wide = road.horizontal ? road.y1 - road.y0 : road.x1 - road.x0;
    const mid = road.horizontal ? (road.y0 + road.y1 - 1) / 2 : (road.x0 + road.x1 - 1) / 2;
    for (let y = road.y0; y < road.y1; y++) {
      for (let x = road.x0; x < road.x1; x++) {
        const [across, along] = road.horizontal ? [y, x] : [x, y];
        const marked = wide >= 4 && across === Math.floor(mid) && along % 6 < 3;
        put(y * size + x, marked ? MARKING : ASPHALT, 0.94 + 0.12 * fine[y * size + x]!);
      }
    }
  }
  for (const p of scene.paved) {
    for (let y = p.y0; y < p.y1; y++) {
      for (let x = p.x0; x < p.x1; x++) {
        const edge = x === p.x0 || y === p.y0 || x === p.x1 - 1 || y === p.y1 - 1;
        put(y * size + x, CONCRETE, (edge ? 0.85 : 1) * (0.93 + 0.14 * fine[y * size + x]!));
      }
    }
  }
  for (const b of scene.bare) {
    for (let y = b.y0; y < b.y1; y++) for (let x = b.x0; x < b.x1; x++) put(y * size + x, BARE, 0.8 + 0.4 * fine[y * size + x]!);
  }
  const shadow = new Uint8Array(n);
  const { dx, dy } = scene.sun;
  for (const t of scene.trees) {
    const sx = t.x + dx * 1.5;
    const sy = t.y + dy * 1.5;
    disc(size, sx, sy, t.r, (i) => (shadow[i] = 1));
  }
  for (const b of scene.buildings) {
    const steps = Math.ceil(b.height * 2);
    for (let k = 1; k <= steps; k++) {
      const ox = Math.round((dx * b.height * k) / steps);
      const oy = Math.round((dy * b.height * k) / steps);
      for (let y = Math.max(0, b.y0 + oy); y < Math.min(size, b.y1 + oy); y++) {
        for (let x = Math.max(0, b.x0 + ox); x < Math.min(size, b.x1 + ox); x++) shadow[y * size + x] = 1;
      }
    }
  }
  for (const t of scene.trees) {
    const leaf = lerp(FOREST, Math.min(1, season));
    disc(size, t.x, t.y, t.r, (i, ex, ey) => {
      shadow[i] = 0;
      // Lit on the side facing the sun (opposite the shadow direction).
      const lit = 0.9 - (0.35 * (ex * dx + ey * dy)) / (t.r + 0.5);
      put(i, leaf, lit * (0.85 + 0.3 * blobs[i]!));
    });
  }
  for (let i = 0; i < n; i++) {
    if (!shadow[i]) continue;
    img[i]! *= SHADOW[0];
    img[n + i]! *= SHADOW[1];
    img[2 * n + i]! *= SHADOW[2];
  }
  for (const b of scene.buildings) {
    const cx = (b.x0 + b.x1 - 1) / 2;
    const cy = (b.y0 + b.y1 - 1) / 2;
    for (let y = b.y0; y < b.y1; y++) {
      for (let x = b.x0; x < b.x1; x++) {
        let k = 0.95 + 0.1 * fine[y * size + x]!;
        if (b.ridge === 'h') k *= y < cy ? 1.08 : y > cy ? 0.8 : 0.95;
        else if (b.ridge === 'v') k *= x < cx ? 1.08 : x > cx ? 0.8 : 0.95;
        else if (x === b.x0 || y === b.y0 || x === b.x1 - 1 || y === b.y1 - 1) k *= 0.82;
        put(y * size + x, b.roof, k);
      }
    }
  }
  return img;
}

function lerp([a, b]: [Rgb, Rgb], t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Calls `fn(index, dx, dy)` for every pixel whose centre lies within `r` of (cx, cy). */
function disc(size: number, cx: number, cy: number, r: number, fn: (i: number, dx: number, dy: number) => void): void {
  for (let y = Math.max(0, Math.ceil(cy - r)); y <= Math.min(size - 1, Math.floor(cy + r)); y++) {
    for (let x = Math.max(0, Math.ceil(cx - r)); x <= Math.min(size - 1, Math.floor(cx + r)); x++) {
      const ex = x - cx;
      const ey = y - cy;
      if (ex * ex + ey * ey <= r * r) fn(y * size + x, ex, ey);
    }
  }
}
