/**
 * The Tensor: a contiguous row-major typed array with a shape, a dtype and, when it takes part in
 * autograd, a `gradFn` recorded by the op that made it. Methods are thin aliases of the functional
 * ops (`a.add(b)` is `add(a, b)`).
 */
import { allocate, dtypeOf, isFloatDType, type DType, type TypedArray } from './dtype.js';
import { backward, type BackwardOptions, type GradNode } from './engine.js';
import { formatShape, sizeOf } from './shape.js';
import { activations, arithmetic, cast, clampOps, gatherOps, indexSelectOps, matmulOps, maxOps, maximumOps, permuteOps, powOps, reshapeOps, expandOps, sliceOps, softmaxOps, sumOps, unaryMath } from './ops/methods.js';

export type TensorLike = Tensor | number;
export type NestedArray = number | boolean | NestedArray[];

export class Tensor {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Gradient accumulated by backward (leaves only). */
  grad: Tensor | null = null;
  /** The node that made this tensor, or null for a leaf. */
  gradFn: GradNode | null = null;
  private _requiresGrad = false;

  constructor(data: TypedArray, shape: readonly number[], requiresGrad = false) {
    const n = sizeOf(shape);
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new Error(`Tensor: shape ${formatShape(shape)} has an invalid dim ${d}`);
    }
    if (data.length !== n) {
      throw new Error(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${n}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
    if (requiresGrad) this.requiresGrad = true;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(flag: boolean) {
    if (flag && !isFloatDType(this.dtype)) {
      throw new Error(`requiresGrad: only float tensors can require gradients; this tensor is ${this.dtype}`);
    }
    if (!flag && this.gradFn) throw new Error('requiresGrad: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
    this._requiresGrad = flag;
  }

  /** Sets requiresGrad in place and returns this, as `tensor.requires_grad_()`. */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  numel(): number {
    return this.data.length;
  }

  /** Rank. */
  get ndim(): number {
    return this.shape.length;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new Error(`item: only a one-element tensor can be converted to a number; shape is ${formatShape(this.shape)}`);
    return this.data[0]!;
  }

  /** Nested JavaScript arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.shape.length) return this.data[offset]!;
      const step = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim]! }, (_, i) => build(dim + 1, offset + i * step));
    };
    return build(0, 0);
  }

  /** A copy in another dtype; differentiable between float dtypes. */
  to(dtype: DType): Tensor {
    return cast(this, dtype);
  }

  /** A copy that is part of the graph (gradients flow back), as `torch.clone`. */
  clone(): Tensor {
    return reshapeOps.reshape(this, this.shape, true);
  }

  /** A tensor sharing this data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  /** Backpropagates from this tensor; see `backward` in the engine. */
  backward(grad?: Tensor, options?: BackwardOptions): void {
    backward(this, grad, options);
  }

  toString(): string {
    const body = JSON.stringify(this.toArray());
    const short = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    return `tensor(${short}, shape=${formatShape(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  static empty(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return new Tensor(allocate(dtype, sizeOf(shape)), shape);
  }

  // Arithmetic and elementwise
  add(b: TensorLike): Tensor { return arithmetic.add(this, b); }
  sub(b: TensorLike): Tensor { return arithmetic.sub(this, b); }
  mul(b: TensorLike): Tensor { return arithmetic.mul(this, b); }
  div(b: TensorLike): Tensor { return arithmetic.div(this, b); }
  neg(): Tensor { return arithmetic.neg(this); }
  pow(e: TensorLike): Tensor { return powOps.pow(this, e); }
  exp(): Tensor { return unaryMath.exp(this); }
  log(): Tensor { return unaryMath.log(this); }
  sqrt(): Tensor { return unaryMath.sqrt(this); }
  abs(): Tensor { return unaryMath.abs(this); }
  relu(): Tensor { return activations.relu(this); }
  leakyRelu(negativeSlope?: number): Tensor { return activations.leakyRelu(this, negativeSlope === undefined ? {} : { negativeSlope }); }
  sigmoid(): Tensor { return activations.sigmoid(this); }
  tanh(): Tensor { return activations.tanh(this); }
  clamp(options: { min?: number; max?: number }): Tensor { return clampOps.clamp(this, options); }
  maximum(b: TensorLike): Tensor { return maximumOps.maximum(this, b); }
  minimum(b: TensorLike): Tensor { return maximumOps.minimum(this, b); }

  // Reductions
  sum(dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor { return sumOps.sum(this, dim, options); }
  mean(dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor { return sumOps.mean(this, dim, options); }
  max(dim?: number, options?: { keepdim?: boolean }): Tensor { return maxOps.max(this, dim, options); }
  min(dim?: number, options?: { keepdim?: boolean }): Tensor { return maxOps.min(this, dim, options); }
  argmax(dim?: number, options?: { keepdim?: boolean }): Tensor { return maxOps.argmax(this, dim, options); }
  argmin(dim?: number, options?: { keepdim?: boolean }): Tensor { return maxOps.argmin(this, dim, options); }

  // Shape
  reshape(shape: readonly number[]): Tensor { return reshapeOps.reshape(this, shape); }
  view(shape: readonly number[]): Tensor { return reshapeOps.reshape(this, shape); }
  flatten(startDim?: number, endDim?: number): Tensor { return reshapeOps.flatten(this, startDim, endDim); }
  squeeze(dim?: number): Tensor { return reshapeOps.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return reshapeOps.unsqueeze(this, dim); }
  permute(dims: readonly number[]): Tensor { return permuteOps.permute(this, dims); }
  transpose(dim0: number, dim1: number): Tensor { return permuteOps.transpose(this, dim0, dim1); }
  expand(shape: readonly number[]): Tensor { return expandOps.expand(this, shape); }
  narrow(dim: number, start: number, length: number): Tensor { return sliceOps.narrow(this, dim, start, length); }
  indexSelect(dim: number, index: Tensor): Tensor { return indexSelectOps.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return gatherOps.gather(this, dim, index); }

  // Linear algebra and normalisation
  matmul(b: Tensor): Tensor { return matmulOps.matmul(this, b); }
  softmax(dim: number): Tensor { return softmaxOps.softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return softmaxOps.logSoftmax(this, dim); }
}
