/**
 * Builds the segmenter and its optimiser from the configuration. The initial weights depend only on
 * (model config, seed): every variant of a seed starts from a copy of the same state dict.
 */
import { Generator, type Tensor } from '@tessera/core';
import { Adam, AdamW, FCEF, FCSiamDiff, SGD, type Module, type OptimizerStateDict } from '@tessera/nn';
import type { ExperimentConfig, ModelConfig } from './config.js';

/** A change-detection segmenter: two (N, 3, H, W) images in, (N, 2, H, W) logits out. */
export type Segmenter = Module & { forward(t1: Tensor, t2: Tensor): Tensor };

/** The generator seed of the model initialisation under experiment seed `seed`. */
export function initSeed(seed: number): number {
  return seed * 7919 + 17;
}

/** A freshly initialised model, its weights drawn from a generator seeded by `seed`. */
export function buildModel(cfg: ModelConfig, seed: number): Segmenter {
  const options = { depth: cfg.depth, baseWidth: cfg.width, batchNorm: cfg.batchNorm, generator: new Generator(initSeed(seed)) };
  return cfg.name === 'FCEF' ? new FCEF(options) : new FCSiamDiff(options);
}

/** What the training loop needs of an optimiser. */
export interface Optim {
  step(): void;
  zeroGrad(): void;
  stateDict(): OptimizerStateDict;
  loadStateDict(dict: OptimizerStateDict): void;
}

/** The optimiser of the configuration over the model's parameters. */
export function buildOptimizer(model: Module, c: ExperimentConfig): Optim {
  const params = model.parameters();
  switch (c.optimizer) {
    case 'adam':
      return new Adam(params, { lr: c.lr, weightDecay: c.weightDecay });
    case 'adamw':
      return new AdamW(params, { lr: c.lr, weightDecay: c.weightDecay });
    case 'sgd':
      return new SGD(params, { lr: c.lr, momentum: c.momentum, weightDecay: c.weightDecay });
  }
}

/** A deep copy of a module's state dict (the module keeps training; the copy does not move). */
export function snapshot(model: Module): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  for (const [k, t] of model.stateDict()) out.set(k, t.clone());
  return out;
}

/** A one-line description of the model for the report and the terminal. */
export function describeModel(cfg: ModelConfig, model: Module): string {
  const params = model.numParameters().toLocaleString('en-US');
  return `${cfg.name} (depth ${cfg.depth}, width ${cfg.width}, batch norm ${cfg.batchNorm ? 'on' : 'off'}), ${params} parameters`;
}
