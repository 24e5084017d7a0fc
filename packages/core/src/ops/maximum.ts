/**
 * Elementwise maximum and minimum with broadcasting. At ties the gradient is split in half between
 * the two inputs, as PyTorch does (its derivatives.yaml; where either is NaN both get the full grad):
 *   d max(a,b)/da = grad · (1 − [a < b] − ½[a = b])     d/db = grad · (1 − [b < a] − ½[a = b])
 *
 * @example
 * maximum(tensor([1, 5]), tensor([3, 2])) // tensor([3, 5]); PyTorch: torch.maximum(a, b)
 */
import { record } from '../engine.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { mul, operands, sub } from './arithmetic.js';
import { eq, gt, lt } from './compare.js';
import { binaryForward } from './util.js';

export function maximum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('maximum', a, b);
}

export function minimum(a: TensorLike, b: TensorLike): Tensor {
  return extremum('minimum', a, b);
}

function extremum(op: 'maximum' | 'minimum', a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(op, a, b);
  const wins = op === 'maximum' ? gt : lt;
  return record(binaryForward(op, x, y), op, [x, y], (grad, needs) => {
    // 1 − ½[a = b] − [the other wins]: with a NaN no comparison holds, so both get grad, as PyTorch.
    const keep = sub(1, mul(eq(x, y).to(grad.dtype), 0.5));
    return [
      needs[0] ? mul(grad, sub(keep, wins(y, x).to(grad.dtype))) : null,
      needs[1] ? mul(grad, sub(keep, wins(x, y).to(grad.dtype))) : null,
    ];
  }, { saved: [x, y] });
}
