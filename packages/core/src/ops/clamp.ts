/**
 * clamp(x, {min, max}): min(max(x, min), max).
 *   d/dx = grad where min ≤ x ≤ max, else 0   (PyTorch passes the gradient at the bounds)
 * With min > max every element becomes max and the gradient is 0, as in PyTorch.
 *
 * @example
 * clamp(tensor([-2, 0.5, 3]), { min: 0, max: 1 }) // tensor([0, 0.5, 1]); PyTorch: x.clamp(0, 1)
 */
import { checkNumber, checkOptions } from '../args.js';
import { record } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { ge, le } from './compare.js';
import { binaryForward, requireFloat, toTensor } from './util.js';

export interface ClampOptions {
  min?: number;
  max?: number;
}

export function clamp(x: Tensor, options: ClampOptions): Tensor {
  requireFloat('clamp', 'input', x);
  checkOptions('clamp', options, ['min', 'max']);
  const { min, max } = options ?? {};
  checkNumber('clamp', 'min', min, { infinite: true });
  checkNumber('clamp', 'max', max, { infinite: true });
  if (min === undefined && max === undefined) throw new Error('clamp: at least one of min and max must be given');
  let y = x;
  if (min !== undefined) y = binaryForward('maximum', y, toTensor(min, x));
  if (max !== undefined) y = binaryForward('minimum', y, toTensor(max, x));
  return record(y === x ? y.clone().detach() : y, 'clamp', [x], (grad) => {
    let m = grad;
    if (min !== undefined) m = mul(m, ge(x, min).to(grad.dtype));
    if (max !== undefined) m = mul(m, le(x, max).to(grad.dtype));
    return [m];
  }, { saved: [x] });
}
