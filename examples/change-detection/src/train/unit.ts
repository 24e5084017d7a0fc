/**
 * A unit of the experiment: one variant under one seed, with its own model (a copy of the seed's
 * initial weights), optimiser and loss, trained one epoch at a time.
 */
import { batchTensors, trainLoader } from './batches.js';
import { yieldToEvents } from './events.js';
import type { ExperimentConfig } from './config.js';
import type { LossFn } from './losses.js';
import type { Optim, Segmenter } from './model.js';
import type { UnitProgress } from './run-state.js';
import type { Split } from './split.js';

export interface Unit {
  progress: UnitProgress;
  model: Segmenter;
  optim: Optim;
  loss: LossFn;
}

export interface EpochHooks {
  /** True when training must stop before the next step (Ctrl-C, or a step budget in tests). */
  shouldStop(): boolean;
  /** Called after every step. */
  onStep(): void;
}

export interface EpochResult {
  /** Mean training loss over the epoch's pairs. */
  loss: number;
  steps: number;
  seconds: number;
}

/**
 * Trains `unit` for epoch `epoch` (1-based) over the batches of (seed, epoch). Returns null when
 * stopped before the epoch's end: the unit's model and optimiser are then part-way into the epoch,
 * and a resumed run restarts the epoch from the state saved after the previous one.
 */
export async function trainEpoch(unit: Unit, train: Split, config: ExperimentConfig, epoch: number, hooks: EpochHooks): Promise<EpochResult | null> {
  const { model, optim, loss, progress } = unit;
  model.train();
  let sum = 0;
  let steps = 0;
  let seconds = 0;
  for await (const batch of trainLoader(train, config.batchSize, progress.seed, epoch)) {
    await yieldToEvents();
    if (hooks.shouldStop()) return null;
    const t0 = performance.now();
    const b = batchTensors(batch);
    optim.zeroGrad();
    const value = loss(model.forward(b.t1, b.t2), b.target);
    value.backward();
    optim.step();
    sum += value.item() * b.n;
    steps += 1;
    seconds += (performance.now() - t0) / 1000;
    hooks.onStep();
  }
  return { loss: sum / train.pairs.length, steps, seconds };
}
