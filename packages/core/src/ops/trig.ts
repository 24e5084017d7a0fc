/**
 * sin and cos, elementwise. Gradients:
 *   d sin(x) = grad · cos(x)        d cos(x) = −grad · sin(x)
 *
 * @example
 * sin(tensor([0, Math.PI / 2])) // tensor([0, 1]); PyTorch: torch.sin(x)
 * cos(tensor([0, Math.PI])) // tensor([1, -1]); PyTorch: torch.cos(x)
 */
import { record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { mul, neg } from './arithmetic.js';
import { requireFloat, unaryForward } from './util.js';

export function sin(x: Tensor): Tensor {
  requireFloat('sin', 'input', x);
  return record(unaryForward('sin', x), 'sin', [x], (grad) => [mul(grad, cos(x))], { saved: [x] });
}

export function cos(x: Tensor): Tensor {
  requireFloat('cos', 'input', x);
  return record(unaryForward('cos', x), 'cos', [x], (grad) => [mul(grad, neg(sin(x)))], { saved: [x] });
}
