/**
 * softmax and logSoftmax along a dim, fused for numerical stability (max-shifted, so logits of ±1e4
 * stay finite). With y the output and g the upstream gradient:
 *   softmax:     dx = y · (g − Σ_dim g·y)
 *   logSoftmax:  dx = g − exp(y) · Σ_dim g
 *
 * @example
 * softmax(tensor([1, 2, 3]), 0) // tensor([0.0900, 0.2447, 0.6652]); PyTorch: F.softmax(x, dim=0)
 */
import { allocateEmpty, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { mul, sub } from './arithmetic.js';
import { sum } from './sum.js';
import { exp } from './unary-math.js';
import { requireFloat } from './util.js';

function forward(op: string, x: Tensor, dim: number, log: boolean): [Tensor, number] {
  requireFloat(op, 'input', x);
  const d = normalizeDim(op, dim, x.ndim);
  const outer = x.ndim === 0 ? 1 : sizeOf(x.shape.slice(0, d));
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  const inner = x.ndim === 0 ? 1 : sizeOf(x.shape.slice(d + 1));
  const out = allocateEmpty(x.dtype, x.size) as FloatArray;
  kernels().softmax(x.data as FloatArray, out, { outer, size, inner, log });
  return [new Tensor(out, x.shape), d];
}

export function softmax(x: Tensor, dim: number): Tensor {
  const [y, d] = forward('softmax', x, dim, false);
  return record(y, 'softmax', [x], (grad) => [mul(y, sub(grad, sum(mul(grad, y), d, { keepdim: true })))], { saved: [y] });
}

export function logSoftmax(x: Tensor, dim: number): Tensor {
  const [y, d] = forward('logSoftmax', x, dim, true);
  return record(y, 'logSoftmax', [x], (grad) => [sub(grad, mul(exp(y), sum(grad, d, { keepdim: true })))], { saved: [y] });
}
