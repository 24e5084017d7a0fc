/**
 * Parameter: a leaf tensor that a Module owns and an optimiser updates, as `torch.nn.Parameter`.
 * It shares the data of the tensor it wraps and requires a gradient unless told otherwise.
 *
 * @example
 * const w = new Parameter(zeros([2, 3])); // w.requiresGrad === true
 */
import { Tensor } from '@tessera/core';

export class Parameter extends Tensor {
  constructor(t: Tensor, requiresGrad = true) {
    if (!(t instanceof Tensor)) throw new Error(`Parameter: expected a Tensor, got ${t === null ? 'null' : typeof t}`);
    if (!t.isLeaf) throw new Error('Parameter: the tensor must be a leaf (detach() it first)');
    if (requiresGrad && t.dtype === 'int32') throw new Error('Parameter: an int32 Tensor cannot require gradients; use a float tensor, or requiresGrad false');
    super(t.data, t.shape, requiresGrad);
  }

  /** As PyTorch prints a Parameter: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** True for the tensors a Module registers as parameters: Parameters, and leaf tensors that require a gradient. */
export function isParameterLike(v: unknown): v is Tensor {
  return v instanceof Parameter || (v instanceof Tensor && v.requiresGrad && v.isLeaf);
}

/**
 * Tensors that PyTorch stores as int64 (BatchNorm's `num_batches_tracked`). Tessera has no int64
 * dtype, so they live as int32 and carry this tag; `save` writes a tagged tensor as I64 and `load`
 * tags what it reads from I64, so a round trip keeps the file's dtypes.
 */
const int64Tensors = new WeakSet<Tensor>();

export function markInt64<T extends Tensor>(t: T): T {
  if (!(t instanceof Tensor)) throw new Error(`markInt64: expected an int32 Tensor, got ${t === null ? 'null' : typeof t}`);
  if (t.dtype !== 'int32') throw new Error(`markInt64: only int32 tensors can be stored as int64, got ${t.dtype}`);
  int64Tensors.add(t);
  return t;
}

export function isInt64(t: Tensor): boolean {
  return int64Tensors.has(t);
}
