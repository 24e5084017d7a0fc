/**
 * report.html: one self-contained file (every image embedded as a data URI) with the setup, the
 * conclusions, the tables, the curves and the prediction grid.
 */
import type { ExperimentConfig } from '../train/config.js';
import { describeVariant } from '../train/variants.js';
import { escapeHtml, renderHtml, type Table } from './table.js';

export interface Figure {
  title: string;
  /** data: URI of the image. */
  src: string;
  caption: string;
  file: string;
}

export interface GridHtml {
  columns: string[];
  /** data: URIs per row and column. */
  cells: string[][];
  pairs: number[];
  caption: string;
}

export interface ReportHtml {
  config: ExperimentConfig;
  status: string;
  setup: string[];
  weights: number[] | null;
  conclusions: string[];
  tables: Table[];
  figures: Figure[];
  grid: GridHtml | null;
}

export function dataUri(mime: string, bytes: Uint8Array | string): string {
  return `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 1em 0; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0.3em 0; }
th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; } th:first-child, td:first-child { text-align: left; }
figure { margin: 1.5em 0; } figure img { max-width: 100%; height: auto; } figcaption { color: #555; font-size: 0.9em; }
.status { background: #f4f4f4; padding: 0.5em 1em; border-left: 4px solid #888; }
.grid td { border: none; padding: 2px; text-align: center; white-space: nowrap; } .grid img { image-rendering: pixelated; display: block; }
code { background: #f4f4f4; padding: 0 0.2em; }
`;

export function reportHtml(r: ReportHtml): string {
  const c = r.config;
  const variants = c.variants
    .map((v) => `<li><code>${escapeHtml(v)}</code>: ${escapeHtml(describeVariant(v, c.weightScheme, c.focalGamma, v === 'weighted-ce' ? (r.weights ?? undefined) : undefined))}</li>`)
    .join('\n');
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<title>Change detection: weighted vs unweighted losses</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>Change detection on imbalanced image pairs: which loss?</h1>',
    `<p class="status">${escapeHtml(r.status)}</p>`,
    '<h2>Setup</h2>',
    `<ul>${r.setup.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}</ul>`,
    `<p>Variants (same initial weights and the same batches in the same order for each seed):</p><ul>${variants}</ul>`,
    '<h2>What the numbers say</h2>',
    `<ul>${r.conclusions.map((s) => `<li>${escapeHtml(s)}</li>`).join('\n')}</ul>`,
    '<h2>Tables</h2>',
    ...r.tables.map(renderHtml),
    '<h2>Curves</h2>',
    ...r.figures.map(
      (f) => `<figure><img src="${f.src}" alt="${escapeHtml(f.title)}"><figcaption>${escapeHtml(f.caption)} (<code>${escapeHtml(f.file)}</code>)</figcaption></figure>`,
    ),
  ];
  if (r.grid) {
    const g = r.grid;
    const head = `<tr><th></th>${g.columns.map((col) => `<th>${escapeHtml(col)}</th>`).join('')}</tr>`;
    const rows = g.cells
      .map((row, i) => `<tr><td>pair ${g.pairs[i]}</td>${row.map((src) => `<td><img src="${src}" alt=""></td>`).join('')}</tr>`)
      .join('\n');
    parts.push('<h2>Predictions on fixed validation pairs</h2>', `<table class="grid">${head}\n${rows}</table>`, `<p>${escapeHtml(g.caption)}</p>`);
  }
  parts.push(
    '<h2>Files</h2>',
    '<p><code>config.json</code>, <code>metrics.csv</code> and <code>metrics.json</code> (every epoch × variant × seed), ' +
      '<code>checkpoints/</code> (the best checkpoint of each variant and seed, by validation F1), <code>figures/</code>.</p>',
    '</body></html>',
  );
  return parts.join('\n');
}
