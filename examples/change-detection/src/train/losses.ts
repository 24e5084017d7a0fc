/**
 * The loss of each variant, built from @tessera/core's losses. Logits (N, 2, H, W), int32 targets
 * (N, H, W), a scalar loss out.
 */
import { classWeights, crossEntropy, diceLoss, focalLoss, tensor, type Tensor } from '@tessera/core';
import type { ExperimentConfig } from './config.js';
import type { VariantName, WeightScheme } from './variants.js';

export type LossFn = (logits: Tensor, target: Tensor) => Tensor;

/** The class weights of `scheme` for the training split's pixel counts [no change, change]. */
export function trainingWeights(counts: readonly [number, number], scheme: WeightScheme): number[] {
  return Array.from(classWeights([...counts], { scheme, numClasses: 2 }).data);
}

/** The loss function of `variant`; `weights` are used by `weighted-ce` only. */
export function makeLoss(variant: VariantName, config: Pick<ExperimentConfig, 'focalGamma'>, weights: readonly number[]): LossFn {
  switch (variant) {
    case 'ce':
      return (logits, target) => crossEntropy(logits, target);
    case 'weighted-ce': {
      const weight = tensor(Float32Array.from(weights));
      return (logits, target) => crossEntropy(logits, target, { weight });
    }
    case 'focal':
      return (logits, target) => focalLoss(logits, target, { gamma: config.focalGamma });
    case 'dice':
      return (logits, target) => diceLoss(logits, target, { classes: [1] });
    case 'ce+dice':
      return (logits, target) => crossEntropy(logits, target).add(diceLoss(logits, target, { classes: [1] }));
  }
}

/** The unweighted cross-entropy, the common yardstick of every variant's validation loss. */
export const plainCe: LossFn = (logits, target) => crossEntropy(logits, target);
