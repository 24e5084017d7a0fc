/**
 * expand: broadcasts x to `shape` (-1 keeps a dim), materialised as a copy.
 * The backward is the engine's un-broadcast: it returns grad as is and the engine sums it down.
 *
 * @example
 * tensor([1, 2]).expand([3, 2]) // shape [3, 2]; PyTorch: x.expand(3, 2)
 */
import { allocate } from '../dtype.js';
import { describeValue, isList } from '../args.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { broadcastsTo, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', 'input', x);
  if (!isList(shape)) throw new Error(`expand: shape must be a list of sizes, got ${describeValue(shape)}`);
  const offset = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 && i >= offset ? x.shape[i - offset]! : d));
  if (offset < 0 || !broadcastsTo(x.shape, target) || target.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`expand: shape ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`);
  }
  const out = allocate(x.dtype, sizeOf(target));
  // x · 1, not x + 0: keeps the sign of -0 (-0 + 0 is +0).
  const one = allocate(x.dtype, 1).fill(1);
  kernels().binary('mul', x.data, x.shape, one, [], out, target);
  return record(new Tensor(out, target), 'expand', [x], (grad) => [grad], { saved: [] });
}
