/**
 * cumsum(x, dim): running sums along dim, out[…, k, …] = Σ_{i ≤ k} x[…, i, …], as `torch.cumsum`
 * (accumulated in float64; int32 stays int32 and has no gradient). The gradient is the reversed
 * running sum of grad:
 *   d/dx[k] = Σ_{i ≥ k} grad[i] = flip(cumsum(flip(grad, [dim]), dim), [dim])
 *
 * @example
 * cumsum(tensor([1, 2, 3]), 0) // tensor([1, 3, 6]); PyTorch: torch.cumsum(x, 0)
 */
import { allocateEmpty } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { flip } from './flip.js';
import { assertTensor } from './util.js';

export function cumsum(x: Tensor, dim: number): Tensor {
  assertTensor('cumsum', 'input', x);
  const d = normalizeDim('cumsum', dim, x.ndim);
  const out = allocateEmpty(x.dtype, x.size); // the kernel writes all of it
  const view = x.ndim === 0
    ? { outer: 1, size: 1, inner: 1 }
    : { outer: sizeOf(x.shape.slice(0, d)), size: x.shape[d]!, inner: sizeOf(x.shape.slice(d + 1)) };
  if (x.size > 0) kernels().cumsum(x.data, out, view);
  return record(new Tensor(out, x.shape), 'cumsum', [x], (grad) => [flip(cumsum(flip(grad, [d]), d), [d])], { saved: [] });
}
