/**
 * In-place helpers, as PyTorch's trailing-underscore methods: `x.add_(y)`, `sub_`, `mul_`, `div_`,
 * `clamp_`, `fill_`, `zero_`, `copy_`. Each writes into x's own data (the other operand broadcasts to
 * x's shape; the result keeps x's dtype) and bumps x's version through `markModified`, so a backward
 * that saved x (or a tensor sharing its data) refuses to run on the changed values.
 *
 * They are not recorded in the graph. Under grad mode they refuse a tensor that requires grad, as
 * PyTorch refuses a leaf that requires grad: wrap parameter updates in `noGrad`, as in `torch.no_grad()`.
 * (PyTorch also records in-place ops on non-leaf tensors; Tessera does not: use the out-of-place op.)
 *
 * @example
 * noGrad(() => w.sub_(w.grad!.mul(0.1))); // with torch.no_grad(): w.sub_(0.1 * w.grad)
 */
import { isFloatDType, promoteTypes } from '../dtype.js';
import { isGradEnabled, markModified, noGrad } from '../engine.js';
import { kernels, type BinaryKernelOp } from '../kernels/index.js';
import { broadcastsTo, formatShape } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { expand } from './expand.js';
import { assertTensor, binaryForward, toTensor } from './util.js';

function checkTarget(op: string, self: Tensor, other: Tensor | null): void {
  assertTensor(op, 'self', self);
  if (!isGradEnabled()) return;
  const culprit = self.requiresGrad ? 'the tensor' : other?.requiresGrad ? 'the other operand' : null;
  if (culprit === null) return;
  const fix = self.requiresGrad && self.isLeaf
    ? 'a leaf that requires grad cannot be changed in place while grad mode is on; wrap the update in noGrad(() => …), as torch.no_grad()'
    : 'in-place ops are not recorded in the graph; use the out-of-place op';
  throw new Error(`${op}: ${culprit} (${self.dtype} of shape ${formatShape(self.shape)}) requires grad: ${fix}`);
}

/** self ← self op other, broadcasting other to self's shape, in self's dtype. */
function binaryInPlace(op: BinaryKernelOp, name: string, self: Tensor, value: TensorLike): Tensor {
  const other = toTensor(value, self);
  checkTarget(name, self, other);
  if (!broadcastsTo(other.shape, self.shape)) {
    throw new Error(`${name}: the other operand's shape ${formatShape(other.shape)} does not broadcast to the tensor's ${formatShape(self.shape)}`);
  }
  const result = promoteTypes(self.dtype, other.dtype);
  if (result !== self.dtype && !isFloatDType(self.dtype)) {
    throw new Error(`${name}: the result type ${result} cannot be stored in the ${self.dtype} tensor (shape ${formatShape(self.shape)}), as in PyTorch`);
  }
  if (result === self.dtype) kernels().binary(op, self.data, self.shape, other.data, other.shape, self.data, self.shape);
  else self.data.set(noGrad(() => binaryForward(op, self, other)).data); // computed in the wider dtype, then rounded once
  markModified(self);
  return self;
}

export interface AlphaOptions {
  /** The multiplier of the other operand (default 1), as PyTorch's `alpha`. */
  alpha?: number;
}

function scaled(self: Tensor, value: TensorLike, alpha: number | undefined): TensorLike {
  if (alpha === undefined || alpha === 1) return value;
  return typeof value === 'number' ? value * alpha : noGrad(() => toTensor(value, self).mul(alpha));
}

/** self ← self + alpha·other. */
export function add_(self: Tensor, other: TensorLike, options: AlphaOptions = {}): Tensor {
  return binaryInPlace('add', 'add_', self, scaled(self, other, options.alpha));
}

/** self ← self − alpha·other. */
export function sub_(self: Tensor, other: TensorLike, options: AlphaOptions = {}): Tensor {
  return binaryInPlace('sub', 'sub_', self, scaled(self, other, options.alpha));
}

export function mul_(self: Tensor, other: TensorLike): Tensor {
  return binaryInPlace('mul', 'mul_', self, other);
}

export function div_(self: Tensor, other: TensorLike): Tensor {
  if (self.dtype === 'int32') throw new Error(`div_: true division cannot be stored in the int32 tensor (shape ${formatShape(self.shape)})`);
  return binaryInPlace('div', 'div_', self, other);
}

/** self ← min(max(self, min), max), as `clamp_`. */
export function clamp_(self: Tensor, options: { min?: number; max?: number }): Tensor {
  if (options?.min === undefined && options?.max === undefined) throw new Error('clamp_: at least one of min and max must be given');
  checkTarget('clamp_', self, null);
  if (options.min !== undefined) kernels().binary('maximum', self.data, self.shape, toTensor(options.min, self).data, [], self.data, self.shape);
  if (options.max !== undefined) kernels().binary('minimum', self.data, self.shape, toTensor(options.max, self).data, [], self.data, self.shape);
  markModified(self);
  return self;
}

/** Every element ← value. */
export function fill_(self: Tensor, value: number, op = 'fill_'): Tensor {
  checkTarget(op, self, null);
  if (typeof value !== 'number') throw new Error(`${op}: value must be a number, got ${typeof value}`);
  self.data.fill(value);
  markModified(self);
  return self;
}

export function zero_(self: Tensor): Tensor {
  return fill_(self, 0, 'zero_');
}

/** self ← src, broadcast to self's shape and converted to self's dtype (float to int32 truncates), as `copy_`. */
export function copy_(self: Tensor, src: Tensor): Tensor {
  assertTensor('copy_', 'src', src);
  checkTarget('copy_', self, src);
  if (!broadcastsTo(src.shape, self.shape)) {
    throw new Error(`copy_: src of shape ${formatShape(src.shape)} does not broadcast to the tensor's shape ${formatShape(self.shape)}`);
  }
  const from = src.size === self.size ? src : noGrad(() => expand(src, self.shape));
  if (self.dtype === 'int32' && from.dtype !== 'int32') self.data.set(Int32Array.from(from.data, Math.trunc));
  else self.data.set(from.data);
  markModified(self);
  return self;
}
