/**
 * The pointwise regression losses of PyTorch, on d = input − target (the two broadcast together, as
 * PyTorch does after its size warning), reduced by `reduction` ('mean' over the broadcast shape's
 * elements — NaN when there are none —, 'sum', or 'none' keeping that shape):
 *   mseLoss:       ℓ = d²                                     ∂ℓ/∂d = 2d
 *   l1Loss:        ℓ = |d|                                    ∂ℓ/∂d = sign(d)   (0 at d = 0 and NaN, as PyTorch 1.13)
 *   smoothL1Loss:  ℓ = ½d²/β where |d| < β, else |d| − ½β     ∂ℓ/∂d = d/β where |d| ≤ β, else sign(d)
 *                  (β = 0 is l1Loss, as PyTorch)
 * and ∂ℓ/∂input = ∂ℓ/∂d, ∂ℓ/∂target = −∂ℓ/∂d (the target may require a gradient too). The backwards
 * are written with ops (sign, where: constants whose own derivative is 0), so gradients of
 * gradients work.
 *
 * @example
 * mseLoss(tensor([1, 2]), tensor([0, 0])) // tensor(2.5) = (1 + 4)/2; PyTorch: F.mse_loss(x, y)
 * smoothL1Loss(x, y, { beta: 0.5, reduction: 'sum' }) // PyTorch: F.smooth_l1_loss(x, y, reduction='sum', beta=0.5)
 */
import { noGrad, record, type OpName } from '../engine.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { div, mul, neg, sub } from './arithmetic.js';
import { gt, lt } from './compare.js';
import { checkReduction, type Reduction } from './loss-args.js';
import { sum } from './sum.js';
import { abs } from './unary-math.js';
import { requireFloat, unaryForward } from './util.js';
import { where } from './where.js';
import { checkOptions } from '../args.js';

export interface RegressionLossOptions {
  reduction?: Reduction;
}

export interface SmoothL1LossOptions extends RegressionLossOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives l1Loss). */
  beta?: number;
}

/** ℓ(d) and ∂ℓ/∂d for one loss, built from ops. */
interface Pointwise {
  loss: (d: Tensor) => Tensor;
  slope: (d: Tensor) => Tensor;
}

function regressionLoss(op: OpName, input: Tensor, target: Tensor, reduction: Reduction, f: Pointwise): Tensor {
  requireFloat(op, 'input', input);
  requireFloat(op, 'target', target);
  checkReduction(op, reduction);
  const shape = broadcastShapes(op, input.shape, target.shape);
  const n = sizeOf(shape);
  const out = noGrad(() => {
    const l = f.loss(sub(input, target));
    return reduction === 'none' ? l : reduction === 'sum' ? sum(l) : div(sum(l), n);
  });
  return record(out, op, [input, target], (grad, needs) => {
    const g = mul(reduction === 'mean' ? div(grad, n) : grad, f.slope(sub(input, target)));
    return [needs[0] ? g : null, needs[1] ? neg(g) : null];
  }, { saved: [input, target] });
}

/** sign(d) as a constant (its derivative is 0 almost everywhere); 0 at 0 and at NaN. */
const sign = (d: Tensor): Tensor => unaryForward('sign', d);

export function mseLoss(input: Tensor, target: Tensor, options: RegressionLossOptions = {}): Tensor {
  checkOptions('mseLoss', options, ['reduction']);
  return regressionLoss('mseLoss', input, target, options.reduction === undefined ? 'mean' : options.reduction, { loss: (d) => mul(d, d), slope: (d) => mul(d, 2) });
}

export function l1Loss(input: Tensor, target: Tensor, options: RegressionLossOptions = {}): Tensor {
  checkOptions('l1Loss', options, ['reduction']);
  return regressionLoss('l1Loss', input, target, options.reduction === undefined ? 'mean' : options.reduction, { loss: abs, slope: sign });
}

export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  checkOptions('smoothL1Loss', options, ['reduction', 'beta']);
  const { beta = 1, reduction = 'mean' } = options;
  if (typeof beta !== 'number' || !(beta >= 0)) throw new Error(`smoothL1Loss: beta must be a number >= 0, got ${beta}`);
  if (beta === 0) return regressionLoss('smoothL1Loss', input, target, reduction, { loss: abs, slope: sign });
  return regressionLoss('smoothL1Loss', input, target, reduction, {
    loss: (d) => where(lt(abs(d), beta), div(mul(mul(d, d), 0.5), beta), sub(abs(d), 0.5 * beta)),
    // As PyTorch's backward: −1 below −β, 1 above β, d/β between (NaN stays NaN)
    slope: (d) => where(lt(d, -beta), -1, where(gt(d, beta), 1, div(d, beta))),
  });
}
