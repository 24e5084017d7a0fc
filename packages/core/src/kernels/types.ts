import type { FloatArray, TypedArray } from '../dtype.js';

/** Reduction of a loss, as PyTorch's `reduction` argument. */
export type LossReduction = 'none' | 'mean' | 'sum';

/**
 * What crossEntropyForward returns: the 'mean' denominator and what its backward reads: the js
 * kernel's per-position max and rest (`stats`), or nothing (the wasm backward recomputes them).
 */
export interface CrossEntropySaved {
  denominator: number;
  stats: Float64Array | null;
}

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
  | 'sign'
  | 'log1p'
  | 'expm1'
  | 'sin'
  | 'cos'
  | 'erf';

/** Options of a (batched) GEMM: C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]. */
export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
}

/**
 * The geometry of a batched 2-D convolution (kernels conv2dForward / conv2dBackward): input
 * [n, c, h, w], weight [cOut, c/groups, kH, kW], output [n, cOut, outH, outW]; strides (sH, sW),
 * top/left padding (pH, pW; the bottom/right one is implied by outH/outW), dilations (dH, dW).
 */
export interface Conv2dGeometry {
  n: number; c: number; h: number; w: number;
  cOut: number; groups: number;
  kH: number; kW: number; sH: number; sW: number; pH: number; pW: number; dH: number; dW: number;
  outH: number; outW: number;
}

/** What conv2dForward applies to each output as it writes it (fused for speed). */
export interface Conv2dForwardOptions {
  /** y = max(conv + bias, 0) (as the relu kernel: x > 0 ? x : 0). */
  relu?: boolean;
}

/** How conv2dBackward reads its upstream gradient. */
export interface Conv2dBackwardOptions {
  /**
   * The output of a forward with `relu`: the gradients are those of grad·[not reluMask ≤ 0] (relu's
   * backward fused into the convolution's).
   */
  reluMask?: FloatArray | null;
}

/** A tensor viewed as [outer, size, inner] around one dim (reductions, softmax, index_select). */
export interface DimView {
  outer: number;
  size: number;
  inner: number;
}

/** A batch viewed as [n, c, inner] (batch normalisation: statistics per channel c). */
export interface ChannelView {
  n: number;
  c: number;
  inner: number;
}

/**
 * A ChannelView with relu fused into the batch-norm kernels (for speed): `relu` applied to
 * channelAffine's output, `reluMask` (keeps where not ≤ 0, so NaN keeps) applied to the value read as input/g.
 */
export interface ChannelParams extends ChannelView {
  relu?: boolean;
  reluMask?: FloatArray | null;
}

/**
 * A (batched) GEMM: C[t] = alpha · op(A[t]) · op(B[t]) + beta · C[t] for t < batch, each matrix at
 * an element stride from the previous (0 broadcasts one matrix; defaults m·k, k·n, m·n).
 */
export interface GemmParams extends GemmOptions {
  m: number;
  n: number;
  k: number;
  batch?: number;
  strideA?: number;
  strideB?: number;
  strideC?: number;
}

/**
 * The unfolding of one image x [c, h, w] by a kH × kW kernel with strides (sH, sW), top/left
 * padding (pH, pW; the bottom/right one is implied by outH/outW) and dilations (dH, dW).
 */
export interface Im2colGeometry {
  c: number; h: number; w: number;
  kH: number; kW: number; sH: number; sW: number; pH: number; pW: number; dH: number; dW: number;
  outH: number; outW: number;
}

/** Max pooling windows over `planes` = N·C planes of h × w (geometry as Im2colGeometry's). */
export interface MaxPool2dParams {
  planes: number; h: number; w: number;
  kH: number; kW: number; sH: number; sW: number; pH: number; pW: number; dH: number; dW: number;
  outH: number; outW: number;
}

/** Average pooling windows; the divisor is divisorOverride if ≠ 0, else the window clipped to the padded image (countIncludePad) or to the image. */
export interface AvgPool2dParams {
  planes: number; h: number; w: number;
  kH: number; kW: number; sH: number; sW: number; pH: number; pW: number;
  outH: number; outW: number;
  countIncludePad: boolean;
  divisorOverride: number;
}

/** Resampling x [outer, inSize, inner] → [outer, outSize, inner]: out[o, j, k] = w0[j]·x[o, i0[j], k] + w1[j]·x[o, i1[j], k]. */
export interface Resample1dParams {
  outer: number; inSize: number; inner: number; outSize: number;
  i0: Int32Array; i1: Int32Array; w0: Float64Array; w1: Float64Array;
}

/** A classification loss over logits or log-probabilities viewed as [n, c, spatial]. */
export interface ClassLossParams {
  n: number;
  c: number;
  spatial: number;
  /** Index-target value whose positions count for nothing. */
  ignoreIndex: number;
  reduction: LossReduction;
}

