/**
 * exp, log, sqrt, abs. Gradients:
 *   d exp(x) = grad · exp(x)     d log(x) = grad / x
 *   d sqrt(x) = grad / (2·sqrt(x))     d |x| = grad · sign(x)   (0 at x = 0, as PyTorch)
 *
 * @example
 * exp(tensor([0, 1])) // tensor([1, 2.7183]); PyTorch: torch.exp(x)
 */
import { record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { div, mul } from './arithmetic.js';
import { assertTensor, requireFloat, unaryForward } from './util.js';

export function exp(x: Tensor): Tensor {
  requireFloat('exp', 'input', x);
  const y = unaryForward('exp', x);
  return record(y, 'exp', [x], (grad) => [mul(grad, y)], { saved: [y] });
}

export function log(x: Tensor): Tensor {
  requireFloat('log', 'input', x);
  return record(unaryForward('log', x), 'log', [x], (grad) => [div(grad, x)], { saved: [x] });
}

export function sqrt(x: Tensor): Tensor {
  requireFloat('sqrt', 'input', x);
  const y = unaryForward('sqrt', x);
  return record(y, 'sqrt', [x], (grad) => [div(grad, mul(y, 2))], { saved: [y] });
}

export function abs(x: Tensor): Tensor {
  assertTensor('abs', 'input', x);
  return record(unaryForward('abs', x), 'abs', [x], (grad) => [mul(grad, unaryForward('sign', x))], { saved: [x] });
}
