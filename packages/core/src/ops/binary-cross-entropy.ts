/**
 * binaryCrossEntropyWithLogits(input, target, { weight, posWeight, reduction = 'mean' }): sigmoid
 * and binary cross-entropy in one node, as PyTorch's F.binary_cross_entropy_with_logits. Fused for
 * numerical stability: with m = max(−x, 0), softplus(−x) = −log σ(x) = log(e^−m + e^(−x−m)) + m stays
 * finite for any logit (PyTorch's formula).
 *   ℓ = w·[(1 − t)·x + (1 + (pw − 1)·t)·softplus(−x)]  = −w·[pw·t·log σ(x) + (1 − t)·log(1 − σ(x))]
 *   'mean' = Σ ℓ / numel, 'sum' = Σ ℓ, 'none' keeps the input's shape.
 * weight broadcasts to the input's shape; posWeight (pw, the weight of positive examples) too,
 * usually of shape [classes] along the last dim. Gradients (closed form, as PyTorch's):
 *   ∂ℓ/∂x = w·[(1 + (pw − 1)·t)·σ(x) − pw·t]       ∂ℓ/∂t = w·[(pw − 1)·softplus(−x) − x]
 * No gradient flows to weight or posWeight.
 *
 * @example
 * const x = tensor([0.5, -1, 2], { requiresGrad: true });
 * binaryCrossEntropyWithLogits(x, tensor([1, 0, 1])); // PyTorch: F.binary_cross_entropy_with_logits(x, t)
 */
import { checkOptions } from '../args.js';
import { isFloatDType } from '../dtype.js';
import { isGradEnabled, noGrad, record } from '../engine.js';
import { broadcastsTo, formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { relu, sigmoid } from './activations.js';
import { add, div, mul, neg, sub } from './arithmetic.js';
import { checkReduction, type Reduction } from './loss-args.js';
import { sum } from './sum.js';
import { exp, log } from './unary-math.js';
import { assertTensor, requireFloat } from './util.js';

export interface BinaryCrossEntropyOptions {
  /** Rescales each element's loss; broadcasts to the input's shape. */
  weight?: Tensor;
  /** Weight of positive examples; broadcasts to the input's shape. */
  posWeight?: Tensor;
  reduction?: Reduction;
}

const OP = 'binaryCrossEntropyWithLogits';

function checkBroadcast(arg: string, t: Tensor | undefined, shape: readonly number[]): void {
  if (t === undefined) return;
  assertTensor(OP, arg, t);
  if (!isFloatDType(t.dtype) || !broadcastsTo(t.shape, shape)) {
    throw new Error(`${OP}: ${arg} must be a float tensor that broadcasts to the input's shape ${formatShape(shape)}, got ${t.dtype} of shape ${formatShape(t.shape)}`);
  }
}

/** softplus(−x) = log(e^−m + e^(−x−m)) + m with m = max(−x, 0): finite for any logit. */
function softplusOfNeg(x: Tensor): Tensor {
  const m = relu(neg(x));
  return add(log(add(exp(neg(m)), exp(sub(neg(x), m)))), m);
}

export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BinaryCrossEntropyOptions = {}): Tensor {
  checkOptions(OP, options, ['weight', 'posWeight', 'reduction']);
  const { weight, posWeight, reduction = 'mean' } = options;
  requireFloat(OP, 'input', input);
  requireFloat(OP, 'target', target);
  if (!shapesEqual(target.shape, input.shape)) {
    throw new Error(`${OP}: target shape ${formatShape(target.shape)} must be the same as input shape ${formatShape(input.shape)}`);
  }
  checkBroadcast('weight', weight, input.shape);
  checkBroadcast('posWeight', posWeight, input.shape);
  checkReduction(OP, reduction);
  const x = input;
  const t = target;
  // The forward is composed from elementwise ops without recording; the node's backward is closed form.
  const logWeightOf = (): Tensor | null => (posWeight ? add(mul(sub(posWeight, 1), t), 1) : null);
  const [loss, softplusNeg, logWeight] = noGrad(() => {
    const sp = softplusOfNeg(x);
    const lw = logWeightOf();
    let l = add(mul(sub(1, t), x), lw ? mul(lw, sp) : sp);
    if (weight) l = mul(l, weight);
    return [l, sp, lw] as const;
  });
  const n = input.size;
  const out = noGrad(() => (reduction === 'none' ? loss : reduction === 'sum' ? sum(loss) : div(sum(loss), n)));
  return record(out, 'binaryCrossEntropyWithLogits', [input, target], (grad, needs) => {
    const g0 = reduction === 'mean' ? div(grad, n) : grad;
    const g = weight ? mul(g0, weight) : g0;
    const pt = posWeight ? mul(posWeight, t) : t;
    // Under createGraph the pieces that depend on x and t are recomputed with recording on.
    const lw = isGradEnabled() ? logWeightOf() : logWeight;
    const sp = isGradEnabled() && posWeight ? softplusOfNeg(x) : softplusNeg;
    const dx = needs[0] ? mul(g, sub(lw ? mul(lw, sigmoid(x)) : sigmoid(x), pt)) : null;
    const dt = needs[1] ? mul(g, posWeight ? sub(mul(sub(posWeight, 1), sp), x) : neg(x)) : null;
    return [dx, dt];
  }, { saved: [input, target, ...(weight ? [weight] : []), ...(posWeight ? [posWeight] : [])] });
}

