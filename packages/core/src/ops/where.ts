/**
 * where(condition, a, b): a where condition is non-zero, else b, broadcasting all three.
 *   d/da = grad where condition, else 0      d/db = grad where not condition, else 0
 *
 * @example
 * where(gt(x, 0), x, 0) // relu; PyTorch: torch.where(x > 0, x, 0)
 */
import { allocate, promoteTypes } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { broadcastShapes, sizeOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { mul } from './arithmetic.js';
import { eq, ne } from './compare.js';
import { assertTensor, toTensor } from './util.js';

export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  assertTensor('where', 'condition', condition);
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : condition.dtype === 'int32' ? toTensor(0.5, condition) : condition;
  const x = toTensor(a, like, 'where', 'a');
  const y = toTensor(b, like, 'where', 'b');
  const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, x.shape), y.shape);
  const dtype = promoteTypes(x.dtype, y.dtype);
  const n = sizeOf(shape);
  // out = b + (a - b) would lose precision and propagate inf/NaN from the unselected side;
  // select through the broadcast masks instead.
  const mask = ne(condition, 0);
  const xs = allocate(dtype, n);
  const ys = allocate(dtype, n);
  const one = allocate(dtype, 1).fill(1); // broadcast by x · 1, which keeps -0 (x + 0 would not)
  const k = kernels();
  k.binary('mul', x.data, x.shape, one, [], xs, shape);
  k.binary('mul', y.data, y.shape, one, [], ys, shape);
  const m = allocate('int32', n);
  k.binary('add', mask.data, mask.shape, new Int32Array(1), [], m, shape);
  k.select(m, xs, ys, xs);
  return record(new Tensor(xs, shape), 'where', [x, y], (grad, needs) => [
    needs[0] ? mul(grad, mask.to(grad.dtype)) : null,
    needs[1] ? mul(grad, eq(mask, 0).to(grad.dtype)) : null,
  ], { saved: [] });
}
