/**
 * pow(a, b) = a^b, broadcasting. Gradients (PyTorch's derivatives.yaml):
 *   d/da = grad · b · a^(b−1), set to 0 where b = 0 (so 0^0 has gradient 0, not 0·0^−1 = NaN)
 *   d/db = grad · a^b · ln(a), set to 0 where a = 0 and b ≥ 0
 *
 * @example
 * pow(tensor([1, 2, 3]), 2) // tensor([1, 4, 9]); PyTorch: torch.pow(x, 2)
 */
import { record } from '../engine.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { mul, operands, sub } from './arithmetic.js';
import { eq, ge } from './compare.js';
import { log } from './unary-math.js';
import { binaryForward, requireFloat } from './util.js';
import { where } from './where.js';

export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, e] = operands('pow', a, b);
  requireFloat('pow', 'input', x);
  const y = binaryForward('pow', x, e);
  return record(y, 'pow', [x, e], (grad, needs) => [
    needs[0] ? mul(grad, where(eq(e, 0), 0, mul(e, pow(x, sub(e, 1))))) : null,
    needs[1] ? mul(grad, where(mul(eq(x, 0), ge(e, 0)), 0, mul(y, log(x)))) : null,
  ], { saved: e.requiresGrad ? [x, e, y] : [x, e] });
}
