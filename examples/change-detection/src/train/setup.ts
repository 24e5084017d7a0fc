/**
 * Setting a run up: the config (new or from the run folder), the data splits, the class weights,
 * and one unit per (seed, variant), each restored from its last saved state when resuming.
 */
import { existsSync } from 'node:fs';
import { makeFolder } from '../io/folders.js';
import { loadTrainingState } from './checkpoint.js';
import { seedList, validateConfig, type ExperimentConfig } from './config.js';
import { usage } from './errors.js';
import { makeLoss, trainingWeights } from './losses.js';
import { buildModel, buildOptimizer, describeModel, snapshot } from './model.js';
import { readProgress, readRunConfig, runPaths, writeJson, type RunProgress, type UnitProgress } from './run-state.js';
import type { Split, Splits } from './split.js';
import type { Unit } from './unit.js';

export interface RunSetup {
  config: ExperimentConfig;
  seeds: number[];
  data: Splits;
  weights: number[];
  units: Unit[];
  progress: RunProgress;
  modelDescription: string;
}

/**
 * Reads or checks the run's config (UsageError if a new run would overwrite an old one); a new
 * run's config.json is written by `saveConfig` once its data has loaded, so a folder that fails to
 * load leaves no run behind.
 */
export function prepareConfig(runDir: string, config: ExperimentConfig | undefined, resume: boolean): ExperimentConfig {
  if (resume) return readRunConfig(runDir);
  usage(config !== undefined, 'train: no configuration given');
  const c = validateConfig(config);
  usage(!existsSync(runPaths(runDir).config), `--out: ${runDir} already holds a run; continue it with --resume ${runDir}, or choose another --out`);
  return c;
}

/** Writes a new run's config.json. */
export function saveConfig(runDir: string, c: ExperimentConfig): void {
  makeFolder(runDir);
  writeJson(runPaths(runDir).config, c);
}

/**
 * One unit per (seed, variant). For each seed the model is built once and every variant's model
 * loads a copy of that initial state dict, so all variants of a seed start from the same weights.
 */
export function buildUnits(runDir: string, c: ExperimentConfig, data: Splits, resume: boolean): RunSetup {
  const seeds = seedList(c);
  const weights = trainingWeights(data.train.counts, c.weightScheme);
  const saved = resume ? readProgress(runDir) : null;
  const paths = runPaths(runDir);
  const units: Unit[] = [];
  let modelDescription = '';
  for (const seed of seeds) {
    const initial = buildModel(c.model, seed);
    const init = snapshot(initial);
    modelDescription = describeModel(c.model, initial);
    for (const variant of c.variants) {
      const model = buildModel(c.model, seed);
      model.loadStateDict(init);
      const optim = buildOptimizer(model, c);
      const old = saved?.units.find((u) => u.variant === variant && u.seed === seed);
      const progress: UnitProgress = old
        ? { ...old }
        : { variant, seed, epochs: 0, steps: 0, trainSeconds: 0, bestF1: -1, bestEpoch: 0 };
      if (progress.epochs > 0) loadTrainingState(paths.state(variant, seed, progress.epochs), model, optim);
      units.push({ progress, model, optim, loss: makeLoss(variant, c, weights) });
    }
  }
  const progress: RunProgress = { version: 1, units: units.map((u) => u.progress), rows: saved?.rows ?? [] };
  return { config: c, seeds, data, weights, units, progress, modelDescription };
}

/** Lines describing the data, the model and the training for the report and the terminal. */
export function setupLines(s: RunSetup): string[] {
  const c = s.config;
  const d = c.data;
  const unit = d.dir === undefined ? 'pairs' : 'tiles';
  const split = (name: string, x: Split): string => {
    const [n0, n1] = x.counts;
    return `${name} ${x.pairs.length} ${unit} (${((100 * n1) / (n0 + n1)).toFixed(2)}% changed pixels, ${x.withoutChange} ${unit} without change)`;
  };
  const source = d.dir === undefined
    ? `synthetic ${d.size}×${d.size} pairs${d.quantize ? ' (8-bit)' : ''}, data seed ${d.seed}, target change fraction ${d.changeFraction}, nuisance ${d.nuisance}`
    : `the LEVIR-CD-layout folder ${d.dir}, cut into ${d.size}×${d.size} tiles with stride ${d.stride ?? d.size}`;
  return [
    `Data: ${source}; ${split('train', s.data.train)}, ${split('validation', s.data.val)}, ${split('test', s.data.test)}.`,
    `Class weights ('${c.weightScheme}', from the training split's pixel counts): [${s.weights.map((w) => w.toPrecision(4)).join(', ')}].`,
    `Model: ${s.modelDescription}.`,
    `Training: ${c.epochs} epochs, batch size ${c.batchSize}, ${c.optimizer} lr ${c.lr}${c.weightDecay > 0 ? ` weight decay ${c.weightDecay}` : ''}, ` +
      `seeds ${s.seeds.join(', ')} (each seed fixes the initial weights and the batch order, shared by every variant).`,
  ];
}
