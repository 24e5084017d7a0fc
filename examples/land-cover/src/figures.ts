/**
 * The report's pictures: confusion matrices and label maps as PNG (pixels only, explained by the
 * captions), and Vega-Lite charts rendered to SVG (per-class precision–recall curves, mIoU per epoch).
 */
import { composeGrid, encodeRgbPng, type Tile, type TopLevelSpec } from '@tessera/example-change-detection/kit';
import type { VariantName } from './losses.js';
import { CLASSES, IGNORE, NUM_CLASSES } from './scenes.js';
import type { EpochRow, TestRow } from './summary.js';

/** Display colours of the classes (vegetation, bare soil, building, road, water); IGNORE is black. */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [0.3, 0.65, 0.25], [0.8, 0.65, 0.45], [0.85, 0.2, 0.2], [0.55, 0.55, 0.55], [0.15, 0.4, 0.9],
];

function tile(size: number, colour: (i: number) => readonly number[]): Tile {
  const n = size * size;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    const c = colour(i);
    for (let k = 0; k < 3; k++) out[k * n + i] = c[k]!;
  }
  return out;
}

/** A label map (size × size, classes or IGNORE) as a tile in the class colours. */
export function labelTile(labels: ArrayLike<number>, size: number): Tile {
  return tile(size, (i) => (labels[i] === IGNORE ? [0, 0, 0] : PALETTE[labels[i]!] ?? [1, 0, 1]));
}

/** Counts summed over the rows' seeds, each row divided by its total (the share of the true class's pixels). */
export function rowNormalised(rows: readonly TestRow[]): number[][] {
  const sum = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  for (const r of rows) r.confusion.forEach((row, t) => row.forEach((v, p) => (sum[t]![p]! += v)));
  return sum.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
}

/**
 * One panel per variant, left to right: a 6 × 6 grid whose first row and column are the class
 * colours (predicted class along the top, true class down the side) and whose cell (t, p) is the
 * share of class t's pixels predicted as p, white 0 → dark blue 1 on a square-root scale.
 */
export function confusionPng(rows: readonly TestRow[], variants: readonly VariantName[]): Uint8Array {
  const K = NUM_CLASSES + 1;
  const panels = variants.map((v) => {
    const m = rowNormalised(rows.filter((r) => r.variant === v));
    return tile(K, (i) => {
      const [y, x] = [Math.floor(i / K), i % K];
      if (x === 0 && y === 0) return [1, 1, 1];
      if (y === 0) return PALETTE[x - 1]!;
      if (x === 0) return PALETTE[y - 1]!;
      const s = Math.sqrt(m[y - 1]![x - 1]!);
      return [1 - s * 0.97, 1 - s * 0.81, 1 - s * 0.58];
    });
  });
  const img = composeGrid([panels], K, { scale: 24, gap: 12 });
  return encodeRgbPng(img.data, img.width, img.height);
}

const colour = (variants: readonly VariantName[]) => ({ field: 'variant', type: 'nominal', scale: { domain: [...variants], scheme: 'category10' }, title: 'variant' });

/** Precision–recall of each class against the rest, one panel per class, one line per variant and seed. */
export function prSpec(rows: readonly TestRow[], variants: readonly VariantName[], title: string): TopLevelSpec {
  const values: object[] = [];
  for (const r of rows) {
    r.pr.forEach((curve, c) => curve.thresholds.forEach((t, i) => {
      // A threshold that predicts nothing has no precision: left out.
      if (curve.recall[i]! > 0) values.push({ variant: r.variant, seed: `seed ${r.seed}`, cls: CLASSES[c], recall: curve.recall[i], precision: curve.precision[i], threshold: t, order: i });
    }));
  }
  const unit = { type: 'quantitative', scale: { domain: [0, 1] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' },
    data: { values },
    facet: { field: 'cls', type: 'nominal', sort: [...CLASSES], title: null },
    columns: NUM_CLASSES,
    spec: {
      width: 170, height: 170,
      encoding: { x: { field: 'recall', ...unit, title: 'recall' }, y: { field: 'precision', ...unit, title: 'precision' }, color: colour(variants) },
      layer: [{ mark: { type: 'line', opacity: 0.7, strokeWidth: 1.2 }, encoding: { detail: { field: 'seed' }, order: { field: 'order' } } }],
    },
    config: { font: 'sans-serif' },
  } as unknown as TopLevelSpec;
}

/** Validation mIoU and the rarest class's IoU per epoch, mean over seeds. */
export function curvesSpec(rows: readonly EpochRow[], variants: readonly VariantName[]): TopLevelSpec {
  const values: object[] = [];
  for (const v of variants) {
    const mine = rows.filter((r) => r.variant === v);
    for (const epoch of [...new Set(mine.map((r) => r.epoch))].sort((a, b) => a - b)) {
      const at = mine.filter((r) => r.epoch === epoch);
      const mean = (f: (r: EpochRow) => number): number => at.reduce((a, r) => a + f(r), 0) / at.length;
      values.push({ variant: v, epoch, metric: 'mIoU', value: mean((r) => r.miou) });
      CLASSES.forEach((name, c) => values.push({ variant: v, epoch, metric: `IoU ${name}`, value: mean((r) => r.iou[c]!) }));
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Validation IoU per epoch, mean over seeds', anchor: 'start' },
    data: { values },
    facet: { field: 'metric', type: 'nominal', sort: ['mIoU', ...CLASSES.map((n) => `IoU ${n}`)], title: null },
    columns: 3,
    spec: {
      width: 220, height: 150,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', scale: { domain: [0, 1] }, title: null },
        color: colour(variants),
      },
    },
    config: { font: 'sans-serif' },
  } as unknown as TopLevelSpec;
}
