/** Small helpers the ops share: argument checks and the forward of elementwise kernels. */
import { describeValue } from '../args.js';
import { allocate, allocateEmpty, isFloatDType, promoteTypes, type DType } from '../dtype.js';
import { kernels, type BinaryKernelOp, type UnaryKernelOp } from '../kernels/index.js';
import { broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';

/**
 * A number becomes a 0-d tensor of `like`'s dtype (Python scalars do not promote, as in PyTorch);
 * anything else is an error naming `op` and the argument `arg`.
 */
export function toTensor(x: TensorLike, like: Tensor, op = 'tensor', arg = 'value'): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number') throw new Error(`${op}: ${arg} must be a Tensor or a number, got ${describeValue(x)}`);
  const dtype: DType = like.dtype === 'int32' && !Number.isInteger(x) ? 'float32' : like.dtype;
  const data = allocate(dtype, 1);
  data[0] = x;
  return new Tensor(data, []);
}

export function assertTensor(op: string, arg: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${op}: ${arg} must be a Tensor, got ${describeValue(t)}`);
}

/** Throws unless `t` is float32 or float64, naming the op and the argument. */
export function requireFloat(op: string, arg: string, t: Tensor): void {
  assertTensor(op, arg, t);
  if (!isFloatDType(t.dtype)) {
    throw new Error(`${op}: ${arg} must be a float tensor (float32 or float64), got ${t.dtype} of shape ${formatShape(t.shape)}`);
  }
}

export function requireInt(op: string, arg: string, t: Tensor): void {
  assertTensor(op, arg, t);
  if (t.dtype !== 'int32') throw new Error(`${op}: ${arg} must be an int32 tensor, got ${t.dtype} of shape ${formatShape(t.shape)}`);
}

/** Broadcasting forward of a binary kernel; the result dtype follows PyTorch's promotion. */
export function binaryForward(op: BinaryKernelOp, a: Tensor, b: Tensor, dtype?: DType): Tensor {
  const shape = broadcastShapes(op, a.shape, b.shape);
  const out = allocateEmpty(dtype ?? promoteTypes(a.dtype, b.dtype), sizeOf(shape));
  kernels().binary(op, a.data, a.shape, b.data, b.shape, out, shape);
  return new Tensor(out, shape);
}

/** Elementwise forward of a unary kernel, keeping the dtype. */
export function unaryForward(op: UnaryKernelOp, x: Tensor): Tensor {
  const out = allocateEmpty(x.dtype, x.size);
  kernels().unary(op, x.data, out);
  return new Tensor(out, x.shape);
}

/** Checks an integer argument (a size, a stride), naming the op and the argument. */
export function requireInteger(op: string, arg: string, v: number, min = -Infinity): void {
  if (!Number.isInteger(v) || v < min) {
    throw new Error(`${op}: ${arg} must be an integer${min > -Infinity ? ` >= ${min}` : ''}, got ${v}`);
  }
}
