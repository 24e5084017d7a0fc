/**
 * sum and mean over dims (all by default), with `keepdim`.
 *   d sum(x)/dx = grad broadcast back over the reduced dims
 *   mean = sum / n, composed from sum and div
 *
 * @example
 * tensor([[1, 2], [3, 4]]).sum(1) // tensor([3, 7]); PyTorch: x.sum(dim=1)
 */
import { checkBool, checkOptions } from '../args.js';
import { allocate } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { normalizeDims, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { div } from './arithmetic.js';
import { expand } from './expand.js';
import { reshape } from './reshape.js';
import { assertTensor, requireFloat } from './util.js';

export interface ReduceOptions {
  keepdim?: boolean;
}

/** keepdim, the only option of the reductions (sum, mean, max, min, argmax, argmin). */
export function checkReduceOptions(op: string, options: ReduceOptions): void {
  checkOptions(op, options, ['keepdim']);
  checkBool(op, 'keepdim', options?.keepdim);
}

export function sum(x: Tensor, dim?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  assertTensor('sum', 'input', x);
  checkReduceOptions('sum', options);
  const dims = normalizeDims('sum', dim, x.ndim);
  const reduce = x.shape.map((_, i) => dims.includes(i));
  const keptShape = x.shape.map((d, i) => (reduce[i] ? 1 : d));
  const outShape = options.keepdim ? keptShape : x.shape.filter((_, i) => !reduce[i]);
  const out = allocate(x.dtype, sizeOf(outShape));
  if (x.size > 0) kernels().sum(x.data, x.shape, reduce, out);
  const y = new Tensor(out, outShape);
  return record(y, 'sum', [x], (grad) => [expand(reshape(grad, keptShape), x.shape)], { saved: [] });
}

export function mean(x: Tensor, dim?: number | readonly number[], options: ReduceOptions = {}): Tensor {
  requireFloat('mean', 'input', x); // as PyTorch: the mean of integers has no integer dtype
  checkReduceOptions('mean', options);
  const dims = normalizeDims('mean', dim, x.ndim);
  const n = dims.reduce((acc, d) => acc * x.shape[d]!, 1);
  return div(sum(x, dim, options), n);
}
