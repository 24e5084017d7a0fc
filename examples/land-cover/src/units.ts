/**
 * The experiment's units: one per (seed, variant), each with its own U-Net, Adam and loss. For each
 * seed the network is built once and every variant loads a copy of that initial state dict, and
 * every variant of a seed sees the same batches in the same order (the order of epoch e under seed s
 * comes from a generator seeded by (s, e) only): the variants differ by their loss alone.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Generator, type ClassWeightScheme, type Tensor } from '@tessera/core';
import { DataLoader, type Dataset } from '@tessera/data';
import { Adam, loadFile, save, UNet } from '@tessera/nn';
import { loadTrainingState, makeFolder, runPaths, usage, UsageError, yieldToEvents, type UnitCounters } from '@tessera/example-change-detection/kit';
import { seedList, validateConfig, type LandCoverConfig } from './config.js';
import type { Segmenter } from './evaluate.js';
import { makeLoss, type LossFn, type VariantName } from './losses.js';
import { NUM_CLASSES, type LandCoverSample, type Split } from './scenes.js';

export interface UnitProgress extends UnitCounters<VariantName> {
  bestMiou: number;
}

export interface Unit {
  progress: UnitProgress;
  model: Segmenter;
  optim: Adam;
  loss: LossFn;
}

export const CHECKPOINT_FORMAT = 'tessera-land-cover/1';

/** A fresh U-Net whose weights depend only on (model config, seed). */
export function buildModel(c: LandCoverConfig, seed: number): UNet {
  return new UNet({ numClasses: NUM_CLASSES, depth: c.model.depth, baseWidth: c.model.width, batchNorm: c.model.batchNorm, generator: new Generator(seed * 7919 + 17) });
}

/** The shuffled batches of epoch `epoch` (1-based) under `seed`. */
export function epochLoader(images: Dataset<LandCoverSample>, batchSize: number, seed: number, epoch: number): DataLoader<LandCoverSample> {
  return new DataLoader(images, { batchSize, shuffle: true, generator: new Generator(seed * 100_003 + epoch + 1) });
}

/** The run's config: read back when resuming, else checked (refusing to overwrite another run). */
export function prepareConfig(runDir: string, config: LandCoverConfig | undefined, resume: boolean): LandCoverConfig {
  const p = runPaths(runDir).config;
  if (resume) {
    try {
      return validateConfig(JSON.parse(readFileSync(p, 'utf8')) as LandCoverConfig);
    } catch (err) {
      throw new UsageError(`--resume: cannot use ${p}: ${(err as Error).message}`);
    }
  }
  usage(config !== undefined, 'train: no configuration given');
  usage(!existsSync(p), `--out: ${runDir} already holds a run; continue it with --resume ${runDir}, or choose another --out`);
  return validateConfig(config);
}

/** One unit per (seed, variant), restored from its last training state when resuming. */
export function buildUnits(runDir: string, c: LandCoverConfig, weights: Record<ClassWeightScheme, number[]>, saved: UnitProgress[]): Unit[] {
  const units: Unit[] = [];
  for (const seed of seedList(c)) {
    const init = new Map<string, Tensor>([...buildModel(c, seed).stateDict()].map(([k, t]) => [k, t.clone()]));
    for (const variant of c.variants) {
      const model = buildModel(c, seed);
      model.loadStateDict(init);
      const optim = new Adam(model.parameters(), { lr: c.lr });
      const old = saved.find((u) => u.variant === variant && u.seed === seed);
      const progress = old ? { ...old } : { variant, seed, epochs: 0, steps: 0, trainSeconds: 0, bestMiou: -1, bestEpoch: 0 };
      if (progress.epochs > 0) loadTrainingState(runPaths(runDir).state(variant, seed, progress.epochs), model, optim);
      units.push({ progress, model, optim, loss: makeLoss(variant, c.focalGamma, weights) });
    }
  }
  return units;
}

export interface EpochHooks {
  shouldStop(): boolean;
  onStep(): void;
}

/** One epoch of `unit`; null when stopped part-way (a resumed run restarts the epoch from its saved start). */
export async function trainEpoch(unit: Unit, train: Split, c: LandCoverConfig, epoch: number, hooks: EpochHooks): Promise<{ loss: number; steps: number; seconds: number } | null> {
  const { model, optim, loss, progress } = unit;
  model.train();
  let sum = 0;
  let steps = 0;
  let seconds = 0;
  for (const b of epochLoader(train.images, c.batchSize, progress.seed, epoch)) {
    await yieldToEvents(); // lets a Ctrl-C in
    if (hooks.shouldStop()) return null;
    const t0 = performance.now();
    optim.zeroGrad();
    const value = loss(model.forward(b.image), b.mask);
    value.backward();
    optim.step();
    sum += value.item() * b.image.shape[0]!;
    steps++;
    seconds += (performance.now() - t0) / 1000;
    hooks.onStep();
  }
  return { loss: sum / train.images.length, steps, seconds };
}

/** The best checkpoint: the state dict, and in its metadata what rebuilds the model. */
export function saveBest(path: string, model: Segmenter, c: LandCoverConfig, meta: { variant: VariantName; seed: number; epoch: number; miou: number }): void {
  makeFolder(dirname(path));
  save(model, path, { metadata: { format: CHECKPOINT_FORMAT, model: JSON.stringify(c.model), variant: meta.variant, seed: String(meta.seed), epoch: String(meta.epoch), valMiou: String(meta.miou) } });
}

export function loadBest(path: string, c: LandCoverConfig): { model: UNet; epoch: number } {
  const { tensors, metadata } = loadFile(path);
  usage(metadata.format === CHECKPOINT_FORMAT, `${path} is not a land-cover checkpoint (no format '${CHECKPOINT_FORMAT}' in its metadata)`);
  const model = buildModel(c, 0);
  model.loadStateDict(tensors);
  model.eval();
  return { model, epoch: Number(metadata.epoch) };
}


export { runPaths };
