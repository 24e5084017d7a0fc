/**
 * expand: broadcasts x to `shape` (-1 keeps a dim), materialised as a copy.
 * The backward is the engine's un-broadcast: it returns grad as is and the engine sums it down.
 *
 * @example
 * tensor([1, 2]).expand([3, 2]) // shape [3, 2]; PyTorch: x.expand(3, 2)
 */
import { allocate } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { broadcastsTo, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', 'input', x);
  const offset = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= offset ? x.shape[i - offset]! : d));
  if (offset < 0 || !broadcastsTo(x.shape, target)) {
    throw new Error(`expand: shape ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`);
  }
  const out = allocate(x.dtype, sizeOf(target));
  const zero = allocate(x.dtype, 1);
  kernels().binary('add', x.data, x.shape, zero, [], out, target);
  return record(new Tensor(out, target), 'expand', [x], (grad) => [grad]);
}
