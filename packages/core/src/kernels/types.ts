import type { FloatArray, TypedArray } from '../dtype.js';

export type BinaryKernelOp =
  | 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum'
  | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type UnaryKernelOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'abs'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'sign';

/** Options of a (batched) GEMM: C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
}

/**
 * The hot loops of Tessera behind a narrow interface: typed arrays and sizes in, typed arrays out.
 * Ops never loop over elements themselves; a faster backend replaces some of these functions and
 * the ops do not change. Every kernel writes into `out` (allocated by the caller) unless it says
 * otherwise. Arrays are contiguous row-major.
 */
export interface Kernels {
  readonly name: string;
  /** out[i] = a[ia] op b[ib] with NumPy broadcasting of aShape and bShape to outShape. */
  binary(op: BinaryKernelOp, a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** out[i] = op(x[i]). */
  unary(op: UnaryKernelOp, x: TypedArray, out: TypedArray): void;
  /** out[i] = x[i] > 0 ? grad[i] : 0 (relu's backward, fused). */
  reluBackward(grad: TypedArray, x: TypedArray, out: TypedArray): void;
  /** out[i] = mask[i] ≠ 0 ? a[i] : b[i], all of out's size. */
  select(mask: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void;
  /** Sum of x over the dims flagged in `reduce` (same rank as shape); out has the kept dims' size. */
  sum(x: TypedArray, shape: readonly number[], reduce: readonly boolean[], out: TypedArray): void;
  /** Max (or min) along one dim viewed as [outer, size, inner]; writes values and first index of the extremum. */
  argReduce(kind: 'max' | 'min', x: TypedArray, outer: number, size: number, inner: number, values: TypedArray, indices: Int32Array): void;
  /** out = x permuted: out.shape[i] = shape[perm[i]]. */
  permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** Batched GEMM over `batch` matrices at the given element strides (0 broadcasts one matrix). */
  gemm(
    a: FloatArray, b: FloatArray, c: FloatArray,
    m: number, n: number, k: number,
    batch: number, strideA: number, strideB: number, strideC: number,
    options?: GemmOptions,
  ): void;
  /** out[p] = x[… index[p] along dim …]; out has index's shape (torch.gather). */
  gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray): void;
  /** out[… index[p] along dim …] += src[p] (torch.scatter_add_); accumulates into out. */
  scatterAdd(src: TypedArray, dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** x as [outer, size, inner] → out as [outer, index.length, inner] (torch.index_select). */
  indexSelect(x: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /** Adjoint of indexSelect (torch.index_add_); accumulates into out. */
  indexAdd(src: TypedArray, outer: number, size: number, inner: number, index: Int32Array, out: TypedArray): void;
  /** Softmax or log-softmax along a dim viewed as [outer, size, inner], max-shifted for stability. */
  softmax(x: FloatArray, outer: number, size: number, inner: number, log: boolean, out: FloatArray): void;
}
