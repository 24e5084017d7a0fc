/**
 * Writes what a reader needs: metrics.csv (one line per epoch, variant and seed), metrics.json (the
 * same with the test rows, their confusion matrices and PR curves), the figures and a self-contained
 * report.html. Called at the end of a run and after an interruption; every file is written atomically.
 */
import { join } from 'node:path';
import { collate } from '@tessera/data';
import type { ClassWeightScheme } from '@tessera/core';
import { composeGrid, dataUri, encodeRgbPng, escapeHtml, formatStat, renderHtml, renderSvg, upscale, writeFileAtomic, type Table } from '@tessera/example-change-detection/kit';
import type { LandCoverConfig } from './config.js';
import { predictLabels } from './evaluate.js';
import { confusionPng, curvesSpec, labelTile, prSpec, rowNormalised } from './figures.js';
import { describeVariant, SCHEMES } from './losses.js';
import { CLASSES, type Split } from './scenes.js';
import { conclusions, summarizeTest, type EpochRow, type TestRow } from './summary.js';
import { loadBest, runPaths } from './units.js';

export interface ReportInput {
  runDir: string;
  config: LandCoverConfig;
  rows: EpochRow[];
  testRows: TestRow[];
  status: string;
  setup: string[];
  weights: Record<ClassWeightScheme, number[]>;
  data: { train: Split; val: Split; test: Split };
}

const CSV = ['variant', 'seed', 'epoch', 'steps', 'trainSeconds', 'trainLoss', 'valLoss', 'valCe', 'miou', 'accuracy'] as const;

function toCsv(rows: readonly EpochRow[]): string {
  const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8))));
  const head = [...CSV, ...CLASSES.map((c) => `iou ${c}`)];
  const lines = rows.map((r) => [...CSV.map((k) => (typeof r[k] === 'number' ? fmt(r[k]) : r[k])), ...r.iou.map(fmt)].join(','));
  return `${[head.join(','), ...lines].join('\n')}\n`;
}

function tables(c: LandCoverConfig, input: ReportInput): Table[] {
  const total = input.data.train.counts.reduce((a, b) => a + b, 0);
  const out: Table[] = [{
    title: 'Classes: share of the labelled training pixels and the weight each classWeights scheme gives them',
    header: ['class', 'share', ...SCHEMES],
    rows: CLASSES.map((name, k) => [name, `${((100 * input.data.train.counts[k]!) / total).toFixed(2)}%`, ...SCHEMES.map((s) => input.weights[s][k]!.toPrecision(3))]),
  }];
  const s = summarizeTest(input.testRows, c.variants);
  if (input.testRows.length > 0) {
    const per = (title: string, key: 'iou' | 'recall' | 'precision' | 'ap', first?: 'miou'): Table => ({
      title, header: ['variant', ...(first ? ['mIoU'] : []), ...CLASSES],
      rows: s.map((v) => [v.variant, ...(first ? [formatStat(v.miou)] : []), ...v[key].map((x) => formatStat(x))]),
    });
    out.push(
      per(`Test IoU per class, best checkpoint of each seed (by validation mIoU), mean ± std over ${c.seeds} seeds`, 'iou', 'miou'),
      per('Test recall per class (argmax), mean ± std over seeds', 'recall'),
      per('Test precision per class (argmax), mean ± std over seeds', 'precision'),
      per('Test average precision per class (one class against the rest, over thresholds of p(class)), mean ± std over seeds', 'ap'),
    );
  }
  for (const v of input.testRows.length > 0 ? c.variants : []) {
    const m = rowNormalised(input.testRows.filter((r) => r.variant === v));
    out.push({
      title: `Test confusion of ${v}, all seeds: share of each true class's pixels (rows) predicted as each class (columns)`,
      header: ['true \\ predicted', ...CLASSES],
      rows: CLASSES.map((name, t) => [name, ...m[t]!.map((x) => x.toFixed(3))]),
    });
  }
  const last = Math.max(0, ...input.rows.map((r) => r.epoch));
  if (last > 0) {
    const at = input.rows.filter((r) => r.epoch === last);
    out.push({
      title: `Validation at epoch ${last}, mean over the seeds that reached it`,
      header: ['variant', 'seeds', 'mIoU', 'unweighted CE', ...CLASSES.map((n) => `IoU ${n}`)],
      rows: c.variants.map((v) => {
        const m = at.filter((r) => r.variant === v);
        const mean = (f: (r: EpochRow) => number): string => (m.length === 0 ? '–' : (m.reduce((a, r) => a + f(r), 0) / m.length).toFixed(3));
        return [v, String(m.length), mean((r) => r.miou), mean((r) => r.valCe), ...CLASSES.map((_, k) => mean((r) => r.iou[k]!))];
      }),
    });
  }
  return out;
}

