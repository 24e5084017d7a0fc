/**
 * The lab's settings (the page's controls) and how they map onto the experiment's configuration,
 * so that a lab run trains exactly what `train` would with the same options. DOM-free: the page,
 * its Web Workers and the Node tests share it.
 */
import { DEFAULT_CONFIG, type ExperimentConfig } from '../train/config.js';
import { VARIANTS, WEIGHT_SCHEMES, type VariantName, type WeightScheme } from '../train/variants.js';

/** `classWeights`' schemes, or 'ratio': weights [1, r] for [no change, change] with r = `weightRatio`. */
export const LAB_WEIGHT_SCHEMES = [...WEIGHT_SCHEMES, 'ratio'] as const;
export type LabWeightScheme = WeightScheme | 'ratio';

export interface LabConfig {
  variants: VariantName[];
  /** Target fraction of changed pixels. */
  changeFraction: number;
  weightScheme: LabWeightScheme;
  /** w(change) / w(no change) when weightScheme is 'ratio'. */
  weightRatio: number;
  /** Channels of the first encoder stage. */
  width: number;
  lr: number;
  /** Model initialisation and batch order (shared by every variant). */
  seed: number;
  dataSeed: number;
  /** Pairs in the training and validation splits, and their side in pixels. */
  train: number;
  val: number;
  size: number;
  batchSize: number;
  /** Stop after this many optimiser steps per variant (0: never). */
  maxSteps: number;
  /** Validation pairs whose predictions the page shows. */
  gridPairs: number;
  /** Kernel threads per variant's worker (0: the cores shared out among the variants). */
  threads: number;
}

/**
 * The defaults: the CLI's model, optimiser and batch size on fewer validation pairs, so that on a
 * 2-core laptop `ce` reaches validation F1 ≥ 0.5 in under a minute with both variants training.
 */
export const DEFAULT_LAB_CONFIG: LabConfig = {
  variants: ['ce', 'weighted-ce'],
  changeFraction: DEFAULT_CONFIG.data.changeFraction,
  weightScheme: 'balanced',
  weightRatio: 10,
  width: DEFAULT_CONFIG.model.width,
  lr: DEFAULT_CONFIG.lr,
  seed: 0,
  dataSeed: 0,
  train: DEFAULT_CONFIG.data.train,
  val: 32,
  size: DEFAULT_CONFIG.data.size,
  batchSize: DEFAULT_CONFIG.batchSize,
  maxSteps: 0,
  gridPairs: 4,
  threads: 0,
};

/** The experiment configuration a lab run trains (one seed; the CLI's defaults elsewhere). */
export function experimentConfig(c: LabConfig): ExperimentConfig {
  return {
    ...DEFAULT_CONFIG,
    variants: c.variants,
    weightScheme: c.weightScheme === 'ratio' ? 'balanced' : c.weightScheme,
    model: { ...DEFAULT_CONFIG.model, width: c.width },
    data: { ...DEFAULT_CONFIG.data, size: c.size, train: c.train, val: c.val, test: 1, changeFraction: c.changeFraction, seed: c.dataSeed },
    batchSize: c.batchSize,
    lr: c.lr,
    seeds: 1,
    seedBase: c.seed,
    gridPairs: c.gridPairs,
  };
}

const NUMBERS = ['changeFraction', 'weightRatio', 'width', 'lr', 'seed', 'dataSeed', 'train', 'val', 'size', 'batchSize', 'maxSteps', 'gridPairs', 'threads'] as const;

/** The lab configuration from URL query parameters over the defaults (unknown names are errors). */
export function parseLabQuery(query: string): LabConfig {
  const c: LabConfig = { ...DEFAULT_LAB_CONFIG, variants: [...DEFAULT_LAB_CONFIG.variants] };
  for (const [k, v] of new URLSearchParams(query)) {
    if (k === 'variants') c.variants = v.split(',').filter((s) => s !== '') as VariantName[];
    else if (k === 'weightScheme') c.weightScheme = v as LabWeightScheme;
    else if ((NUMBERS as readonly string[]).includes(k)) c[k as (typeof NUMBERS)[number]] = Number(v);
    else throw new Error(`lab: unknown setting '${k}' in the page address`);
  }
  return validateLabConfig(c);
}

/** Checks the settings the experiment's own validation does not cover; throws naming the setting. */
export function validateLabConfig(c: LabConfig): LabConfig {
  const fail = (what: string): never => {
    throw new Error(`lab: ${what}`);
  };
  for (const v of c.variants) if (!(VARIANTS as readonly string[]).includes(v)) fail(`unknown variant '${v}' (known: ${VARIANTS.join(', ')})`);
  if (!(LAB_WEIGHT_SCHEMES as readonly string[]).includes(c.weightScheme)) fail(`unknown weight scheme '${c.weightScheme}'`);
  if (!(c.weightRatio > 0 && Number.isFinite(c.weightRatio))) fail(`weightRatio must be a positive number, got ${c.weightRatio}`);
  if (!(Number.isInteger(c.maxSteps) && c.maxSteps >= 0)) fail(`maxSteps must be a non-negative integer, got ${c.maxSteps}`);
  if (!(Number.isInteger(c.threads) && c.threads >= 0 && c.threads <= 64)) fail(`threads must be an integer in [0, 64], got ${c.threads}`);
  if (!(Number.isInteger(c.gridPairs) && c.gridPairs >= 0 && c.gridPairs <= c.val)) fail(`gridPairs must be an integer in [0, val], got ${c.gridPairs}`);
  return c;
}
