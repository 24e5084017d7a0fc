/**
 * batchNormRelu(input, runningMean?, runningVar?, options): relu(batchNorm(input, …)) in one op,
 * fused for speed: the relu is applied in batch norm's affine pass, and its mask read by the
 * backward's two passes (no relu pass, no pre-activation tensor, no separate relu backward).
 * Arguments, options, statistics and running-statistics updates are batchNorm's.
 *
 *   y = max(z, 0),  z = batchNorm(x)          ∂L/∂z = grad · [y > 0]   (0 at z = 0, as relu)
 *   then batchNorm's gradients of x, weight and bias from ∂L/∂z (see batch-norm.ts).
 * [y > 0] is [z > 0], and the kernels apply the relu kernels' selects to the same values, so the
 * results equal the unfused composition bit for bit on both backends. Under grad mode (createGraph)
 * the mask is applied as a product with the constant [y > 0] before batchNorm's backward.
 *
 * @example
 * const y = batchNormRelu(x, runningMean, runningVar, { training: true, weight, bias });
 * // PyTorch: F.relu(F.batch_norm(x, running_mean, running_var, weight, bias, training=True))
 */
import type { Tensor } from '../tensor.js';
import { batchNormWith, type BatchNormOptions } from './batch-norm.js';

export function batchNormRelu(input: Tensor, runningMean?: Tensor | null, runningVar?: Tensor | null, options: BatchNormOptions = {}): Tensor {
  return batchNormWith('batchNormRelu', input, runningMean ?? null, runningVar ?? null, options, true);
}
