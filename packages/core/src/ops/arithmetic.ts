/**
 * add, sub, mul, div, neg with NumPy broadcasting. Gradients (the engine sums them down to each
 * input's shape):
 *   d(a+b) = (grad, grad)      d(a-b) = (grad, -grad)
 *   d(a*b) = (grad*b, grad*a)  d(a/b) = (grad/b, -grad*a/b²)      d(-a) = -grad
 *
 * @example
 * add(tensor([1, 2]), 3) // tensor([4, 5]); PyTorch: torch.add(a, 3)
 */
import { describeValue } from '../args.js';
import { record } from '../engine.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { assertTensor, binaryForward, requireFloat, toTensor, unaryForward } from './util.js';

export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('add', a, b);
  return record(binaryForward('add', x, y), 'add', [x, y], (grad) => [grad, grad], { saved: [] });
}

export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('sub', a, b);
  return record(binaryForward('sub', x, y), 'sub', [x, y], (grad, needs) => [grad, needs[1] ? neg(grad) : null], { saved: [] });
}

export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('mul', a, b);
  return record(binaryForward('mul', x, y), 'mul', [x, y], (grad, needs) => [
    needs[0] ? mul(grad, y) : null,
    needs[1] ? mul(grad, x) : null,
  ], { saved: [...(x.requiresGrad ? [y] : []), ...(y.requiresGrad ? [x] : [])] });
}

/** True division; int32 operands are refused (PyTorch would promote them to float). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands('div', a, b);
  if (x.dtype === 'int32' && y.dtype === 'int32') requireFloat('div', 'input', x);
  return record(binaryForward('div', x, y), 'div', [x, y], (grad, needs) => [
    needs[0] ? div(grad, y) : null,
    needs[1] ? neg(div(mul(grad, x), mul(y, y))) : null,
  ], { saved: y.requiresGrad ? [x, y] : [y] });
}

export function neg(a: Tensor): Tensor {
  assertTensor('neg', 'input', a);
  return record(unaryForward('neg', a), 'neg', [a], (grad) => [neg(grad)], { saved: [] });
}

/** The two operands of a binary op as tensors (a number takes the other's dtype); `a` and `b` are named in errors. */
function operands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, toTensor(b, a, op, 'b')];
  if (b instanceof Tensor) return [toTensor(a, b, op, 'a'), b];
  if (typeof a !== 'number') throw new Error(`${op}: a must be a Tensor or a number, got ${describeValue(a)}`);
  throw new Error(`${op}: at least one of a and b must be a Tensor, got ${describeValue(a)} and ${describeValue(b)}`);
}

export { operands };
