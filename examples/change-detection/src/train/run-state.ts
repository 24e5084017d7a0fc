/**
 * The run folder's layout and its resumable state. state/progress.json records, for each variant
 * and seed, how many epochs are finished (with step count, training time and best validation F1),
 * and every finished row; it is rewritten atomically after each (epoch, seed, variant) and always
 * names a training-state file that exists, so an interruption anywhere leaves a consistent state.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/png.js';
import { validateConfig, type ExperimentConfig } from './config.js';
import { UsageError, usage } from './errors.js';
import { withRunLock } from './run-lock.js';
import type { EpochRow } from './metrics.js';
import type { VariantName } from './variants.js';

/** How far one (variant, seed) of any example's experiment is (V: the example's variant names). */
export interface UnitCounters<V extends string> {
  variant: V;
  seed: number;
  /** Finished epochs. */
  epochs: number;
  steps: number;
  trainSeconds: number;
  /** The epoch of the best checkpoint so far. */
  bestEpoch: number;
}

export interface UnitProgress extends UnitCounters<VariantName> {
  bestF1: number;
}

export interface RunProgress {
  version: 1;
  units: UnitProgress[];
  rows: EpochRow[];
}

export const unitName = (variant: string, seed: number): string => `${variant}-seed${seed}`;

/** The run folder's files (any example's variant names). */
export function runPaths(runDir: string) {
  return {
    config: join(runDir, 'config.json'),
    progress: join(runDir, 'state', 'progress.json'),
    report: join(runDir, 'report.html'),
    state: (v: string, seed: number, epoch: number): string => join(runDir, 'state', `${unitName(v, seed)}.e${epoch}.safetensors`),
    best: (v: string, seed: number): string => join(runDir, 'checkpoints', `${unitName(v, seed)}.safetensors`),
  };
}

export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 1)}\n`);
}

/** Reads a run folder's config for `--resume` (UsageError when it is not a run folder). */
export function readRunConfig(runDir: string): ExperimentConfig {
  const p = runPaths(runDir).config;
  usage(existsSync(p), `--resume: ${runDir} is not a run folder (no config.json)`);
  try {
    return validateConfig(JSON.parse(readFileSync(p, 'utf8')) as ExperimentConfig);
  } catch (err) {
    throw new UsageError(`--resume: cannot use ${p}: ${(err as Error).message}`);
  }
}

export function readProgress(runDir: string): RunProgress | null {
  const p = runPaths(runDir).progress;
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as RunProgress) : null;
}

/** Runs `fn` holding the lock of `runDir`; with `resume`, the folder must hold a run (its config.json). */
export function inRunFolder<T>(runDir: string, resume: boolean, fn: () => Promise<T>): Promise<T> {
  if (resume) usage(existsSync(runPaths(runDir).config), `--resume: ${runDir} is not a run folder (no config.json)`);
  return withRunLock(runDir, resume ? '--resume' : '--out', fn);
}

/** Saves the progress, then removes training-state files that no longer match it. */
export function saveProgress(runDir: string, progress: RunProgress, stale: string[] = []): void {
  writeJson(runPaths(runDir).progress, progress);
  for (const f of stale) rmSync(f, { force: true });
}
