/**
 * The report's charts as Vega-Lite specs, rendered to SVG strings headless in Node by Vega's View
 * (renderer 'none' + toSVG: no browser, no canvas, no native binary).
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { yieldToEvents } from '../train/events.js';
import type { EpochRow } from '../train/metrics.js';
import { stat } from '../train/summary.js';
import type { VariantName } from '../train/variants.js';

export type CurveMetric = 'trainLoss' | 'valLoss' | 'valCe' | 'f1' | 'bestF1' | 'precision' | 'recall' | 'iou';

const TITLES: Record<CurveMetric, string> = {
  trainLoss: 'training loss (own loss)',
  valLoss: 'validation loss (own loss)',
  valCe: 'validation cross-entropy (unweighted)',
  f1: 'validation F1 (argmax)',
  bestF1: 'validation F1 at the best threshold',
  precision: 'validation precision (argmax)',
  recall: 'validation recall (argmax)',
  iou: 'validation IoU (argmax)',
};

interface BandPoint {
  variant: string;
  epoch: number;
  mean: number;
  lo: number;
  hi: number;
  seeds: number;
}

/** Mean and mean ± std over seeds of `metric`, per variant and epoch (the band is empty for one seed). */
export function bandData(rows: readonly EpochRow[], metric: CurveMetric, variants: readonly VariantName[]): BandPoint[] {
  const out: BandPoint[] = [];
  for (const variant of variants) {
    const epochs = [...new Set(rows.filter((r) => r.variant === variant).map((r) => r.epoch))].sort((a, b) => a - b);
    for (const epoch of epochs) {
      const s = stat(rows.filter((r) => r.variant === variant && r.epoch === epoch).map((r) => r[metric]));
      const sd = Number.isNaN(s.std) ? 0 : s.std;
      out.push({ variant, epoch, mean: s.mean, lo: s.mean - sd, hi: s.mean + sd, seeds: s.n });
    }
  }
  return out;
}

function colorScale(variants: readonly VariantName[]): { domain: string[]; scheme: string } {
  return { domain: [...variants], scheme: 'category10' };
}

/** One panel: per variant a line of the mean over seeds and a band of ± one std. */
function bandPanel(rows: readonly EpochRow[], metric: CurveMetric, variants: readonly VariantName[], unitRange: boolean): object {
  const y = { type: 'quantitative', title: null, ...(unitRange ? { scale: { domain: [0, 1] } } : {}) };
  const color = { field: 'variant', type: 'nominal', scale: colorScale(variants), title: 'variant' };
  return {
    title: TITLES[metric],
    width: 300,
    height: 200,
    data: { values: bandData(rows, metric, variants) },
    encoding: { x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } }, color },
    layer: [
      { mark: { type: 'area', opacity: 0.18 }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
      { mark: { type: 'line', point: true }, encoding: { y: { field: 'mean', ...y } } },
    ],
  };
}

/** Side-by-side band panels of several metrics. */
export function curvesSpec(rows: readonly EpochRow[], metrics: readonly CurveMetric[], variants: readonly VariantName[], caption: string): TopLevelSpec {
  const unit = (m: CurveMetric): boolean => !['trainLoss', 'valLoss', 'valCe'].includes(m);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: caption, anchor: 'start' },
    hconcat: metrics.map((m) => bandPanel(rows, m, variants, unit(m))),
    // Legend symbols at full opacity: the band's pale fill would otherwise stand for the variant.
    config: { font: 'sans-serif', legend: { symbolOpacity: 1 } },
  } as unknown as TopLevelSpec;
}

/** Precision–recall curves of the given rows (one line per variant and seed; a dot at threshold 0.5). */
export function prSpec(rows: readonly (Pick<EpochRow, 'variant' | 'seed' | 'pr'>)[], variants: readonly VariantName[], caption: string): TopLevelSpec {
  const values: { variant: string; seed: string; recall: number; precision: number; threshold: number; order: number }[] = [];
  for (const r of rows) {
    r.pr.thresholds.forEach((t, i) => {
      const p = r.pr.precision[i]!;
      const rec = r.pr.recall[i]!;
      // A threshold that predicts nothing has no defined precision: leave it out of the curve.
      if (rec > 0) values.push({ variant: r.variant, seed: `seed ${r.seed}`, recall: rec, precision: p, threshold: t, order: i });
    });
  }
  const color = { field: 'variant', type: 'nominal', scale: colorScale(variants), title: 'variant' };
  const unit = { type: 'quantitative', scale: { domain: [0, 1] } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: caption, anchor: 'start' },
    width: 320,
    height: 280,
    data: { values },
    encoding: {
      x: { field: 'recall', ...unit, title: 'recall' },
      y: { field: 'precision', ...unit, title: 'precision' },
      color,
    },
    layer: [
      { mark: { type: 'line', opacity: 0.8, strokeWidth: 1.5 }, encoding: { detail: { field: 'seed' }, order: { field: 'order' } } },
      { transform: [{ filter: 'abs(datum.threshold - 0.5) < 1e-9' }], mark: { type: 'point', filled: true, size: 50 } },
    ],
    config: { font: 'sans-serif' },
  } as unknown as TopLevelSpec;
}

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
    await yieldToEvents(); // a Ctrl-C during the report is seen (see events.ts)
  }
}
