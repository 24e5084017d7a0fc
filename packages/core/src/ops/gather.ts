/**
 * gather(x, dim, index): out[i][j][k] = x[i][index[i][j][k]][k] for dim = 1 (torch.gather); index is
 * int32 with x's rank and index.shape[d] ≤ x.shape[d] for d ≠ dim. Backward scatters the gradient
 * back: d/dx = scatterAdd(zeros(x.shape), dim, index, grad).
 *
 * @example
 * gather(tensor([[1, 2], [3, 4]]), 1, tensor([[1], [0]], { dtype: 'int32' })) // [[2], [3]]
 */
import { allocate, allocateEmpty } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape, normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor, requireInt } from './util.js';

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  assertTensor('gather', 'input', x);
  requireInt('gather', 'index', index);
  const d = normalizeDim('gather', dim, x.ndim);
  checkIndex('gather', x.shape, d, index);
  const out = allocateEmpty(x.dtype, index.size);
  kernels().gather(x.data, x.shape, d, index.data as Int32Array, index.shape, out);
  return record(new Tensor(out, index.shape), 'gather', [x], (grad) => [scatterAlongDim(grad, d, index, x.shape)], { saved: [index] });
}

/**
 * zeros(shape) with src added at the positions `index` addresses along dim: gather's backward, as the
 * op gatherBackward (torch.scatter_add), whose own backward is gather (so gradients of any order exist).
 */
export function scatterAlongDim(src: Tensor, dim: number, index: Tensor, shape: readonly number[]): Tensor {
  const out = allocate(src.dtype, shape.reduce((a, b) => a * b, 1));
  kernels().scatterAdd(src.data, dim, index.data as Int32Array, index.shape, out, shape);
  return record(new Tensor(out, shape), 'gatherBackward', [src], (u) => [gather(u, dim, index)], { saved: [index] });
}

function checkIndex(op: string, shape: readonly number[], dim: number, index: Tensor): void {
  if (index.ndim !== Math.max(shape.length, 1) && !(shape.length === 0 && index.ndim === 0)) {
    throw new Error(`${op}: index must have the input's rank ${shape.length}, got shape ${formatShape(index.shape)}`);
  }
  index.shape.forEach((s, d) => {
    if (d !== dim && s > (shape[d] ?? 1)) {
      throw new Error(`${op}: index shape ${formatShape(index.shape)} exceeds input shape ${formatShape(shape)} at dim ${d}`);
    }
  });
  const size = shape[dim] ?? 1;
  const data = index.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= size) {
      throw new Error(
        `${op}: index ${v} at flat position ${i} is out of bounds for dim ${dim} of size ${size} ` +
          `(input shape ${formatShape(shape)}, index shape ${formatShape(index.shape)})`,
      );
    }
  }
}
