/**
 * The lab page: one training worker per chosen loss, live charts, the threshold slider, the picture
 * grid, downloads (checkpoints, metrics CSV) and opening a checkpoint. `window.labState()` returns
 * what the page shows, for the browser tests.
 */
import { parseLabQuery, type LabConfig } from '../../src/lab/config.js';
import type { FromWorker, ToWorker } from '../../src/lab/messages.js';
import { makeDataset, type Dataset } from '../../src/data/dataset.js';
import { toCsv, sortRows, type EpochRow } from '../../src/train/metrics.js';
import type { VariantName } from '../../src/train/variants.js';
import { lineChart, smooth } from './charts.js';
import { lockControls, readControls, writeControls } from './controls.js';
import { buildGrid, drawPrediction, drawTile } from './grid.js';
import { openCheckpoint, type Opened } from './open.js';
import { scoresTable } from './scores.js';

const COLORS: Record<VariantName, string> = { ce: '#1f77b4', 'weighted-ce': '#d62728', focal: '#2ca02c', dice: '#9467bd', 'ce+dice': '#ff7f0e' };

interface Run {
  variant: VariantName;
  worker: Worker;
  losses: number[];
  rows: EpochRow[];
  grid: Float32Array[];
  threads: number;
  backend: string;
  done: boolean;
  /** Seconds from Start until the first epoch with validation F1 ≥ 0.5. */
  reachedAt?: number;
}

const $ = <T extends HTMLElement>(sel: string): T => document.querySelector<T>(sel)!;
const status = (text: string): void => void ($('#status').textContent = text);
let base: LabConfig;
try {
  base = parseLabQuery(location.search);
} catch (err) {
  base = parseLabQuery('');
  status((err as Error).message);
}
let config = base;
let runs: Run[] = [];
let gridData: Dataset | undefined;
let opened: Opened | undefined;
let paused = false;
let startedAt = 0;
let pending = false;
const errors: string[] = [];

writeControls(base);
const threshold = (): number => Number($<HTMLInputElement>('#threshold').value) / 50;

function send(run: Run, m: ToWorker): void {
  run.worker.postMessage(m);
}

function start(): void {
  if (runs.length > 0) {
    paused = false;
    for (const r of runs) send(r, { type: 'resume' });
    buttons();
    return;
  }
  config = readControls(base);
  const threads = config.threads || Math.max(1, Math.floor(navigator.hardwareConcurrency / Math.max(1, config.variants.length)));
  gridData = makeDataset({ n: config.gridPairs, size: config.size, changeFraction: config.changeFraction, nuisance: 1, seed: config.dataSeed, split: 'val' });
  startedAt = performance.now();
  runs = config.variants.map((variant) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: `train-${variant}` });
    const run: Run = { variant, worker, losses: [], rows: [], grid: [], threads: 0, backend: '', done: false };
    worker.onmessage = (e: MessageEvent<FromWorker>) => receive(run, e.data);
    worker.onerror = (e) => fail(`${variant}: ${e.message}`);
    loaded.set(run, () => send(run, { type: 'start', config, variant, threads }));
    return run;
  });
  lockControls(true);
  buttons();
  redraw();
}

function fail(message: string): void {
  errors.push(message);
  console.error(`lab: ${message}`);
  status(`Error: ${message}`);
}

/** What to send each worker once it says it has loaded. */
const loaded = new Map<Run, () => void>();

function receive(run: Run, m: FromWorker): void {
  if (m.type === 'loaded') loaded.get(run)?.();
  else if (m.type === 'ready') Object.assign(run, { threads: m.threads, backend: m.backend });
  else if (m.type === 'step') run.losses.push(m.loss);
  else if (m.type === 'epoch') {
    run.rows.push(m.row);
    run.grid = m.grid;
    if (run.reachedAt === undefined && m.row.f1 >= 0.5) run.reachedAt = (performance.now() - startedAt) / 1000;
  } else if (m.type === 'done') run.done = true;
  else if (m.type === 'checkpoint') download(new Blob([m.bytes as Uint8Array<ArrayBuffer>]), m.name);
  else fail(`${m.variant}: ${m.message}`);
  schedule();
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    redraw();
  });
}

function buttons(): void {
  $<HTMLButtonElement>('#start').textContent = runs.length > 0 && paused ? 'Resume' : 'Start';
  $<HTMLButtonElement>('#start').disabled = runs.length > 0 && !paused;
  $<HTMLButtonElement>('#pause').disabled = runs.length === 0 || paused;
  $<HTMLButtonElement>('#csv').disabled = !runs.some((r) => r.rows.length > 0);
}

