/**
 * gelu(x, { approximate = 'none' }): the Gaussian error linear unit, as PyTorch's `F.gelu`.
 *   'none':  y = x·Φ(x),  Φ(x) = ½(1 + erf(x/√2))
 *            d/dx = grad · (Φ(x) + x·φ(x)),  φ(x) = exp(−x²/2)/√(2π)
 *   'tanh':  y = ½x(1 + tanh(u)),  u = √(2/π)·(x + 0.044715·x³)
 *            d/dx = grad · (½(1 + tanh(u)) + ½x·(1 − tanh²(u))·√(2/π)·(1 + 3·0.044715·x²))
 * The backward is written with ops (erf, exp, tanh, mul, add), so gradients of gradients follow.
 *
 * @example
 * gelu(tensor([-1, 0, 1])) // tensor([-0.1587, 0, 0.8413]); PyTorch: F.gelu(x)
 * gelu(x, { approximate: 'tanh' }) // PyTorch: F.gelu(x, approximate='tanh')
 */
import { checkOptions } from '../args.js';
import { noGrad, record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { tanh } from './activations.js';
import { erf } from './erf.js';
import { exp } from './unary-math.js';
import { requireFloat } from './util.js';

export interface GeluOptions {
  /** 'none' (exact, with erf; default) or 'tanh' (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}

const SQRT1_2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const K_BETA = Math.sqrt(2 / Math.PI);
const K_KAPPA = 0.044715;

/** Φ(x) = ½(1 + erf(x/√2)). */
const cdf = (x: Tensor): Tensor => mul(add(erf(mul(x, SQRT1_2)), 1), 0.5);
/** tanh(√(2/π)·(x + 0.044715·x³)). */
const tanhInner = (x: Tensor): Tensor => tanh(mul(add(x, mul(mul(mul(x, x), x), K_KAPPA)), K_BETA));

export function gelu(x: Tensor, options: GeluOptions = {}): Tensor {
  requireFloat('gelu', 'input', x);
  checkOptions('gelu', options, ['approximate']);
  const { approximate = 'none' } = options;
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new Error(`gelu: approximate must be 'none' or 'tanh', got ${JSON.stringify(approximate)}`);
  }
  if (approximate === 'none') {
    const y = noGrad(() => mul(x, cdf(x)));
    return record(y, 'gelu', [x], (grad) => {
      const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
      return [mul(grad, add(cdf(x), mul(x, pdf)))];
    }, { saved: [x] });
  }
  const y = noGrad(() => mul(mul(x, 0.5), add(tanhInner(x), 1)));
  return record(y, 'gelu', [x], (grad) => {
    const t = tanhInner(x);
    const left = mul(add(t, 1), 0.5);
    const inner = mul(add(mul(mul(x, x), 3 * K_KAPPA), 1), K_BETA);
    const right = mul(mul(mul(x, 0.5), sub(1, mul(t, t))), inner);
    return [mul(grad, add(left, right))];
  }, { saved: [x] });
}
