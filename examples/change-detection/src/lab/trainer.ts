/**
 * One variant of a lab run, trained step by step: the same data, initial weights, batches, loss and
 * evaluation as a `train` run with the same settings (it is built from the experiment's own
 * modules), driven one optimiser step at a time so that a Web Worker can pause between steps and
 * report each loss. DOM-free: the lab's workers run it, and the tests run it in Node to compare.
 */
import { noGrad } from '@tessera/core';
import { serialize } from '@tessera/nn';
import { makeDataset } from '../data/dataset.js';
import { batchTensors, evalLoader, stepsPerEpoch, trainLoader } from '../train/batches.js';
import { checkpointMetadata } from '../train/checkpoint-format.js';
import { validateConfig, type ExperimentConfig } from '../train/config.js';
import { evaluate, type Evaluation } from '../train/evaluate.js';
import { makeLoss, trainingWeights, type LossFn } from '../train/losses.js';
import type { EpochRow } from '../train/metrics.js';
import { syntheticSplit, type Split } from '../train/split.js';
import { buildModel, buildOptimizer, type Optim, type Segmenter } from '../train/model.js';
import type { VariantName } from '../train/variants.js';
import { experimentConfig, validateLabConfig, type LabConfig } from './config.js';

export interface LabData {
  train: Split;
  val: Split;
}

/** The training and validation splits of a lab configuration (the pairs a `train` run would draw). */
export function makeLabData(c: LabConfig): LabData {
  const common = { size: c.size, changeFraction: c.changeFraction, nuisance: 1, seed: c.dataSeed };
  return {
    train: syntheticSplit(makeDataset({ ...common, n: c.train, split: 'train' })),
    val: syntheticSplit(makeDataset({ ...common, n: c.val, split: 'val' })),
  };
}

/** The class weights [no change, change] of the configuration for the training split. */
export function labWeights(c: LabConfig, train: Split): number[] {
  return c.weightScheme === 'ratio' ? [1, c.weightRatio] : trainingWeights(train.counts, c.weightScheme);
}

/** p(change) per pixel of the first `n` pairs of `ds`, each (size·size), with the model in eval mode. */
export function pairProbabilities(model: Segmenter, ds: Split, n: number): Float32Array[] {
  if (n === 0) return [];
  const first = evalLoader(ds, n)[Symbol.iterator]().next();
  if (first.done) return [];
  const b = batchTensors(first.value);
  const wasTraining = model.training;
  model.eval();
  const logits = noGrad(() => model.forward(b.t1, b.t2)).data;
  model.train(wasTraining);
  const hw = ds.size * ds.size;
  return Array.from({ length: n }, (_, i) => {
    const p = new Float32Array(hw);
    for (let k = 0; k < hw; k++) p[k] = 1 / (1 + Math.exp(logits[i * 2 * hw + k]! - logits[i * 2 * hw + hw + k]!));
    return p;
  });
}

export interface StepResult {
  /** Optimiser steps so far (1-based count) and the epoch this step belongs to (1-based). */
  step: number;
  epoch: number;
  loss: number;
  /** Whether this step finished its epoch. */
  epochDone: boolean;
}

export class LabTrainer {
  readonly config: LabConfig;
  readonly experiment: ExperimentConfig;
  readonly variant: VariantName;
  readonly data: LabData;
  readonly weights: number[];
  readonly model: Segmenter;
  readonly rows: EpochRow[] = [];
  private readonly optim: Optim;
  private readonly loss: LossFn;
  /** This epoch's batches (the loader `trainEpoch` iterates) and how many are left. */
  private batches: Iterator<Parameters<typeof batchTensors>[0]> | undefined;
  private left = 0;
  private epoch = 0;
  private steps = 0;
  private lossSum = 0;
  private seconds = 0;

  constructor(config: LabConfig, variant: VariantName, data: LabData = makeLabData(config)) {
    this.config = validateLabConfig(config);
    this.experiment = validateConfig(experimentConfig(config));
    this.variant = variant;
    this.data = data;
    this.weights = labWeights(config, data.train);
    this.model = buildModel(this.experiment.model, config.seed);
    this.optim = buildOptimizer(this.model, this.experiment);
    this.loss = makeLoss(variant, this.experiment, this.weights);
  }

  get stepCount(): number {
    return this.steps;
  }

  /** One optimiser step on the next batch of (seed, epoch), as `trainEpoch` takes them. */
  step(): StepResult {
    const { train } = this.data;
    if (this.left === 0 || !this.batches) {
      this.epoch += 1;
      this.batches = trainLoader(train, this.experiment.batchSize, this.config.seed, this.epoch)[Symbol.iterator]();
      this.left = stepsPerEpoch(train.pairs.length, this.experiment.batchSize);
      this.lossSum = 0;
    }
    const t0 = performance.now();
    const next = this.batches.next();
    if (next.done) throw new Error(`lab: epoch ${this.epoch} ran out of batches`);
    const b = batchTensors(next.value);
    this.left -= 1;
    this.model.train();
    this.optim.zeroGrad();
    const value = this.loss(this.model.forward(b.t1, b.t2), b.target);
    value.backward();
    this.optim.step();
    const loss = value.item();
    this.lossSum += loss * b.n;
    this.steps += 1;
    this.seconds += (performance.now() - t0) / 1000;
    return { step: this.steps, epoch: this.epoch, loss, epochDone: this.left === 0 };
  }

  /** Validation after the current epoch's last step; appends the epoch's metrics row. */
  evaluate(): { evaluation: Evaluation; row: EpochRow } {
    const evaluation = evaluate(this.model, this.data.val, this.loss, { batchSize: this.experiment.batchSize, bins: this.experiment.prBins });
    const row: EpochRow = {
      variant: this.variant, seed: this.config.seed, epoch: this.epoch, steps: this.steps, trainSeconds: this.seconds,
      trainLoss: this.lossSum / this.data.train.pairs.length, valLoss: evaluation.loss, valCe: evaluation.ce, ...evaluation.scores, pr: evaluation.pr,
    };
    this.rows.push(row);
    return { evaluation, row };
  }

  /** p(change) per pixel of the first `gridPairs` validation pairs. */
  gridProbabilities(): Float32Array[] {
    return pairProbabilities(this.model, this.data.val, this.config.gridPairs);
  }

  /** The model as a change-detection checkpoint that `predict` loads (safetensors bytes). */
  checkpoint(): Uint8Array {
    const last = this.rows.at(-1);
    const metadata = checkpointMetadata({
      model: this.experiment.model, variant: this.variant, seed: this.config.seed, epoch: last?.epoch ?? 0, valF1: last?.f1 ?? 0,
    });
    return serialize(this.model.stateDict(), { metadata: { ...metadata, steps: String(this.steps), source: 'tessera lab' } });
  }
}
