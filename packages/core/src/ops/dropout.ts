/**
 * dropout(input, { p = 0.5, training = true, generator? }): zeroes each element with probability p
 * and scales the survivors by 1/(1 − p), as PyTorch's `F.dropout` (the same mask distribution;
 * the random stream is Tessera's own seedable generator, not PyTorch's).
 *
 *   y = x · mask / (1 − p),   mask ~ Bernoulli(1 − p) elementwise   (p = 1: y = 0)
 *   dx = grad · mask / (1 − p)
 * Not training, or p = 0, returns the input itself.
 *
 * @example
 * dropout(ones([4]), { p: 0.5, generator: new Generator(0) }) // each entry 0 or 2
 * // PyTorch: F.dropout(x, p=0.5, training=True)
 */
import { checkBool, checkOptions, describeValue } from '../args.js';
import { allocate } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { defaultGenerator, Generator } from '../random.js';
import { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { requireFloat } from './util.js';

export interface DropoutOptions {
  p?: number;
  training?: boolean;
  generator?: Generator;
}

export function dropout(input: Tensor, options: DropoutOptions = {}): Tensor {
  requireFloat('dropout', 'input', input);
  checkOptions('dropout', options, ['p', 'training', 'generator']);
  checkBool('dropout', 'training', options.training);
  if (options.generator !== undefined && !(options.generator instanceof Generator)) {
    throw new Error(`dropout: generator must be a Generator, got ${describeValue(options.generator)}`);
  }
  const { p = 0.5, training = true } = options;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new Error(`dropout: probability p has to be between 0 and 1, got ${p}`);
  }
  if (!training || p === 0) return input;
  // The multiplier of each element: 0 with probability p, else 1/(1 − p).
  const mask = allocate(input.dtype, input.size);
  if (p < 1) {
    const g = options.generator ?? defaultGenerator;
    const keep = 1 / (1 - p);
    for (let i = 0; i < mask.length; i++) mask[i] = g.uniform() < p ? 0 : keep;
  }
  const out = allocate(input.dtype, input.size);
  kernels().binary('mul', input.data, input.shape, mask, input.shape, out, input.shape);
  return record(new Tensor(out, input.shape), 'dropout', [input], (grad) => {
    if (isGradEnabled()) return [mul(grad, new Tensor(mask, input.shape))]; // differentiable (createGraph)
    const dx = allocate(grad.dtype, grad.size);
    kernels().binary('mul', grad.data, grad.shape, mask, grad.shape, dx, grad.shape);
    return [new Tensor(dx, grad.shape)];
  }, { saved: [] });
}