export interface CrossEntropyParams extends ClassLossParams {
  /** ε in [0, 1]: the target mixed with the uniform distribution. */
  labelSmoothing: number;
}

/**
 * The hot loops of Tessera behind a narrow interface: typed arrays and sizes in, typed arrays out.
 * Ops never loop over elements themselves; a faster backend replaces some of these functions and
 * the ops do not change. Every kernel writes into `out` (allocated by the caller) unless it says
 * otherwise. Arrays are contiguous row-major. Arguments: the arrays first (inputs, then outputs),
 * sizes and options in one parameter object last.
 */
export interface Kernels {
  readonly name: string;
  /** out[i] = a[ia] op b[ib] with NumPy broadcasting of aShape and bShape to outShape. */
  binary(op: BinaryKernelOp, a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** out[i] = op(x[i]). */
  unary(op: UnaryKernelOp, x: TypedArray, out: TypedArray): void;
  /** out[i] = x[i] <= 0 ? 0 : grad[i] (relu's backward, fused; NaN passes, as PyTorch's threshold_backward). */
  reluBackward(grad: TypedArray, x: TypedArray, out: TypedArray): void;
  /** out[i] = mask[i] ≠ 0 ? a[i] : b[i], all of out's size. */
  select(mask: TypedArray, a: TypedArray, b: TypedArray, out: TypedArray): void;
  /** Sum of x over the dims flagged in `reduce` (same rank as shape); out has the kept dims' size. */
  sum(x: TypedArray, shape: readonly number[], reduce: readonly boolean[], out: TypedArray): void;
  /** Max (or min) along the dim of view v; writes values and the first index of the extremum. */
  argReduce(x: TypedArray, values: TypedArray, indices: Int32Array, v: DimView & { kind: 'max' | 'min' }): void;
  /** out = x permuted: out.shape[i] = shape[perm[i]]. */
  permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void;
  /** Batched GEMM (see GemmParams). */
  gemm(a: FloatArray, b: FloatArray, c: FloatArray, p: GemmParams): void;
  /** out[p] = x[… index[p] along dim …]; out has index's shape (torch.gather). */
  gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray): void;
  /** out[… index[p] along dim …] += src[p] (torch.scatter_add_); accumulates into out. */
  scatterAdd(src: TypedArray, dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray, outShape: readonly number[]): void;
  /** x viewed as v → out as [outer, index.length, inner] (torch.index_select). */
  indexSelect(x: TypedArray, index: Int32Array, out: TypedArray, v: DimView): void;
  /** Adjoint of indexSelect (torch.index_add_), out viewed as v; accumulates into out. */
  indexAdd(src: TypedArray, index: Int32Array, out: TypedArray, v: DimView): void;
  /** Cumulative sum along the dim of view v, accumulated in float64. Writes all of out. */
  cumsum(x: TypedArray, out: TypedArray, v: DimView): void;
  /** Softmax or log-softmax along the dim of view v, max-shifted for stability. */
  softmax(x: FloatArray, out: FloatArray, v: DimView & { log: boolean }): void;

  // Convolution (kernels/conv.ts). One image x [c, h, w]; col [c·kH·kW, outH·outW].
  /** Unfold: col[(ci, ki, kj), (oh, ow)] = x[ci, oh·sH − pH + ki·dH, ow·sW − pW + kj·dW], 0 outside. Writes all of col. */
  im2col(x: FloatArray, col: FloatArray, g: Im2colGeometry): void;
  /** Fold, the adjoint of im2col; accumulates into x. */
  col2im(col: FloatArray, x: FloatArray, g: Im2colGeometry): void;

  // Whole convolutions (kernels/conv2d.ts in js; a backend may fuse the unfolding into its GEMM).
  /** out = conv2d(x, weight) + bias (bias [cOut] or null), as F.conv2d (then relu, if asked). Writes all of out. */
  conv2dForward(x: FloatArray, weight: FloatArray, bias: FloatArray | null, g: Conv2dGeometry, out: FloatArray, options?: Conv2dForwardOptions): void;
  /** The gradients of conv2d's input, weight and bias from the upstream grad (masked, if asked); writes each one not null. */
  conv2dBackward(
    grad: FloatArray, x: FloatArray, weight: FloatArray, g: Conv2dGeometry, dx: FloatArray | null, dw: FloatArray | null, db: FloatArray | null,
    options?: Conv2dBackwardOptions,
  ): void;

