/**
 * The experiment: for each epoch, each seed and each variant, one epoch of training, then the
 * validation scores. Epochs are the outer loop, so at any moment every variant and seed is within
 * one epoch of the others and an interrupted run still compares them at equal epochs.
 *
 * After each (epoch, seed, variant) the unit's model and optimiser state, its best checkpoint and
 * the progress file are saved, so an interruption (Ctrl-C via `signal`, or `maxSteps` in tests)
 * loses at most the unfinished epoch; `resume` restarts that epoch from its start and gives the
 * same numbers as an uninterrupted run (batch orders are re-derived from (seed, epoch)).
 */
import type { ExperimentConfig } from './config.js';
import { saveCheckpoint, saveTrainingState } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { estimateSeconds, measureTiming } from './estimate.js';
import { finishRun } from './finish.js';
import type { EpochRow, TestRow } from './metrics.js';
import { formatDuration, trainingProgress, type ProgressStream } from './progress.js';
import { inRunFolder, runPaths, saveProgress } from './run-state.js';
import { buildUnits, prepareConfig, saveConfig, setupLines } from './setup.js';
import { loadSplits } from './splits.js';
import { stepsPerEpoch } from './batches.js';
import { trainEpoch } from './unit.js';
import type { ExperimentSummary } from './summary.js';

export interface RunOptions {
  runDir: string;
  /** The configuration of a new run (ignored with `resume`, which reads the run folder's). */
  config?: ExperimentConfig;
  resume?: boolean;
  /** Aborting stops training at the next step boundary; what has finished is written. */
  signal?: AbortSignal;
  /** Stop after this many training steps in this call (simulates an interruption). */
  maxSteps?: number;
  /** Where report lines go (default console.log). */
  log?: (line: string) => void;
  /** Where the progress bar goes (default stderr; null for none). */
  progressStream?: ProgressStream | null;
  /** Time a few steps first and print the estimated total (default true). */
  estimate?: boolean;
}

export interface RunResult {
  complete: boolean;
  config: ExperimentConfig;
  rows: EpochRow[];
  testRows: TestRow[];
  summary: ExperimentSummary;
  conclusions: string[];
  reportPath: string;
  seconds: number;
}

/**
 * Runs (or resumes) the experiment in `o.runDir`, holding the folder's lock throughout: a second
 * run on the same folder is refused, and an unwritable folder is reported before any work.
 */
export async function runExperiment(o: RunOptions): Promise<RunResult> {
  return inRunFolder(o.runDir, o.resume ?? false, () => runLocked(o));
}

async function runLocked(o: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const log = o.log ?? ((line: string) => console.log(line));
  const config = prepareConfig(o.runDir, o.config, o.resume ?? false);
  const data = loadSplits(config);
  if (!o.resume) saveConfig(o.runDir, config);
  const s = buildUnits(o.runDir, config, data, o.resume ?? false);
  for (const line of setupLines(s)) log(line);

  const perEpoch = stepsPerEpoch(data.train.pairs.length, config.batchSize);
  const evalBatchSize = Math.max(config.batchSize, 16);
  const valBatches = Math.ceil(data.val.pairs.length / evalBatchSize);
  const epochsLeft = s.units.reduce((a, u) => a + config.epochs - u.progress.epochs, 0);
  const epochsDone = s.units.reduce((a, u) => a + u.progress.epochs, 0);
  if (epochsLeft > 0 && o.estimate !== false) {
    const timing = measureTiming(config, data.train, data.val, evalBatchSize);
    const testBatches = s.units.length * Math.ceil(data.test.pairs.length / evalBatchSize);
    const secs = estimateSeconds(timing, { trainSteps: epochsLeft * perEpoch, evalBatches: epochsLeft * valBatches + testBatches });
    log(`Estimated time: ~${formatDuration(secs)} for ${epochsLeft * perEpoch} training steps of ${config.batchSize} pairs ` +
      `(~${timing.stepMs.toFixed(0)} ms each) and ${epochsLeft * valBatches + testBatches} evaluation batches (~${timing.evalBatchMs.toFixed(0)} ms each).`);
  }

  const run = trainingProgress(epochsLeft * perEpoch, epochsDone * perEpoch, o);
  const { bar, hooks } = run;
  const paths = runPaths(o.runDir);
  let stopped = false;
  outer: for (let epoch = 1; epoch <= config.epochs; epoch++) {
    for (const u of s.units) {
      const p = u.progress;
      if (p.epochs >= epoch) continue;
      run.detail = `epoch ${epoch}/${config.epochs} · seed ${p.seed} · ${p.variant}`;
      const r = await trainEpoch(u, data.train, config, epoch, hooks);
      if (r === null) {
        stopped = true;
        break outer;
      }
      const ev = evaluate(u.model, data.val, u.loss, { batchSize: evalBatchSize, bins: config.prBins });
      p.epochs = epoch;
      p.steps += r.steps;
      p.trainSeconds += r.seconds;
      s.progress.rows.push({
        variant: p.variant, seed: p.seed, epoch, steps: p.steps, trainSeconds: p.trainSeconds,
        trainLoss: r.loss, valLoss: ev.loss, valCe: ev.ce, ...ev.scores, pr: ev.pr,
      });
      if (ev.scores.f1 > p.bestF1) {
        p.bestF1 = ev.scores.f1;
        p.bestEpoch = epoch;
        saveCheckpoint(paths.best(p.variant, p.seed), u.model, { model: config.model, variant: p.variant, seed: p.seed, epoch, valF1: ev.scores.f1 });
      }
      saveTrainingState(paths.state(p.variant, p.seed, epoch), u.model, u.optim, epoch);
      saveProgress(o.runDir, s.progress, epoch > 1 ? [paths.state(p.variant, p.seed, epoch - 1)] : []);
      bar.log(`epoch ${epoch}/${config.epochs} · seed ${p.seed} · ${p.variant.padEnd(11)} train loss ${r.loss.toFixed(4)} · ` +
        `val loss ${ev.loss.toFixed(4)} · val F1 ${ev.scores.f1.toFixed(3)} ` +
        `(P ${ev.scores.precision.toFixed(3)}, R ${ev.scores.recall.toFixed(3)}) · best-threshold F1 ${ev.scores.bestF1.toFixed(3)}`);
    }
  }
  bar.finish();
  const complete = !stopped && s.units.every((u) => u.progress.epochs === config.epochs);
  const elapsed = (performance.now() - started) / 1000;
  const status = complete
    ? `Complete: ${config.epochs} epochs × ${config.variants.length} variants × ${s.seeds.length} seeds; this session took ${formatDuration(elapsed)}.`
    : `Interrupted: the results cover the finished epochs only. Continue with: train --resume ${o.runDir} (e.g. pnpm start --resume ${o.runDir})`;
  if (!complete) log(status);
  const out = await finishRun({ runDir: o.runDir, setup: s, complete, status, evalBatchSize });
  return {
    complete, config, rows: s.progress.rows, testRows: out.testRows, summary: out.summary, conclusions: out.conclusions,
    reportPath: paths.report, seconds: (performance.now() - started) / 1000,
  };
}
