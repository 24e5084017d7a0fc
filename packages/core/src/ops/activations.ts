/**
 * relu, leakyRelu, sigmoid, tanh. Gradients:
 *   d relu(x) = grad · [not x ≤ 0]                  (0 at x = 0; passes at NaN: PyTorch's threshold_backward)
 *     computed by reluBackward(grad, x), an op of its own (fused for speed: one pass instead of mask,
 *     cast and multiply) whose backward is reluBackward(u, x) for grad and 0 for x (PyTorch's
 *     threshold_backward), so relu has gradients of any order
 *   d leakyRelu(x) = grad · (x > 0 ? 1 : slope)
 *   d sigmoid(x) = grad · s · (1 − s),  s = sigmoid(x)
 *   d tanh(x) = grad · (1 − t²),        t = tanh(x)
 *
 * @example
 * relu(tensor([-1, 2])) // tensor([0, 2]); PyTorch: F.relu(x)
 */
import { checkNumber, checkOptions } from '../args.js';
import { record } from '../engine.js';
import { allocateEmpty } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { gt } from './compare.js';
import { requireFloat, toTensor, unaryForward } from './util.js';
import { where } from './where.js';

export function relu(x: Tensor): Tensor {
  requireFloat('relu', 'input', x);
  return record(unaryForward('relu', x), 'relu', [x], (grad) => [reluBackward(grad, x)], { saved: [x] });
}

/** grad · [not x ≤ 0]: relu's backward, as an op (PyTorch's threshold_backward: x ≤ 0 ? 0 : grad). */
export function reluBackward(grad: Tensor, x: Tensor): Tensor {
  const out = allocateEmpty(grad.dtype, x.size);
  kernels().reluBackward(grad.data, x.data, out);
  return record(new Tensor(out, x.shape), 'reluBackward', [grad, x], (u, needs) => [needs[0] ? reluBackward(u, x) : null, null], {
    saved: [x],
  });
}

export interface LeakyReluOptions {
  /** Slope for x < 0 (default 0.01, as PyTorch). */
  negativeSlope?: number;
}

export function leakyRelu(x: Tensor, options: LeakyReluOptions = {}): Tensor {
  requireFloat('leakyRelu', 'input', x);
  checkOptions('leakyRelu', options, ['negativeSlope']);
  checkNumber('leakyRelu', 'negativeSlope', options.negativeSlope, { infinite: true });
  const slope = options.negativeSlope ?? 0.01;
  const pos = gt(x, 0);
  // Both branches in x's dtype: where(pos, 1, slope) would round the slope to float32.
  const factor = where(pos, toTensor(1, x), toTensor(slope, x));
  return record(mul(x, factor).detach(), 'leakyRelu', [x], (grad) => [mul(grad, factor)], { saved: [] });
}

export function sigmoid(x: Tensor): Tensor {
  requireFloat('sigmoid', 'input', x);
  const s = unaryForward('sigmoid', x);
  return record(s, 'sigmoid', [x], (grad) => [mul(grad, mul(s, sub(1, s)))], { saved: [s] });
}

export function tanh(x: Tensor): Tensor {
  requireFloat('tanh', 'input', x);
  const t = unaryForward('tanh', x);
  return record(t, 'tanh', [x], (grad) => [mul(grad, add(1, mul(t, t).neg()))], { saved: [t] });
}
