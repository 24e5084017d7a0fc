/**
 * groupNorm(x, numGroups, { weight, bias, eps = 1e-5 }): x of shape (N, C, *) with its C channels in
 * numGroups groups of C/G; each (sample, group) is normalised over its C/G channels and all spatial
 * positions, then each channel is scaled and shifted, as PyTorch's `torch.group_norm`. With D the
 * values of one (sample, group):
 *   μ = mean_D(x),  σ² = mean_D((x − μ)²) (biased),  x̂ = (x − μ)/√(σ² + eps)
 *   y = x̂ · weight[c] + bias[c]                      (weight, bias of shape [C]; either may be absent)
 * Backward, with ĝ = grad · weight[c] (layer norm's formula per group):
 *   dx = r · (ĝ − mean_D(ĝ) − x̂ · mean_D(ĝ · x̂))     dweight[c] = Σ grad · x̂     dbias[c] = Σ grad
 * Written with ops, so gradients of gradients work.
 *
 * @example
 * groupNorm(x, 2, { weight, bias }) // x of shape [N, 4, H, W]; PyTorch: F.group_norm(x, 2, weight, bias)
 */
import { isGradEnabled, noGrad, record } from '../engine.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul } from './arithmetic.js';
import { checkAffine, standardize, standardizeBackward, sumExcept } from './layer-norm.js';
import { reshape } from './reshape.js';
import { requireFloat, requireInteger } from './util.js';
import { checkNumber, checkOptions } from '../args.js';

export interface GroupNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  const op = 'groupNorm';
  checkOptions(op, options, ['weight', 'bias', 'eps']);
  checkNumber(op, 'eps', options.eps);
  requireFloat(op, 'input', x);
  if (x.ndim < 2) throw new Error(`${op}: input must have at least 2 dims (N, C, *), got shape ${formatShape(x.shape)}`);
  requireInteger(op, 'numGroups', numGroups, 1);
  const [n, c] = x.shape as [number, number];
  if (c % numGroups !== 0) throw new Error(`${op}: the ${c} channels of input ${formatShape(x.shape)} cannot be split into ${numGroups} groups`);
  const weight = options.weight ?? null;
  const bias = options.bias ?? null;
  const { eps = 1e-5 } = options;
  checkAffine(op, 'weight', weight, x, [c]);
  checkAffine(op, 'bias', bias, x, [c]);
  if (!(eps >= 0)) throw new Error(`${op}: eps must be >= 0, got ${eps}`);
  const grouped = [n, numGroups, n * c === 0 ? 0 : x.size / (n * numGroups)];
  const perChannel = [c, ...x.shape.slice(2).map(() => 1)]; // weight[c] broadcast over the spatial dims
  const stats = (t: Tensor): { xhat: Tensor; rstd: Tensor } => standardize(reshape(t, grouped), [2], eps);
  const saved = noGrad(() => stats(x));
  const y = noGrad(() => {
    let out = reshape(saved.xhat, x.shape, true);
    if (weight) out = mul(out, reshape(weight, perChannel));
    if (bias) out = add(out, reshape(bias, perChannel));
    return out;
  });
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(y, op, inputs, (grad, needs) => {
    const { xhat, rstd } = isGradEnabled() ? stats(x) : saved; // createGraph: differentiable statistics
    const g = weight ? mul(grad, reshape(weight, perChannel)) : grad;
    const grads: (Tensor | null)[] = [needs[0] ? reshape(standardizeBackward(reshape(g, grouped), xhat, rstd, [2]), x.shape) : null];
    if (weight) grads.push(needs[1] ? sumExcept(mul(grad, reshape(xhat, x.shape)), 1) : null);
    if (bias) grads.push(needs[grads.length] ? sumExcept(grad, 1) : null);
    return grads;
  }, { saved: weight ? [x, weight] : [x] });
}
