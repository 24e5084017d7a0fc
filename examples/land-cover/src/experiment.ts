/**
 * The experiment: for each epoch, each seed and each variant, one epoch of training, then the
 * validation scores. Epochs are the outer loop, so an interrupted run still compares every variant
 * at equal epochs. After each (epoch, seed, variant) the unit's model and optimiser, its best
 * checkpoint (by validation mIoU) and state/progress.json are saved atomically; `resume` restarts
 * the unfinished epoch and gives the same numbers as an uninterrupted run. A complete run then
 * scores each best checkpoint on the test split and writes the report.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { formatDuration, inRunFolder, saveTrainingState, trainingProgress, writeJson, yieldToEvents, type StepLimits } from '@tessera/example-change-detection/kit';
import { seedList, type LandCoverConfig } from './config.js';
import { evaluate, type Evaluation } from './evaluate.js';
import { makeLoss, weightsBySchemes } from './losses.js';
import { writeReport } from './report.js';
import { describeCounts, makeSplit, type Split } from './scenes.js';
import type { EpochRow, TestRow } from './summary.js';
import { buildUnits, loadBest, prepareConfig, runPaths, saveBest, trainEpoch, type UnitProgress } from './units.js';

export interface RunOptions extends StepLimits {
  runDir: string;
  config?: LandCoverConfig;
  resume?: boolean;
  log?: (line: string) => void;
}

export interface RunResult {
  complete: boolean;
  config: LandCoverConfig;
  rows: EpochRow[];
  testRows: TestRow[];
  conclusions: string[];
  reportPath: string;
  seconds: number;
}

interface RunProgress {
  version: 1;
  units: UnitProgress[];
  rows: EpochRow[];
}

const EVAL_BATCH = 16;

export interface Data {
  train: Split;
  val: Split;
  test: Split;
}

export function makeData(c: LandCoverConfig): Data {
  const d = c.data;
  return { train: makeSplit(d.seed, 'train', d.train, d.size), val: makeSplit(d.seed, 'val', d.val, d.size), test: makeSplit(d.seed, 'test', d.test, d.size) };
}

const scoresOf = (e: Evaluation) => ({ miou: e.miou, iou: e.iou, precision: e.precision, recall: e.recall, accuracy: e.accuracy });

/** Runs (or resumes) the experiment in `o.runDir`, holding the folder's lock throughout. */
export async function runExperiment(o: RunOptions): Promise<RunResult> {
  return inRunFolder(o.runDir, o.resume ?? false, () => runLocked(o));
}

async function runLocked(o: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const log = o.log ?? ((line: string) => console.log(line));
  const paths = runPaths(o.runDir);
  const c = prepareConfig(o.runDir, o.config, o.resume ?? false);
  const data = makeData(c);
  const weights = weightsBySchemes(data.train.masks);
  if (!o.resume) writeJson(paths.config, c);
  const saved = existsSync(paths.progress) ? (JSON.parse(readFileSync(paths.progress, 'utf8')) as RunProgress) : null;
  const units = buildUnits(o.runDir, c, weights, saved?.units ?? []);
  const progress: RunProgress = { version: 1, units: units.map((u) => u.progress), rows: saved?.rows ?? [] };
  const setup = [
    `Data: synthetic ${c.data.size}×${c.data.size} aerial scenes, data seed ${c.data.seed}; train ${c.data.train} images (${describeCounts(data.train)}), ` +
      `validation ${c.data.val} (${describeCounts(data.val)}), test ${c.data.test} (${describeCounts(data.test)}).`,
    `Model: U-Net, depth ${c.model.depth}, width ${c.model.width}, batch norm ${c.model.batchNorm ? 'on' : 'off'}, ${units[0]!.model.numParameters().toLocaleString('en-US')} parameters.`,
    `Training: ${c.epochs} epochs, batch size ${c.batchSize}, Adam lr ${c.lr}, seeds ${seedList(c).join(', ')} (each seed fixes the initial weights and the batch order, shared by every variant).`,
  ];
  for (const line of setup) log(line);

  const perEpoch = Math.ceil(c.data.train / c.batchSize);
  const left = units.reduce((a, u) => a + c.epochs - u.progress.epochs, 0);
  const done = units.reduce((a, u) => a + u.progress.epochs, 0);
  const run = trainingProgress(left * perEpoch, done * perEpoch, o);
  const { bar, hooks } = run;
  let stopped = false;
  outer: for (let epoch = 1; epoch <= c.epochs; epoch++) {
    for (const u of units) {
      const p = u.progress;
      if (p.epochs >= epoch) continue;
      run.detail = `epoch ${epoch}/${c.epochs} · seed ${p.seed} · ${p.variant}`;
      const r = await trainEpoch(u, data.train, c, epoch, hooks);
      if (r === null) {
        stopped = true;
        break outer;
      }
      const ev = evaluate(u.model, data.val, u.loss, { batchSize: EVAL_BATCH });
      Object.assign(p, { epochs: epoch, steps: p.steps + r.steps, trainSeconds: p.trainSeconds + r.seconds });
      progress.rows.push({ variant: p.variant, seed: p.seed, epoch, steps: p.steps, trainSeconds: p.trainSeconds, trainLoss: r.loss, valLoss: ev.loss, valCe: ev.ce, ...scoresOf(ev) });
      if (ev.miou > p.bestMiou) {
        Object.assign(p, { bestMiou: ev.miou, bestEpoch: epoch });
        saveBest(paths.best(p.variant, p.seed), u.model, c, { variant: p.variant, seed: p.seed, epoch, miou: ev.miou });
      }
      saveTrainingState(paths.state(p.variant, p.seed, epoch), u.model, u.optim, epoch);
      writeJson(paths.progress, progress);
      if (epoch > 1) rmSync(paths.state(p.variant, p.seed, epoch - 1), { force: true });
      bar.log(`epoch ${epoch}/${c.epochs} · seed ${p.seed} · ${p.variant.padEnd(12)} train loss ${r.loss.toFixed(4)} · val CE ${ev.ce.toFixed(4)} · ` +
        `val mIoU ${ev.miou.toFixed(3)} · IoU ${ev.iou.map((x) => x.toFixed(2)).join('/')}`);
    }
  }
  bar.finish();
  const complete = !stopped && units.every((u) => u.progress.epochs === c.epochs);
  const testRows: TestRow[] = [];
  if (complete) {
    for (const u of units) {
      const { variant, seed } = u.progress;
      await yieldToEvents();
      const { model, epoch } = loadBest(paths.best(variant, seed), c);
      const ev = evaluate(model, data.test, makeLoss(variant, c.focalGamma, weights), { batchSize: EVAL_BATCH, prBins: c.prBins });
      testRows.push({ variant, seed, epoch, ...scoresOf(ev), confusion: ev.confusion, ap: ev.ap!, pr: ev.pr! });
    }
  }
  const elapsed = (performance.now() - started) / 1000;
  const status = complete
    ? `Complete: ${c.epochs} epochs × ${c.variants.length} variants × ${c.seeds} seeds; this session took ${formatDuration(elapsed)}.`
    : `Interrupted: the results cover the finished epochs only. Continue with: train --resume ${o.runDir}`;
  if (!complete) log(status);
  const report = await writeReport({ runDir: o.runDir, config: c, rows: progress.rows, testRows, status, setup, weights, data });
  return { complete, config: c, rows: progress.rows, testRows, conclusions: report.conclusions, reportPath: paths.report, seconds: (performance.now() - started) / 1000 };
}
