/**
 * Writes everything a reader needs from the rows: metrics.csv, metrics.json, the figures (SVG and
 * PNG) and report.html. Called at the end of a run and after an interruption, with whatever has
 * finished. Every file is written atomically.
 */
import { join } from 'node:path';
import { encodeRgbPng, writeFileAtomic } from '../io/png.js';
import type { ExperimentConfig } from '../train/config.js';
import { sortRows, toCsv, type EpochRow, type TestRow } from '../train/metrics.js';
import { summarize, type ExperimentSummary } from '../train/summary.js';
import { curvesSpec, prSpec, renderSvg, type CurveMetric } from './charts.js';
import { conclusions } from './conclusions.js';
import { composeGrid, upscale, type Tile } from './grid.js';
import { dataUri, reportHtml, type Figure } from './html.js';
import { summaryTables } from './table.js';

export interface GridInput {
  size: number;
  /** Column labels: t1, t2, truth, then one per variant. */
  columns: string[];
  /** One row of tiles per pair, in column order. */
  rows: Tile[][];
  pairs: number[];
  caption: string;
}

export interface ReportInput {
  runDir: string;
  config: ExperimentConfig;
  seeds: number[];
  rows: EpochRow[];
  testRows: TestRow[];
  /** One line on the state of the run (complete, or interrupted and how to resume). */
  status: string;
  /** Lines describing the data and the model. */
  setup: string[];
  weights: number[] | null;
  grid: GridInput | null;
}

export interface ReportOutput {
  summary: ExperimentSummary;
  conclusions: string[];
  files: string[];
}

const CHARTS: { file: string; title: string; metrics: CurveMetric[]; caption: string }[] = [
  { file: 'loss.svg', title: 'Loss curves', metrics: ['trainLoss', 'valLoss', 'valCe'],
    caption: 'Losses per epoch, mean over seeds with a band of ± one standard deviation. Each variant\'s own loss is on ' +
      'its own scale; the unweighted validation cross-entropy is comparable across variants.' },
  { file: 'f1.svg', title: 'F1 curves', metrics: ['f1', 'bestF1'],
    caption: 'Validation F1 of the change class per epoch at argmax (left) and at the best threshold of p(change) (right), mean ± std over seeds.' },
  { file: 'precision-recall-epochs.svg', title: 'Precision and recall per epoch', metrics: ['precision', 'recall', 'iou'],
    caption: 'Validation precision, recall and IoU of the change class at argmax, mean ± std over seeds.' },
];

/** Writes the metrics files, the figures and report.html into `runDir`; returns the summary. */
export async function writeReport(input: ReportInput): Promise<ReportOutput> {
  const { runDir, config, seeds } = input;
  const rows = sortRows(input.rows, config.variants);
  const files: string[] = [];
  const put = (rel: string, bytes: Uint8Array | string): void => {
    writeFileAtomic(join(runDir, rel), bytes);
    files.push(rel);
  };
  put('metrics.csv', toCsv(rows));
  put('metrics.json', `${JSON.stringify({ rows, test: input.testRows }, null, 1)}\n`);

  const summary = summarize(rows, input.testRows, config.variants, seeds, config.targetF1);
  const lines = conclusions(summary);
  const figures: Figure[] = [];
  if (rows.length > 0) {
    for (const chart of CHARTS) {
      const svg = await renderSvg(curvesSpec(rows, chart.metrics, config.variants, chart.title));
      put(`figures/${chart.file}`, svg);
      figures.push({ title: chart.title, src: dataUri('image/svg+xml', svg), caption: chart.caption, file: `figures/${chart.file}` });
    }
    const finalRows = rows.filter((r) => r.epoch === summary.finalEpoch);
    if (finalRows.length > 0) {
      const svg = await renderSvg(prSpec(finalRows, config.variants, `Precision–recall over thresholds of p(change), validation, epoch ${summary.finalEpoch}`));
      put('figures/pr-curves.svg', svg);
      figures.push({
        title: 'Precision–recall curves', src: dataUri('image/svg+xml', svg), file: 'figures/pr-curves.svg',
        caption: `One curve per variant and seed over ${config.prBins} thresholds of p(change) (0, 1/${config.prBins}, …); the dot is threshold 0.5 (argmax).`,
      });
    }
    if (input.testRows.length > 0) {
      const svg = await renderSvg(prSpec(input.testRows, config.variants, 'Precision–recall on the test split, best checkpoints'));
      put('figures/pr-curves-test.svg', svg);
      figures.push({
        title: 'Test precision–recall curves', src: dataUri('image/svg+xml', svg), file: 'figures/pr-curves-test.svg',
        caption: 'The best checkpoint (by validation F1) of each variant and seed, on the test split.',
      });
    }
  }

  let grid = null;
  if (input.grid && input.grid.rows.length > 0) {
    const g = input.grid;
    // Tiles of about 192 pixels: small images are scaled up more.
    const scale = Math.max(1, Math.round(192 / g.size));
    const img = composeGrid(g.rows, g.size, { scale, gap: 2 });
    put('figures/grid.png', encodeRgbPng(img.data, img.width, img.height));
    const cells = g.rows.map((row) => row.map((tile) => dataUri('image/png', encodeRgbPng(upscale(tile, g.size, scale), scale * g.size, scale * g.size))));
    grid = { columns: g.columns, cells, pairs: g.pairs, caption: `${g.caption} (figures/grid.png: columns ${g.columns.join(' | ')})` };
  }

  const html = reportHtml({
    config, status: input.status, setup: input.setup, weights: input.weights,
    conclusions: lines, tables: summaryTables(summary), figures, grid,
  });
  put('report.html', html);
  return { summary, conclusions: lines, files };
}
