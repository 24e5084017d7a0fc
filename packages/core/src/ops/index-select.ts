/**
 * indexSelect(x, dim, index): the slices of x at the int32 positions in the 1-D `index` along dim,
 * as `torch.index_select` (negative positions are refused). Backward adds each gradient slice back
 * to the position it came from: d/dx = indexAdd(zeros(x.shape), dim, index, grad), the op
 * indexSelectBackward, whose own backward is indexSelect (so gradients of any order exist).
 *
 * @example
 * indexSelect(tensor([[1, 2], [3, 4], [5, 6]]), 0, tensor([2, 0], { dtype: 'int32' })) // [[5, 6], [1, 2]]
 */
import { allocate } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor, requireInt } from './util.js';

export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('indexSelect', 'input', x);
  requireInt('indexSelect', 'index', index);
  if (index.ndim > 1) throw new Error(`indexSelect: index must be 1-D, got shape ${formatShape(index.shape)}`);
  const d = normalizeDim('indexSelect', dim, x.ndim);
  const size = x.shape[d] ?? 1;
  const idx = index.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= size) {
      throw new Error(`indexSelect: index ${v} at position ${i} is out of range for dim ${d} of size ${size} (input shape ${formatShape(x.shape)})`);
    }
  }
  const outer = sizeOf(x.shape.slice(0, d));
  const inner = sizeOf(x.shape.slice(d + 1));
  const outShape = x.ndim === 0 ? [] : x.shape.map((s, i) => (i === d ? idx.length : s));
  const out = allocate(x.dtype, outer * idx.length * inner);
  kernels().indexSelect(x.data, idx, out, { outer, size, inner });
  return record(new Tensor(out, outShape), 'indexSelect', [x], (grad) => [indexSelectBackward(grad, x.shape, d, index)], {
    saved: [index],
  });
}

/** indexSelect's backward, as an op: zeros of `shape` with grad's slices added at `index` along dim; its backward is indexSelect. */
export function indexSelectBackward(grad: Tensor, shape: readonly number[], dim: number, index: Tensor): Tensor {
  const outer = sizeOf(shape.slice(0, dim));
  const inner = sizeOf(shape.slice(dim + 1));
  const g = allocate(grad.dtype, sizeOf(shape));
  kernels().indexAdd(grad.data, index.data as Int32Array, g, { outer, size: shape[dim] ?? 1, inner });
  return record(new Tensor(g, shape), 'indexSelectBackward', [grad], (u) => [indexSelect(u, dim, index)], { saved: [index] });
}