/** Label maps of the first validation images: image | truth | each variant's prediction (first seed). */
function gridPng(input: ReportInput): Uint8Array | null {
  const { val } = input.data;
  const n = Math.min(4, val.images.length);
  const seed = input.config.seedBase;
  const samples = Array.from({ length: n }, (_, i) => val.images.get(i));
  const batch = collate(samples);
  const predictions: Int32Array[][] = [];
  for (const v of input.config.variants) {
    try {
      predictions.push(predictLabels(loadBest(runPaths(input.runDir).best(v, seed), input.config).model, batch.image));
    } catch {
      return null; // no checkpoint yet for this variant
    }
  }
  const size = val.size;
  const rows = samples.map((s, k) => [s.image.data.slice(), labelTile(s.mask.data, size), ...predictions.map((p) => labelTile(p[k]!, size))]);
  const img = composeGrid(rows, size, { scale: Math.max(1, Math.round(128 / size)), gap: 3 });
  return encodeRgbPng(img.data, img.width, img.height);
}

export async function writeReport(input: ReportInput): Promise<{ conclusions: string[] }> {
  const { runDir, config: c } = input;
  const figures: string[] = [];
  const put = (rel: string, bytes: Uint8Array | string): void => writeFileAtomic(join(runDir, rel), bytes);
  const figure = (rel: string, mime: string, bytes: Uint8Array | string, caption: string): void => {
    put(rel, bytes);
    figures.push(`<figure><img src="${dataUri(mime, bytes)}" alt="${escapeHtml(rel)}"><figcaption>${escapeHtml(caption)} (<code>${rel}</code>)</figcaption></figure>`);
  };
  put('metrics.csv', toCsv(input.rows));
  put('metrics.json', `${JSON.stringify({ classes: CLASSES, weights: input.weights, rows: input.rows, test: input.testRows }, null, 1)}\n`);
  const lines = conclusions(input.testRows, c.variants);
  if (input.rows.length > 0) {
    figure('figures/iou-curves.svg', 'image/svg+xml', await renderSvg(curvesSpec(input.rows, c.variants)), 'Validation mIoU and per-class IoU per epoch (argmax), mean over seeds.');
  }
  if (input.testRows.length > 0) {
    figure('figures/confusion.png', 'image/png', confusionPng(input.testRows, c.variants),
      `Test confusion matrices summed over seeds, one panel per variant, left to right: ${c.variants.join(', ')}. In each panel the coloured ` +
      `first row is the predicted class and the first column the true class (${CLASSES.join(', ')}, in that order); cell (true t, predicted p) is ` +
      'the share of class t\'s pixels predicted as p, white 0 to dark blue 1 on a square-root scale: a dark diagonal is good.');
    figure('figures/pr-curves.svg', 'image/svg+xml', await renderSvg(prSpec(input.testRows, c.variants, 'Test precision–recall per class (one class against the rest)')),
      `Precision against recall over ${c.prBins} thresholds of p(class), one line per variant and seed, best checkpoints.`);
  }
  const grid = gridPng(input);
  if (grid) {
    figure('figures/predictions.png', 'image/png', grid,
      `The first validation images: image | truth | ${c.variants.join(' | ')} (seed ${c.seedBase}, best checkpoints). Colours: vegetation green, ` +
      'bare soil tan, building red, road grey, water blue; black = ignored border.');
  }
  const variants = c.variants.map((v) => `<li><code>${v}</code>: ${escapeHtml(describeVariant(v, c.focalGamma, input.weights))}</li>`).join('\n');
  const html = [
    '<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', '<title>Land cover: class weights on imbalanced classes</title>',
    `<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:.3em 0}
th,td{border:1px solid #ddd;padding:.25em .6em;text-align:right}th:first-child,td:first-child{text-align:left}figure img{max-width:100%;image-rendering:pixelated}
figcaption{color:#555;font-size:.9em}.status{background:#f4f4f4;padding:.5em 1em;border-left:4px solid #888}</style></head><body>`,
    '<h1>Land cover with very unequal classes: which loss?</h1>', `<p class="status">${escapeHtml(input.status)}</p>`,
    '<h2>Setup</h2>', `<ul>${input.setup.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}</ul>`,
    `<p>Variants (for each seed: the same initial weights and the same batches in the same order):</p><ul>${variants}</ul>`,
    '<h2>What the numbers say</h2>', `<ul>${lines.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}</ul>`,
    '<h2>Tables</h2>', ...tables(c, input).map(renderHtml), '<h2>Figures</h2>', ...figures,
    '<h2>Files</h2><p><code>config.json</code>, <code>metrics.csv</code>, <code>metrics.json</code>, <code>checkpoints/</code> (best by validation mIoU), <code>figures/</code>.</p>',
    '</body></html>',
  ].join('\n');
  put('report.html', html);
  return { conclusions: lines };
}
