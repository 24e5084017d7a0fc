/**
 * The time estimate printed before training: time a few steps of a scratch model (its own seed, so
 * the experiment's models and batches are untouched), then extrapolate over the remaining work.
 */
import { noGrad } from '@tessera/core';
import { Subset } from '@tessera/data';
import { batchTensors, evalLoader } from './batches.js';
import type { ExperimentConfig } from './config.js';
import { plainCe } from './losses.js';
import { buildModel, buildOptimizer } from './model.js';
import type { Split } from './split.js';

export interface Timing {
  /** Milliseconds per training step of `batchSize` pairs. */
  stepMs: number;
  /** Milliseconds per evaluation batch of `evalBatchSize` pairs. */
  evalBatchMs: number;
}

export interface Work {
  trainSteps: number;
  evalBatches: number;
}

/** The seed of the scratch model used for timing (never one of the experiment's seeds). */
const SCRATCH_SEED = 987_654_321;

/** Times `timedSteps` training steps (after one warm-up) and one evaluation batch. */
/** The first `n` samples of a split as one batch. */
function firstBatch(split: Split, n: number): ReturnType<typeof batchTensors> {
  const [b] = evalLoader({ ...split, pairs: new Subset(split.pairs, Array.from({ length: Math.min(n, split.pairs.length) }, (_, i) => i)) }, n);
  return batchTensors(b!);
}

export function measureTiming(config: ExperimentConfig, train: Split, val: Split, evalBatchSize: number, timedSteps = 2): Timing {
  const model = buildModel(config.model, SCRATCH_SEED);
  const optim = buildOptimizer(model, config);
  const b = firstBatch(train, config.batchSize);
  const step = (): void => {
    optim.zeroGrad();
    plainCe(model.forward(b.t1, b.t2), b.target).backward();
    optim.step();
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < timedSteps; i++) step();
  const stepMs = (performance.now() - t0) / timedSteps;
  const v = firstBatch(val, evalBatchSize);
  model.eval();
  const t1 = performance.now();
  noGrad(() => plainCe(model.forward(v.t1, v.t2), v.target));
  const evalBatchMs = performance.now() - t1;
  return { stepMs, evalBatchMs };
}

/** Seconds for `work` at `timing`. */
export function estimateSeconds(timing: Timing, work: Work): number {
  return (work.trainSteps * timing.stepMs + work.evalBatches * timing.evalBatchMs) / 1000;
}
