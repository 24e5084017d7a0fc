/**
 * The Tensor: a contiguous row-major typed array with a shape, a dtype and, when it takes part in
 * autograd, a `gradFn` recorded by the op that made it. The op methods (`a.add(b)` is `add(a, b)`)
 * are installed by methods.ts, so this module imports no op and the ops import it without a cycle.
 */
import { describeValue, isList } from './args.js';
import { allocate, dtypeOf, isFloatDType, type DType, type TypedArray } from './dtype.js';
import type { GradNode } from './engine.js';
import { versionOf } from './engine/versions.js';
import { formatTensor } from './format.js';
import { formatShape, sizeOf } from './shape.js';

export type TensorLike = Tensor | number;

/** Node's util.inspect hook (console.log, the REPL), by its registered name: no node:util import here. */
const inspectCustom: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;
export type NestedArray = number | boolean | NestedArray[];

export class Tensor {
  /**
   * The raw buffer: contiguous, row-major, exactly `size` elements (it may be a view on a larger
   * buffer; never assume `byteOffset` 0). Like PyTorch's `.data`, it is outside autograd: writing it
   * changes the values every op that saved this tensor will read in backward, and no check sees it
   * (but anomaly mode). Change a tensor with the in-place methods (`add_`, `copy_`, `fill_`, …), or
   * call `markModified(t)` after writing `.data` yourself.
   */
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Gradient accumulated by backward (leaves only). */
  grad: Tensor | null = null;
  /** The node that made this tensor, or null for a leaf. */
  gradFn: GradNode | null = null;
  private _requiresGrad = false;

  constructor(data: TypedArray, shape: readonly number[], requiresGrad = false) {
    if (!(data instanceof Float32Array || data instanceof Float64Array || data instanceof Int32Array)) {
      throw new Error(`Tensor: data must be a Float32Array, Float64Array or Int32Array, got ${describeValue(data)}`);
    }
    if (!isList(shape)) throw new Error(`Tensor: shape must be a list of sizes, got ${describeValue(shape)}`);
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

  /**
   * How many times this data was changed in place by Tessera (PyTorch's `_version`); shared by every
   * tensor aliasing the data (reshape, view, detach). Raw writes to `.data` do not count.
   */
  get version(): number {
    return versionOf(this);
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



  /** A tensor sharing this data, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }


  /**
   * As PyTorch's repr: `tensor([[1.0000, 0.5000]], dtype=float64, requires_grad=True)` — rounded to 4
   * decimals (or scientific), summarised beyond 1000 elements, the dtype unless float32, the op that
   * made it (`grad_fn=<mul>`). Rules in format.ts.
   */
  toString(): string {
    return formatTensor(this);
  }

  /** `console.log(t)` and Node's REPL print `toString()`. */
  [inspectCustom](): string {
    return this.toString();
  }

  static empty(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    return new Tensor(allocate(dtype, sizeOf(shape)), shape);
  }
}
