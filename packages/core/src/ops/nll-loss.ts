/**
 * nllLoss(logProbs, target, { weight, ignoreIndex = -100, reduction = 'mean' }): the negative
 * log-likelihood of log-probabilities, as PyTorch's F.nll_loss. crossEntropy(x) = nllLoss(logSoftmax(x, 1))
 * (without label smoothing); use crossEntropy for logits, it is fused and faster.
 *
 * logProbs: (N, C, d1..dk) or (C). target: int32 class indices of shape (N, d1..dk) or ().
 *   ℓ_i = −w_{y_i}·logProbs[i, y_i]   (0 where y_i = ignoreIndex)
 *   'mean' = Σ_i ℓ_i / Σ_i w_{y_i} over non-ignored positions (NaN when that sum is 0),
 *   'sum' = Σ_i ℓ_i, 'none' has shape (N, d1..dk).
 * Backward: ∂ℓ_i/∂logProbs[i, c] = −w_{y_i}·[c = y_i], divided by Σ w_y under 'mean'. No gradient
 * flows to target or weight.
 *
 * @example
 * const lp = logSoftmax(tensor([[2, 0.5], [0.1, 1]]), 1);
 * nllLoss(lp, tensor([0, 1], { dtype: 'int32' })); // PyTorch: F.nll_loss(lp, target)
 */
import { checkOptions } from '../args.js';
import { allocate, type FloatArray } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { eq, ne } from './compare.js';
import { reshape } from './reshape.js';
import { checkIgnoreIndex, checkIndexTargets, checkReduction, classLayout, classWeightData, type Reduction } from './loss-args.js';

export interface NllLossOptions {
  /** Per-class weights, a float tensor of shape [C]. */
  weight?: Tensor;
  /** Target value whose positions get zero loss and gradient (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const OP = 'nllLoss';

export function nllLoss(logProbs: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  checkOptions(OP, options, ['weight', 'ignoreIndex', 'reduction']);
  const { weight, ignoreIndex = -100, reduction = 'mean' } = options;
  const layout = classLayout(OP, logProbs);
  const { n, c, spatial, positions } = layout;
  checkReduction(OP, reduction);
  checkIgnoreIndex(OP, ignoreIndex);
  const w = classWeightData(OP, weight, c);
  const t = checkIndexTargets(OP, logProbs, target, layout, ignoreIndex);
  const x = logProbs.data as FloatArray;
  const out = allocate(logProbs.dtype, reduction === 'none' ? n * spatial : 1) as FloatArray;
  const totalWeight = kernels().nllLossForward(x, t, w, out, { n, c, spatial, ignoreIndex, reduction });
  const loss = new Tensor(out, reduction === 'none' ? positions : []);
  return record(loss, 'nllLoss', [logProbs], (grad) => {
    const scale = reduction === 'mean' ? 1 / totalWeight : 1;
    if (isGradEnabled()) {
      // Differentiable (createGraph): −scale·grad times the constant w_y·[c = y] (0 where ignored).
      const y = reshape(target, [n, 1, spatial]);
      const ids = new Tensor(Int32Array.from({ length: c }, (_, k) => k), [1, c, 1]);
      const wAll = weight ? reshape(weight.detach().to(logProbs.dtype), [1, c, 1]) : 1;
      const picked = mul(mul(eq(y, ids), ne(y, ignoreIndex)).to(logProbs.dtype), wAll);
      const g = grad.ndim === 0 ? grad : reshape(grad, [n, 1, spatial]);
      return [reshape(mul(picked, mul(g, -scale)), logProbs.shape)];
    }
    const gradInput = allocate(logProbs.dtype, logProbs.size) as FloatArray;
    kernels().nllLossBackward(t, w, grad.data as FloatArray, gradInput, { n, c, spatial, ignoreIndex, reduction, scale });
    return [new Tensor(gradInput, logProbs.shape)];
  }, { saved: weight ? [target, weight] : [target] });
}
