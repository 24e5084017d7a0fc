/**
 * erf(x) = 2/√π ∫₀ˣ exp(−t²) dt, elementwise (the kernel: kernels/erf.ts, ~1e-15 relative error).
 *   d erf(x) = grad · 2/√π · exp(−x²)
 *
 * @example
 * erf(tensor([0, 1])) // tensor([0, 0.8427]); PyTorch: torch.erf(x)
 */
import { record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { mul, neg } from './arithmetic.js';
import { exp } from './unary-math.js';
import { requireFloat, unaryForward } from './util.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

export function erf(x: Tensor): Tensor {
  requireFloat('erf', 'input', x);
  return record(unaryForward('erf', x), 'erf', [x], (grad) => [mul(grad, mul(exp(neg(mul(x, x))), TWO_OVER_SQRT_PI))], { saved: [x] });
}
