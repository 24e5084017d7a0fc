/**
 * The compared losses: the same U-Net, data and batches, a different loss. Logits (N, 5, H, W),
 * int32 targets (N, H, W) with IGNORE on uncertain borders; every loss leaves those pixels out.
 *
 * - `ce`: unweighted cross-entropy, the baseline.
 * - `ce-<scheme>`: cross-entropy with @tessera/core's `classWeights(trainMasks, { scheme })` for each
 *   scheme (balanced, inverse, median, enet, effective), from the training masks.
 * - `focal`: focal loss, gamma `--focal-gamma`, no per-class alpha (the down-weighting of easy pixels alone).
 * - `dice`: soft Dice averaged over the five classes.
 */
import { classWeights, crossEntropy, diceLoss, focalLoss, Tensor, type ClassWeightScheme } from '@tessera/core';
import type { NdArray } from '@tessera/data';
import { IGNORE, NUM_CLASSES } from './scenes.js';

export const SCHEMES = ['balanced', 'inverse', 'median', 'enet', 'effective'] as const satisfies readonly ClassWeightScheme[];
export const VARIANTS = ['ce', ...SCHEMES.map((s) => `ce-${s}` as const), 'focal', 'dice'] as const;
export type VariantName = (typeof VARIANTS)[number];

export type LossFn = (logits: Tensor, target: Tensor) => Tensor;

/** The scheme of a `ce-<scheme>` variant, or null. */
export function schemeOf(v: VariantName): ClassWeightScheme | null {
  return v.startsWith('ce-') ? (v.slice(3) as ClassWeightScheme) : null;
}

/** Each scheme's class weights from the training masks (IGNORE not counted). */
export function weightsBySchemes(masks: NdArray<Int32Array>): Record<ClassWeightScheme, number[]> {
  const target = new Tensor(masks.data, masks.shape);
  const out = {} as Record<ClassWeightScheme, number[]>;
  for (const scheme of SCHEMES) out[scheme] = Array.from(classWeights(target, { scheme, ignoreIndex: IGNORE, numClasses: NUM_CLASSES }).data);
  return out;
}

export function makeLoss(variant: VariantName, gamma: number, weights: Record<ClassWeightScheme, number[]>): LossFn {
  const scheme = schemeOf(variant);
  if (scheme !== null) {
    const weight = new Tensor(Float32Array.from(weights[scheme]), [NUM_CLASSES]);
    return (logits, target) => crossEntropy(logits, target, { weight, ignoreIndex: IGNORE });
  }
  switch (variant) {
    case 'focal':
      return (logits, target) => focalLoss(logits, target, { gamma, ignoreIndex: IGNORE });
    case 'dice':
      return (logits, target) => diceLoss(logits, target, { ignoreIndex: IGNORE });
    default:
      return plainCe;
  }
}

/** The unweighted cross-entropy: the training loss of `ce`, and every variant's comparable validation loss. */
export const plainCe: LossFn = (logits, target) => crossEntropy(logits, target, { ignoreIndex: IGNORE });

/** One line on a variant for the report. */
export function describeVariant(v: VariantName, gamma: number, weights: Record<ClassWeightScheme, number[]>): string {
  const scheme = schemeOf(v);
  if (scheme !== null) return `cross-entropy with '${scheme}' class weights [${weights[scheme].map((w) => w.toPrecision(3)).join(', ')}]`;
  return v === 'ce' ? 'cross-entropy, unweighted' : v === 'focal' ? `focal loss, gamma ${gamma}` : 'soft Dice, mean over the 5 classes';
}
