/**
 * The experiment's configuration: everything that decides its numbers, saved as the run folder's
 * config.json so that `--resume` and `predict` can rebuild exactly the same thing.
 */
import { usage } from './errors.js';
import { VARIANTS, WEIGHT_SCHEMES, type VariantName, type WeightScheme } from './variants.js';

export const MODELS = ['FCSiamDiff', 'FCEF'] as const;
export type ModelName = (typeof MODELS)[number];
export const OPTIMIZERS = ['adam', 'adamw', 'sgd'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface ModelConfig {
  name: ModelName;
  /** Number of 2× downsamplings; H and W must be multiples of 2^depth. */
  depth: number;
  /** Channels of the first encoder stage (doubled at each stage). */
  width: number;
  batchNorm: boolean;
}

export interface DataConfig {
  /** Image side in pixels; with `dir`, the side of the square tiles cut from the folder's images. */
  size: number;
  /** A folder in the LEVIR-CD layout (dir/{train,val,test}/{A,B,label}) instead of synthetic pairs. */
  dir?: string;
  /** With `dir`: distance between tile origins (default `size`, no overlap). */
  stride?: number;
  /** Synthetic pairs rounded to 8 bits per channel, exactly as the `data` command stores them in PNG files. */
  quantize?: boolean;
  train: number;
  val: number;
  test: number;
  changeFraction: number;
  nuisance: number;
  seed: number;
}

export interface ExperimentConfig {
  variants: VariantName[];
  weightScheme: WeightScheme;
  focalGamma: number;
  model: ModelConfig;
  data: DataConfig;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerName;
  lr: number;
  weightDecay: number;
  momentum: number;
  /** Seeds seedBase, seedBase + 1, ..., seedBase + seeds - 1 (model initialisation and batch order). */
  seeds: number;
  seedBase: number;
  /** The validation F1 whose first crossing the summary reports (epochs and seconds). */
  targetF1: number;
  /** Number of fixed validation pairs in the prediction grid. */
  gridPairs: number;
  /** Number of probability bins (thresholds 0, 1/B, …) of the precision–recall curves. */
  prBins: number;
}

export const DEFAULT_CONFIG: ExperimentConfig = {
  variants: ['ce', 'weighted-ce'],
  weightScheme: 'balanced',
  focalGamma: 2,
  // Measured with the wasm kernels on this 2-core machine: a 64×64 step of this model at batch 8 takes
  // ~235 ms, so 3 seeds × 2 variants × 12 epochs × 20 steps (+ evaluation) run in about 5–6 minutes.
  model: { name: 'FCSiamDiff', depth: 3, width: 8, batchNorm: true },
  data: { size: 64, train: 160, val: 48, test: 48, changeFraction: 0.03, nuisance: 1, seed: 0 },
  epochs: 12,
  batchSize: 8,
  optimizer: 'adam',
  lr: 3e-3,
  weightDecay: 0,
  momentum: 0.9,
  seeds: 3,
  seedBase: 0,
  targetF1: 0.5,
  gridPairs: 4,
  prBins: 50,
};

/** The integer seeds of the experiment, in order. */
export function seedList(config: ExperimentConfig): number[] {
  return Array.from({ length: config.seeds }, (_, k) => config.seedBase + k);
}

/** Checks every field; throws a UsageError naming the option at fault. */
export function validateConfig(c: ExperimentConfig): ExperimentConfig {
  usage(c.variants.length > 0, '--variants: give at least one variant');
  for (const v of c.variants) {
    usage((VARIANTS as readonly string[]).includes(v), `--variants: unknown variant '${v}' (known: ${VARIANTS.join(', ')})`);
  }
  usage(new Set(c.variants).size === c.variants.length, `--variants: a variant is listed twice (${c.variants.join(',')})`);
  usage((WEIGHT_SCHEMES as readonly string[]).includes(c.weightScheme),
    `--weight-scheme: unknown scheme '${c.weightScheme}' (known: ${WEIGHT_SCHEMES.join(', ')})`);
  usage((MODELS as readonly string[]).includes(c.model.name), `--model: unknown model '${c.model.name}' (known: ${MODELS.join(', ')})`);
  usage((OPTIMIZERS as readonly string[]).includes(c.optimizer),
    `--optimizer: unknown optimiser '${c.optimizer}' (known: ${OPTIMIZERS.join(', ')})`);
  positiveInt('--depth', c.model.depth);
  positiveInt('--width', c.model.width);
  positiveInt('--size', c.data.size);
  usage(c.data.dir !== undefined || c.data.size >= 16, `--size: the data generator needs images of at least 16 pixels, got ${c.data.size}`);
  if (c.data.stride !== undefined) {
    usage(c.data.dir !== undefined, '--stride: only with --data (tiles of a folder\'s images)');
    usage(Number.isInteger(c.data.stride) && c.data.stride >= 1 && c.data.stride <= c.data.size,
      `--stride: must be an integer in [1, --size = ${c.data.size}], got ${c.data.stride}`);
  }
  usage(!(c.data.quantize && c.data.dir !== undefined), '--quantize: only for synthetic pairs (a folder\'s images are 8-bit already)');
  const multiple = 2 ** c.model.depth;
  usage(c.data.size % multiple === 0,
    `--size: ${c.model.name} with depth ${c.model.depth} needs a size that is a multiple of ${multiple}, got ${c.data.size}`);
  positiveInt('--train', c.data.train);
  positiveInt('--val', c.data.val);
  positiveInt('--test', c.data.test);
  usage(c.data.changeFraction > 0 && c.data.changeFraction < 1, `--change-fraction: must be in (0, 1), got ${c.data.changeFraction}`);
  usage(c.data.nuisance >= 0, `--nuisance: must be >= 0, got ${c.data.nuisance}`);
  usage(Number.isInteger(c.data.seed), `--data-seed: must be an integer, got ${c.data.seed}`);
  positiveInt('--epochs', c.epochs);
  positiveInt('--batch-size', c.batchSize);
  usage(c.lr > 0 && Number.isFinite(c.lr), `--lr: must be a positive number, got ${c.lr}`);
  usage(c.weightDecay >= 0, `--weight-decay: must be >= 0, got ${c.weightDecay}`);
  usage(c.momentum >= 0 && c.momentum < 1, `--momentum: must be in [0, 1), got ${c.momentum}`);
  usage(c.focalGamma >= 0, `--focal-gamma: must be >= 0, got ${c.focalGamma}`);
  positiveInt('--seeds', c.seeds);
  usage(Number.isInteger(c.seedBase) && c.seedBase >= 0, `--seed: must be a non-negative integer, got ${c.seedBase}`);
  usage(c.targetF1 > 0 && c.targetF1 <= 1, `--target-f1: must be in (0, 1], got ${c.targetF1}`);
  usage(Number.isInteger(c.gridPairs) && c.gridPairs >= 0, `--grid-pairs: must be a non-negative integer, got ${c.gridPairs}`);
  usage(Number.isInteger(c.prBins) && c.prBins >= 2, `--pr-bins: must be an integer >= 2, got ${c.prBins}`);
  return c;
}

function positiveInt(option: string, value: number): void {
  usage(Number.isInteger(value) && value > 0, `${option}: must be a positive integer, got ${value}`);
}
