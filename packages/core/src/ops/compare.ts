/**
 * Elementwise comparisons eq, ne, lt, le, gt, ge with broadcasting. They return int32 masks of 0 and 1
 * (Tessera has no bool dtype) and are not differentiable.
 *
 * @example
 * gt(tensor([1, 2, 3]), 2) // tensor([0, 0, 1], int32); PyTorch: torch.gt(x, 2)
 */
import type { Tensor, TensorLike } from '../tensor.js';
import { operands } from './arithmetic.js';
import { binaryForward } from './util.js';

export function eq(a: TensorLike, b: TensorLike): Tensor { return compare('eq', a, b); }
export function ne(a: TensorLike, b: TensorLike): Tensor { return compare('ne', a, b); }
export function lt(a: TensorLike, b: TensorLike): Tensor { return compare('lt', a, b); }
export function le(a: TensorLike, b: TensorLike): Tensor { return compare('le', a, b); }
export function gt(a: TensorLike, b: TensorLike): Tensor { return compare('gt', a, b); }
export function ge(a: TensorLike, b: TensorLike): Tensor { return compare('ge', a, b); }

function compare(op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge', a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(op, a, b);
  return binaryForward(op, x, y, 'int32');
}