  // Pooling (kernels/pool.ts) over `planes` = N·C planes of h × w.
  /** Max of each dilated window and its flat index ih·w + iw in the plane (first max wins ties; NaN propagates). */
  maxPool2d(x: FloatArray, out: FloatArray, indices: Int32Array, p: MaxPool2dParams): void;
  /** dx[p, indices[p, j]] += grad[p, j] over `planes` planes; accumulates into dx. */
  maxPool2dBackward(grad: FloatArray, indices: Int32Array, dx: FloatArray, p: { planes: number; inPlane: number; outPlane: number }): void;
  /** Window sum / divisor. */
  avgPool2d(x: FloatArray, out: FloatArray, p: AvgPool2dParams): void;
  /** Adjoint of avgPool2d; accumulates into dx. */
  avgPool2dBackward(grad: FloatArray, dx: FloatArray, p: AvgPool2dParams): void;

  // Interpolation (kernels/resample.ts).
  /** out[o, j, k] = w0[j]·x[o, i0[j], k] + w1[j]·x[o, i1[j], k] (the second term skipped where w1[j] = 0). */
  resample1d(x: FloatArray, out: FloatArray, p: Resample1dParams): void;
  /** Adjoint of resample1d; accumulates into dx. */
  resample1dBackward(g: FloatArray, dx: FloatArray, p: Resample1dParams): void;

  // Batch normalisation (kernels/norm.ts): tensors viewed as [n, c, inner], per-channel statistics in float64.
  /** mean[c] and biased variance[c] over n and inner. */
  channelMoments(x: FloatArray, mean: Float64Array, variance: Float64Array, v: ChannelView): void;
  /** out = x·scale[c] + shift[c] (x read as x·[not reluMask ≤ 0] when given; then relu, with `relu`: as the relu kernel, on the stored value). */
  channelAffine(x: FloatArray, scale: Float64Array, shift: Float64Array, out: FloatArray, v: ChannelParams): void;
  /** sumG[c] = Σ g, sumGX[c] = Σ g·(x − center[c]) (overwrites both); g read as g·[not reluMask ≤ 0] when given. */
  channelGradSums(g: FloatArray, x: FloatArray, center: Float64Array, sumG: Float64Array, sumGX: Float64Array, v: ChannelParams): void;
  /** out = g·a[c] + (x − center[c])·b[c] + shift[c]; g read as g·[not reluMask ≤ 0] when given. */
  channelCombine(g: FloatArray, x: FloatArray, a: Float64Array, b: Float64Array, center: Float64Array, shift: Float64Array, out: FloatArray, v: ChannelParams): void;

  // Losses (kernels/cross-entropy.ts, kernels/nll-loss.ts): logits or log-probabilities viewed as
  // [n, c, spatial]; index targets are Int32Array (n·spatial), probability targets are float (n·c·spatial).
  /**
   * Fused softmax cross-entropy. Writes the losses (n·spatial values for 'none', else one) and
   * returns the 'mean' denominator and what the backward needs: the js kernel's per-position max m
   * and rest Σ_{c ≠ argmax} exp(x_c − m) (2·n·spatial: maxima, then rests), or null from a kernel
   * whose backward recomputes them. With gradInput (reduction 'mean' or 'sum'), also writes all of it:
   * the gradient of the loss for upstream 1 (scale 1/denominator under 'mean'), which the op asks for
   * when it will need it, so that a kernel can compute loss and gradient in one pass over x.
   */
  crossEntropyForward(
    x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, out: FloatArray, gradInput: FloatArray | null, p: CrossEntropyParams,
  ): CrossEntropySaved;
  /**
   * gradInput = ∂(Σ upstream·scale·loss)/∂x; upstream has 1 or n·spatial values. `saved` is what the
   * forward returned (null: recompute what is needed; a backend ignores what another backend saved). Writes all of gradInput.
   */
  crossEntropyBackward(
    x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, saved: CrossEntropySaved | null, upstream: FloatArray,
    gradInput: FloatArray, p: CrossEntropyParams & { scale: number },
  ): void;
  /** The first i with target[i] outside [0, c) and not ignoreIndex, or −1 (the class-index losses' check). */
  firstInvalidTarget(target: Int32Array, p: { c: number; ignoreIndex: number }): number;
  /** NLL: loss = −w_y·x_y (0 where ignored); writes out (n·spatial or one value) and returns Σ w_y. */
  nllLossForward(x: FloatArray, target: Int32Array, weight: FloatArray | null, out: FloatArray, p: ClassLossParams): number;
  /** Sets gradInput (zero-filled by the caller) to −w_y·upstream·scale at each non-ignored target. */
  nllLossBackward(target: Int32Array, weight: FloatArray | null, upstream: FloatArray, gradInput: FloatArray, p: ClassLossParams & { scale: number }): void;
}

/** Every kernel's name: an exhaustive union, so a table over kernels (a backend, a wrapper) misses none. */
export type KernelName = Exclude<keyof Kernels, 'name'>;