function redraw(): void {
  const t = threshold();
  const k = Math.round(t * 50);
  $('#threshold-value').textContent = t.toFixed(2);
  lineChart($('#loss'), runs.map((r) => ({ name: r.variant, color: COLORS[r.variant], points: smooth(r.losses, 5) })), { title: 'training loss (moving average of 5 steps)', xLabel: 'step' });
  lineChart($('#f1'), runs.map((r) => ({ name: r.variant, color: COLORS[r.variant], points: r.rows.map((w) => [w.epoch, w.f1] as const) })),
    { title: 'validation F1 of change (argmax)', xLabel: 'epoch', y: [0, 1], hline: 0.5 });
  const last = runs.map((r) => r.rows.at(-1));
  lineChart($('#pr'), runs.map((r, i) => ({ name: r.variant, color: COLORS[r.variant], points: last[i] ? last[i].pr.recall.map((x, j) => [x, last[i]!.pr.precision[j]!] as const) : [] })), {
    title: `precision–recall (latest epoch), dot at p ≥ ${t.toFixed(2)}`, xLabel: 'recall', x: [0, 1], y: [0, 1],
    markers: runs.flatMap((r, i) => (last[i] ? [{ x: last[i].pr.recall[k]!, y: last[i].pr.precision[k]!, color: COLORS[r.variant] }] : [])),
  });
  scoresTable($('#scores tbody'), runs, k, (r) => send(r, { type: 'checkpoint' }));
  pictures(t);
  const elapsed = runs.length > 0 ? ((performance.now() - startedAt) / 1000).toFixed(1) : '0';
  if (errors.length === 0 && runs.length > 0) {
    const steps = Math.max(...runs.map((r) => r.losses.length));
    status(`${paused ? 'Paused' : runs.every((r) => r.done) ? 'Done' : 'Training'}: step ${steps}, ${elapsed} s · ${crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated: one kernel thread per worker'}`);
  }
  buttons();
}

let grid: ReturnType<typeof buildGrid> | undefined;
let gridKey = '';

function pictures(t: number): void {
  if (!gridData) return;
  const names = [...runs.map((r) => r.variant), ...(opened ? [`opened: ${opened.meta.variant}`] : [])];
  const key = names.join(',');
  const s = gridData.size;
  const hw = s * s;
  if (!grid || key !== gridKey) {
    grid = buildGrid($('#grid'), gridData.n, names);
    gridKey = key;
    grid.inputs.forEach(([a, b, m], i) => {
      drawTile(a!, gridData!.t1.subarray(3 * hw * i, 3 * hw * (i + 1)), s, 'rgb');
      drawTile(b!, gridData!.t2.subarray(3 * hw * i, 3 * hw * (i + 1)), s, 'rgb');
      drawTile(m!, gridData!.mask.subarray(hw * i, hw * (i + 1)), s, 'mask');
    });
  }
  const probs = [...runs.map((r) => r.grid), ...(opened ? [opened.grid] : [])];
  grid.predictions.forEach((row, i) => row.forEach((c, j) => {
    const p = probs[j]?.[i];
    if (p) drawPrediction(c, p, gridData!.mask.subarray(hw * i, hw * (i + 1)), s, t);
  }));
}

$('#start').onclick = () => {
  try {
    start();
  } catch (err) {
    fail((err as Error).message);
  }
};
$('#pause').onclick = () => {
  paused = true;
  for (const r of runs) send(r, { type: 'pause' });
  redraw();
};
$('#reset').onclick = () => {
  for (const r of runs) r.worker.terminate();
  runs = [];
  paused = false;
  errors.length = 0;
  lockControls(false);
  status('Ready.');
  redraw();
};
$('#threshold').oninput = () => redraw();
$('#csv').onclick = () => download(new Blob([toCsv(sortRows(runs.flatMap((r) => r.rows), config.variants))], { type: 'text/csv' }), 'metrics.csv');
$<HTMLInputElement>('#open').onchange = async (e) => {
  const file = (e.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    gridData ??= makeDataset({ n: config.gridPairs, size: config.size, changeFraction: config.changeFraction, nuisance: 1, seed: config.dataSeed, split: 'val' });
    opened = await openCheckpoint(file, gridData);
    $('#opened').textContent = `${file.name}: ${opened.meta.variant}, seed ${opened.meta.seed}, epoch ${opened.meta.epoch}, validation F1 ${opened.meta.valF1.toFixed(3)}`;
    redraw();
  } catch (err) {
    $('#opened').textContent = (err as Error).message;
  }
};

/** What the page shows, for the browser tests. */
(window as unknown as { labState: () => unknown }).labState = () => ({
  isolated: crossOriginIsolated, threshold: threshold(), errors: [...errors], opened: opened?.meta,
  runs: runs.map((r) => ({ variant: r.variant, losses: r.losses, rows: r.rows, threads: r.threads, backend: r.backend, done: r.done, reachedAt: r.reachedAt })),
});
redraw();
