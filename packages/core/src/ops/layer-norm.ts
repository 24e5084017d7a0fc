/**
 * layerNorm(x, normalizedShape, { weight, bias, eps = 1e-5 }): normalisation over the last
 * k = normalizedShape.length dims (a single size n is [n]), as PyTorch's `F.layer_norm`. With D those dims:
 *   μ = mean_D(x),  σ² = mean_D((x − μ)²) (biased),  r = 1/√(σ² + eps),  x̂ = (x − μ)·r
 *   y = x̂ · weight + bias          (weight, bias of shape normalizedShape; either may be absent)
 * Backward, with ĝ = grad · weight:
 *   dx = r · (ĝ − mean_D(ĝ) − x̂ · mean_D(ĝ · x̂))     dweight = Σ grad · x̂     dbias = Σ grad
 * (the weight and bias gradients are summed over the leading dims by the engine). Written with ops,
 * so gradients of gradients work; the statistics are recomputed from x then (createGraph), and
 * reused from the forward otherwise.
 *
 * @example
 * layerNorm(x, [4], { weight, bias }) // x of shape [N, 4]; PyTorch: F.layer_norm(x, [4], weight, bias)
 */
import { isGradEnabled, noGrad, record } from '../engine.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, mul, sub } from './arithmetic.js';
import { sum, mean } from './sum.js';
import { sqrt } from './unary-math.js';
import { requireFloat } from './util.js';
import { checkNumber, checkOptions } from '../args.js';

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** x̂ = (x − μ)·r over `dims` (biased variance), and r = 1/√(σ² + eps), keeping dims. Built from ops. */
export function standardize(x: Tensor, dims: readonly number[], eps: number): { xhat: Tensor; rstd: Tensor } {
  const centered = sub(x, mean(x, dims, { keepdim: true }));
  const rstd = div(1, sqrt(add(mean(mul(centered, centered), dims, { keepdim: true }), eps)));
  return { xhat: mul(centered, rstd), rstd };
}

/** The gradient through x̂ = standardize(x): r · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) over `dims`. */
export function standardizeBackward(gxhat: Tensor, xhat: Tensor, rstd: Tensor, dims: readonly number[]): Tensor {
  const m1 = mean(gxhat, dims, { keepdim: true });
  const m2 = mean(mul(gxhat, xhat), dims, { keepdim: true });
  return mul(rstd, sub(sub(gxhat, m1), mul(xhat, m2)));
}

/** Checks an optional affine parameter: float, the input's dtype, the given shape. */
export function checkAffine(op: string, arg: string, t: Tensor | null, input: Tensor, shape: readonly number[]): void {
  if (t === null) return;
  requireFloat(op, arg, t);
  if (t.dtype !== input.dtype) throw new Error(`${op}: ${arg} is ${t.dtype} but input is ${input.dtype}; convert one with .to()`);
  if (!shapesEqual(t.shape, shape)) throw new Error(`${op}: ${arg} must have shape ${formatShape(shape)}, got ${formatShape(t.shape)}`);
}

export function layerNorm(x: Tensor, shape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  const op = 'layerNorm';
  checkOptions(op, options, ['weight', 'bias', 'eps']);
  checkNumber(op, 'eps', options.eps);
  requireFloat(op, 'input', x);
  const weight = options.weight ?? null;
  const bias = options.bias ?? null;
  const { eps = 1e-5 } = options;
  const normalizedShape = typeof shape === 'number' ? [shape] : shape; // a size is [size], as PyTorch
  if (!Array.isArray(normalizedShape) || !normalizedShape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new Error(`${op}: normalizedShape must be a size or a list of sizes (non-negative integers), got ${JSON.stringify(shape)}`);
  }
  const k = normalizedShape.length;
  if (k === 0) throw new Error(`${op}: normalizedShape must have at least one dim, got []`);
  if (k > x.ndim || !shapesEqual(x.shape.slice(x.ndim - k), normalizedShape)) {
    throw new Error(`${op}: normalizedShape ${formatShape(normalizedShape)} must match the last dims of input ${formatShape(x.shape)} ` +
      `(expected input of shape [*, ${normalizedShape.join(', ')}])`);
  }
  checkAffine(op, 'weight', weight, x, normalizedShape);
  checkAffine(op, 'bias', bias, x, normalizedShape);
  if (!(eps >= 0)) throw new Error(`${op}: eps must be >= 0, got ${eps}`);
  const dims = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  const saved = noGrad(() => standardize(x, dims, eps));
  const y = noGrad(() => {
    let out = saved.xhat;
    if (weight) out = mul(out, weight);
    if (bias) out = add(out, bias);
    return out === saved.xhat ? mul(out, 1) : out;
  });
  const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  return record(y, op, inputs, (grad, needs) => {
    const { xhat, rstd } = isGradEnabled() ? standardize(x, dims, eps) : saved; // createGraph: differentiable statistics
    const grads: (Tensor | null)[] = [needs[0] ? standardizeBackward(weight ? mul(grad, weight) : grad, xhat, rstd, dims) : null];
    if (weight) grads.push(needs[1] ? mul(grad, xhat) : null);
    if (bias) grads.push(needs[grads.length] ? grad : null);
    return grads;
  }, { saved: weight ? [x, weight] : [x] });
}

/** Σ over every dim of `t` but `keep` (a per-channel gradient), with ops. */
export function sumExcept(t: Tensor, keep: number): Tensor {
  return sum(t, t.shape.map((_, i) => i).filter((i) => i !== keep));
}
