/**
 * focalLoss(input, target, { alpha, gamma = 2, ignoreIndex = -100, reduction = 'mean' }): the
 * multi-class focal loss of Lin et al. 2017 ("Focal Loss for Dense Object Detection"), which
 * down-weights well-classified positions. Composed from primitives (logSoftmax, gather, exp, pow), so
 * autograd differentiates it; no fused node.
 *
 * input: logits (N, C, d1..dk) or (C); target: int32 class indices of shape (N, d1..dk) or ().
 * With p_y the softmax probability of the target class and α_y its alpha (a tensor of C per-class
 * values, one number for every class, or 1 when omitted):
 *   FL_i = −α_y·(1 − p_y)^γ·log p_y     (0 where y = ignoreIndex)
 *   'mean' = Σ_i FL_i / (number of non-ignored positions)   — NaN, with a zero gradient, when all are ignored
 *   'sum' = Σ_i FL_i; 'none' has shape (N, d1..dk).
 * 'mean' averages over positions as the paper and torchvision do; it is not crossEntropy's weighted
 * mean (Σ α_y·… / Σ α_y). With γ = 0 and alpha = weight, 'sum' and 'none' equal crossEntropy's.
 *
 * @example
 * const logits = tensor([[2, 0.5, -1], [0.1, 1, 0.3]], { requiresGrad: true });
 * focalLoss(logits, tensor([0, 2], { dtype: 'int32' }), { alpha: tensor([0.25, 1, 1]), gamma: 2 });
 * // PyTorch (no built-in): (-alpha[y] * (1 - p_y)**gamma * log_p_y).mean(), p = F.softmax(logits, 1)
 */
import { checkOptions } from '../args.js';
import { add, mul, neg, sub, div } from '../ops/arithmetic.js';
import { ne } from '../ops/compare.js';
import { gather } from '../ops/gather.js';
import { indexSelect } from '../ops/index-select.js';
import { checkIgnoreIndex, checkIndexTargets, checkReduction, classLayout, classWeightData, type Reduction } from '../ops/loss-args.js';
import { pow } from '../ops/pow.js';
import { reshape, squeeze, unsqueeze } from '../ops/reshape.js';
import { logSoftmax } from '../ops/softmax.js';
import { sum } from '../ops/sum.js';
import { exp } from '../ops/unary-math.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';

export interface FocalLossOptions {
  /** Per-class balance α: a float tensor of shape [C], or one number for all classes (default 1). */
  alpha?: Tensor | number;
  /** Focusing parameter γ ≥ 0 (default 2; 0 gives cross-entropy). */
  gamma?: number;
  /** Target value whose positions get zero loss and gradient (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const OP = 'focalLoss';

export function focalLoss(input: Tensor, target: Tensor, options: FocalLossOptions = {}): Tensor {
  checkOptions(OP, options, ['alpha', 'gamma', 'ignoreIndex', 'reduction']);
  const { alpha, gamma = 2, ignoreIndex = -100, reduction = 'mean' } = options;
  const layout = classLayout(OP, input);
  checkReduction(OP, reduction);
  checkIgnoreIndex(OP, ignoreIndex);
  if (typeof gamma !== 'number' || !(gamma >= 0 && Number.isFinite(gamma))) {
    throw new Error(`${OP}: gamma must be a finite number >= 0, got ${String(gamma)}`);
  }
  if (typeof alpha === 'number' && !Number.isFinite(alpha)) throw new Error(`${OP}: alpha must be finite, got ${alpha}`);
  if (alpha !== undefined && typeof alpha !== 'number') classWeightData(OP, alpha, layout.c, 'alpha');
  const t = checkIndexTargets(OP, input, target, layout, ignoreIndex);
  const d = layout.classDim;
  const keep = ne(target, ignoreIndex);
  const safe = where(keep, target, 0); // ignored positions read class 0, then are masked out
  const logPt = squeeze(gather(logSoftmax(input, d), d, unsqueeze(safe, d)), d);
  // γ = 0 skips the modulating factor: pow(0, 0)'s gradient would be 0·∞ where p_y = 1.
  let loss = gamma === 0 ? neg(logPt) : neg(mul(pow(sub(1, exp(logPt)), gamma), logPt));
  if (typeof alpha === 'number') loss = mul(loss, alpha);
  else if (alpha !== undefined) loss = mul(loss, reshape(indexSelect(alpha.to(input.dtype), 0, reshape(safe, [safe.size])), safe.shape));
  loss = where(keep, loss, 0);
  if (reduction === 'none') return loss;
  const total = sum(loss);
  if (reduction === 'sum') return total;
  let counted = 0;
  for (let i = 0; i < t.length; i++) if (t[i] !== ignoreIndex) counted++;
  // Every target ignored: 0/0 = NaN as crossEntropy, with a zero gradient (dividing by 0 would make it ∞·0).
  return counted === 0 ? add(mul(total, 0), Number.NaN) : div(total, counted);
}
