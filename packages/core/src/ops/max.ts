/**
 * max and min over one dim (or all elements), argmax and argmin.
 *   Over a dim: d/dx = grad routed to the first index of the extremum (indices from argmax), as PyTorch.
 *   Over all elements: the gradient is split evenly among ties, as PyTorch's full max/min (when the
 *   result is NaN, among the NaNs).
 * argmax/argmin return int32 indices and have no gradient.
 *
 * @example
 * tensor([[1, 5], [7, 2]]).max(1) // tensor([5, 7]); PyTorch: x.max(dim=1).values
 */
import { allocate } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, div, mul } from './arithmetic.js';
import { eq, ne } from './compare.js';
import { reshape } from './reshape.js';
import { scatterAlongDim } from './gather.js';
import { checkReduceOptions, sum } from './sum.js';
import { assertTensor } from './util.js';

export interface MaxOptions {
  keepdim?: boolean;
}

export function max(x: Tensor, dim?: number, options: MaxOptions = {}): Tensor {
  return extremum('max', x, dim, options);
}

export function min(x: Tensor, dim?: number, options: MaxOptions = {}): Tensor {
  return extremum('min', x, dim, options);
}

export function argmax(x: Tensor, dim?: number, options: MaxOptions = {}): Tensor {
  return reduceAlong('argmax', 'max', x, dim, options).indices;
}

export function argmin(x: Tensor, dim?: number, options: MaxOptions = {}): Tensor {
  return reduceAlong('argmin', 'min', x, dim, options).indices;
}

function reduceAlong(op: string, kind: 'max' | 'min', x: Tensor, dim: number | undefined, options: MaxOptions) {
  assertTensor(op, 'input', x);
  checkReduceOptions(op, options);
  const d = dim === undefined ? -1 : normalizeDim(op, dim, x.ndim);
  if (x.size === 0) {
    // PyTorch: max() of an empty tensor raises; along a dim of size 0 too (other dims may be empty).
    throw new Error(d === -1 ? `${op}: input of shape ${formatShape(x.shape)} is empty; give a dim to reduce along` : `${op}: input of shape ${formatShape(x.shape)} is empty (cannot reduce dim ${dim} of size ${x.shape[d]})`);
  }
  const view = d === -1 || x.ndim === 0 ? [1, x.size, 1] : [sizeOf(x.shape.slice(0, d)), x.shape[d]!, sizeOf(x.shape.slice(d + 1))];
  const [outer, size, inner] = view as [number, number, number];
  const values = allocate(x.dtype, outer * inner);
  const indices = new Int32Array(outer * inner);
  kernels().argReduce(x.data, values, indices, { kind, outer, size, inner });
  const keptShape = d === -1 || x.ndim === 0 ? x.shape.map(() => 1) : x.shape.map((s, i) => (i === d ? 1 : s));
  const outShape = options.keepdim ? keptShape : d === -1 || x.ndim === 0 ? [] : x.shape.filter((_, i) => i !== d);
  return { values: new Tensor(values, outShape), indices: new Tensor(indices, outShape), d, keptShape };
}

function extremum(kind: 'max' | 'min', x: Tensor, dim: number | undefined, options: MaxOptions): Tensor {
  const { values, indices, d, keptShape } = reduceAlong(kind, kind, x, dim, options);
  return record(values, kind, [x], (grad) => {
    if (d === -1 || x.ndim === 0) {
      // Full reduction: split evenly among ties; a NaN result equals no element, so take the NaNs.
      const v = reshape(values, keptShape);
      const ties = add(eq(x, v), mul(ne(x, x), ne(v, v))).to(grad.dtype);
      return [mul(reshape(grad, keptShape), div(ties, sum(ties)))];
    }
    return [scatterAlongDim(reshape(grad, keptShape), d, reshape(indices, keptShape), x.shape)];
  }, { saved: d === -1 || x.ndim === 0 ? [x, values] : [] });
}
