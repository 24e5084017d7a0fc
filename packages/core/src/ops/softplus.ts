/**
 * softplus(x, { beta = 1, threshold = 20 }) = log(1 + exp(β·x)) / β, and x itself where β·x > threshold
 * (there the two agree to float64 precision and exp would overflow), as PyTorch's `F.softplus`.
 *   d/dx = grad · sigmoid(β·x), and grad where β·x > threshold
 * Its own op rather than the composition log1p(exp(β·x))/β: the composition's backward multiplies
 * by exp(β·x), which is ∞ where β·x is large (∞ · 0 = NaN in the branch `where` discards).
 *
 * @example
 * softplus(tensor([0, 30])) // tensor([0.6931, 30]); PyTorch: F.softplus(x)
 * softplus(x, { beta: 2, threshold: 10 }) // PyTorch: F.softplus(x, beta=2, threshold=10)
 */
import { checkOptions } from '../args.js';
import { noGrad, record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { div, mul } from './arithmetic.js';
import { sigmoid } from './activations.js';
import { gt } from './compare.js';
import { log1p } from './log1p.js';
import { exp } from './unary-math.js';
import { requireFloat } from './util.js';
import { where } from './where.js';

export interface SoftplusOptions {
  /** β in log(1 + exp(β·x)) / β (default 1). */
  beta?: number;
  /** Above β·x > threshold the output is x (default 20). */
  threshold?: number;
}

export function softplus(x: Tensor, options: SoftplusOptions = {}): Tensor {
  requireFloat('softplus', 'input', x);
  checkOptions('softplus', options, ['beta', 'threshold']);
  const { beta = 1, threshold = 20 } = options;
  if (typeof beta !== 'number' || beta === 0 || Number.isNaN(beta)) throw new Error(`softplus: beta must be a non-zero number, got ${beta}`);
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new Error(`softplus: threshold must be a number, got ${threshold}`);
  const linear = noGrad(() => gt(mul(x, beta), threshold));
  const y = noGrad(() => where(linear, x, div(log1p(exp(mul(x, beta))), beta)));
  return record(y, 'softplus', [x], (grad) => [where(linear, grad, mul(grad, sigmoid(mul(x, beta))))], { saved: [x] });
}
