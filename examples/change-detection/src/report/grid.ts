/**
 * The prediction grid: one row per fixed validation pair, columns t1 | t2 | truth | each variant's
 * prediction. Truth is red change on a dark background; a prediction colours its errors:
 * red = true positive, yellow = false positive, blue = false negative, dark = true negative.
 */
export const COLORS = {
  background: [0.08, 0.08, 0.08],
  change: [0.95, 0.15, 0.1],
  falsePositive: [1.0, 0.82, 0.1],
  falseNegative: [0.2, 0.55, 1.0],
} as const;

/** A square CHW tile (3, size, size) in [0, 1]. */
export type Tile = Float32Array;

function paint(size: number, color: (i: number) => readonly number[]): Tile {
  const n = size * size;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const c = color(i);
    out[i] = c[0]!;
    out[n + i] = c[1]!;
    out[2 * n + i] = c[2]!;
  }
  return out;
}

/** The ground-truth mask as a tile. */
export function truthTile(mask: ArrayLike<number>, size: number): Tile {
  return paint(size, (i) => (mask[i] ? COLORS.change : COLORS.background));
}

/** A predicted mask against the truth, errors coloured. */
export function predictionTile(pred: ArrayLike<number>, truth: ArrayLike<number>, size: number): Tile {
  return paint(size, (i) => {
    const p = pred[i] ? 1 : 0;
    const t = truth[i] ? 1 : 0;
    if (p && t) return COLORS.change;
    if (p) return COLORS.falsePositive;
    if (t) return COLORS.falseNegative;
    return COLORS.background;
  });
}

/** Nearest-neighbour upscaling of a CHW tile by an integer factor. */
export function upscale(tile: Tile, size: number, scale: number): Tile {
  const s = size * scale;
  const out = new Float32Array(3 * s * s);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < s; y++) {
      const src = c * size * size + Math.floor(y / scale) * size;
      const dst = c * s * s + y * s;
      for (let x = 0; x < s; x++) out[dst + x] = tile[src + Math.floor(x / scale)]!;
    }
  }
  return out;
}

/**
 * Lays out rows of equally sized square tiles, each upscaled by `scale`, separated by `gap` white
 * pixels, into one CHW image.
 */
export function composeGrid(rows: readonly (readonly Tile[])[], size: number, { scale = 3, gap = 2 } = {}): {
  data: Float32Array;
  width: number;
  height: number;
} {
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const t = size * scale;
  const width = Math.max(1, cols * t + (cols - 1) * gap);
  const height = Math.max(1, rows.length * t + (rows.length - 1) * gap);
  const hw = width * height;
  const data = new Float32Array(3 * hw).fill(1);
  rows.forEach((row, r) => {
    row.forEach((tile, k) => {
      const big = upscale(tile, size, scale);
      const left = k * (t + gap);
      const top = r * (t + gap);
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < t; y++) {
          data.set(big.subarray(c * t * t + y * t, c * t * t + (y + 1) * t), c * hw + (top + y) * width + left);
        }
      }
    });
  });
  return { data, width, height };
}

/**
 * Picks `count` fixed validation pairs for the grid (`hasChange[i]`: pair i has a changed pixel): pairs with change spread evenly over those
 * that have change (first and last included); a pair without change is included last when one exists and there is room.
 */
export function pickGridPairs(hasChange: readonly boolean[], count: number): number[] {
  const n = hasChange.length;
  const changed: number[] = [];
  const empty: number[] = [];
  hasChange.forEach((any, i) => (any ? changed : empty).push(i));
  const withEmpty = count >= 3 && empty.length > 0;
  const want = Math.min(changed.length, withEmpty ? count - 1 : count);
  const picks: number[] = [];
  for (let k = 0; k < want; k++) picks.push(changed[want === 1 ? 0 : Math.round((k * (changed.length - 1)) / (want - 1))]!);
  if (withEmpty) picks.push(empty[0]!);
  while (picks.length < count && picks.length < n) {
    const next = [...changed, ...empty].find((i) => !picks.includes(i));
    if (next === undefined) break;
    picks.push(next);
  }
  return picks;
}
