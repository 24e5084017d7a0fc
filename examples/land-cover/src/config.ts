/**
 * The experiment's configuration: everything that decides its numbers, saved as the run folder's
 * config.json so that `--resume` rebuilds exactly the same thing.
 */
import { usage } from '@tessera/example-change-detection/kit';
import { VARIANTS, type VariantName } from './losses.js';

export interface LandCoverConfig {
  variants: VariantName[];
  focalGamma: number;
  /** The U-Net: 2× downsamplings, channels of the first stage, batch norm after each conv. */
  model: { depth: number; width: number; batchNorm: boolean };
  /** Synthetic scenes: side in pixels, images per split, data seed. */
  data: { size: number; train: number; val: number; test: number; seed: number };
  epochs: number;
  batchSize: number;
  /** Adam's learning rate. */
  lr: number;
  /** Seeds seedBase, …, seedBase + seeds − 1; each fixes the initial weights and the batch order. */
  seeds: number;
  seedBase: number;
  /** Probability bins (thresholds 0, 1/B, …) of the per-class precision–recall curves. */
  prBins: number;
}

// Sized for a run of under 10 minutes on a 2-core machine with the wasm kernels (measured figures in
// docs/land-cover.md): 8 variants × 3 seeds × 8 epochs × 12 steps of 8 images of 64×64.
export const DEFAULT_CONFIG: LandCoverConfig = {
  variants: [...VARIANTS],
  focalGamma: 2,
  model: { depth: 3, width: 8, batchNorm: true },
  data: { size: 64, train: 96, val: 32, test: 48, seed: 0 },
  epochs: 8,
  batchSize: 8,
  lr: 3e-3,
  seeds: 3,
  seedBase: 0,
  prBins: 50,
};

export function seedList(c: LandCoverConfig): number[] {
  return Array.from({ length: c.seeds }, (_, k) => c.seedBase + k);
}

const positiveInt = (option: string, v: number): void => usage(Number.isInteger(v) && v > 0, `${option}: must be a positive integer, got ${v}`);

/** Checks every field; throws a UsageError naming the option at fault. */
export function validateConfig(c: LandCoverConfig): LandCoverConfig {
  usage(c.variants.length > 0, '--variants: give at least one variant');
  for (const v of c.variants) usage((VARIANTS as readonly string[]).includes(v), `--variants: unknown variant '${v}' (known: ${VARIANTS.join(', ')})`);
  usage(new Set(c.variants).size === c.variants.length, `--variants: a variant is listed twice (${c.variants.join(',')})`);
  usage(c.focalGamma >= 0, `--focal-gamma: must be >= 0, got ${c.focalGamma}`);
  positiveInt('--depth', c.model.depth);
  positiveInt('--width', c.model.width);
  positiveInt('--size', c.data.size);
  usage(c.data.size >= 16, `--size: the scene generator needs images of at least 16 pixels, got ${c.data.size}`);
  const multiple = 2 ** c.model.depth;
  usage(c.data.size % multiple === 0, `--size: a U-Net of depth ${c.model.depth} needs a size that is a multiple of ${multiple}, got ${c.data.size}`);
  positiveInt('--train', c.data.train);
  positiveInt('--val', c.data.val);
  positiveInt('--test', c.data.test);
  usage(Number.isInteger(c.data.seed), `--data-seed: must be an integer, got ${c.data.seed}`);
  positiveInt('--epochs', c.epochs);
  positiveInt('--batch-size', c.batchSize);
  usage(c.lr > 0 && Number.isFinite(c.lr), `--lr: must be a positive number, got ${c.lr}`);
  positiveInt('--seeds', c.seeds);
  usage(Number.isInteger(c.seedBase) && c.seedBase >= 0, `--seed: must be a non-negative integer, got ${c.seedBase}`);
  usage(Number.isInteger(c.prBins) && c.prBins >= 2, `--pr-bins: must be an integer >= 2, got ${c.prBins}`);
  return c;
}
