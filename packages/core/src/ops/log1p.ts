/**
 * log1p(x) = log(1 + x) and expm1(x) = exp(x) − 1, accurate where x is tiny (1 + x and exp(x) would
 * round the information away; kernels Math.log1p and Math.expm1). Gradients, as PyTorch's:
 *   d log1p(x) = grad / (1 + x)        d expm1(x) = grad · (y + 1),  y = expm1(x)
 *
 * @example
 * log1p(tensor([1e-10])) // tensor([1.0000e-10]); PyTorch: torch.log1p(x)
 * expm1(tensor([1e-10])) // tensor([1.0000e-10]); PyTorch: torch.expm1(x)
 */
import { record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { add, div, mul } from './arithmetic.js';
import { requireFloat, unaryForward } from './util.js';

export function log1p(x: Tensor): Tensor {
  requireFloat('log1p', 'input', x);
  return record(unaryForward('log1p', x), 'log1p', [x], (grad) => [div(grad, add(x, 1))], { saved: [x] });
}

export function expm1(x: Tensor): Tensor {
  requireFloat('expm1', 'input', x);
  const y = unaryForward('expm1', x);
  return record(y, 'expm1', [x], (grad) => [mul(grad, add(y, 1))], { saved: [y] });
}
