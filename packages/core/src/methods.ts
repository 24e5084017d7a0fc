/**
 * Tensor's op methods, installed on its prototype (the tfjs way): `a.add(b)` is `add(a, b)`.
 * tensor.ts imports no op, so the ops can import Tensor without an import cycle; this module,
 * imported for its effect by every entry point (index.ts, testing/index.ts), adds the methods and
 * declares them on the Tensor interface.
 */
import type { DType } from './dtype.js';
import { backward, type BackwardOptions } from './engine.js';
import { add_, clamp_, copy_, div_, fill_, mul_, sub_, zero_, type AlphaOptions } from './ops/in-place.js';
import { abs, exp, log, sqrt } from './ops/unary-math.js';
import { expm1, log1p } from './ops/log1p.js';
import { cos, sin } from './ops/trig.js';
import { erf } from './ops/erf.js';
import { add, div, mul, neg, sub } from './ops/arithmetic.js';
import { argmax, argmin, max, min } from './ops/max.js';
import { cast } from './ops/cast.js';
import { clamp } from './ops/clamp.js';
import { expand } from './ops/expand.js';
import { flatten, reshape, squeeze, unsqueeze } from './ops/reshape.js';
import { gather } from './ops/gather.js';
import { indexSelect } from './ops/index-select.js';
import { leakyRelu, relu, sigmoid, tanh } from './ops/activations.js';
import { logSoftmax, softmax } from './ops/softmax.js';
import { matmul } from './ops/matmul.js';
import { maximum, minimum } from './ops/maximum.js';
import { mean, sum } from './ops/sum.js';
import { logsumexp } from './ops/logsumexp.js';
import { cumsum } from './ops/cumsum.js';
import { flip } from './ops/flip.js';
import { roll } from './ops/roll.js';
import { narrow } from './ops/slice.js';
import { permute, transpose } from './ops/permute.js';
import { pow } from './ops/pow.js';
import { Tensor, type TensorLike } from './tensor.js';

declare module './tensor.js' {
  interface Tensor {
    /** A copy in another dtype; differentiable between float dtypes. */
    to(dtype: DType): Tensor;
    /** A copy that is part of the graph (gradients flow back), as `torch.clone`. */
    clone(): Tensor;
    /** Backpropagates from this tensor; see `backward` in the engine. */
    backward(grad?: Tensor, options?: BackwardOptions): void;
    // Arithmetic and elementwise
    add(b: TensorLike): Tensor;
    sub(b: TensorLike): Tensor;
    mul(b: TensorLike): Tensor;
    div(b: TensorLike): Tensor;
    neg(): Tensor;
    pow(e: TensorLike): Tensor;
    exp(): Tensor;
    log(): Tensor;
    sqrt(): Tensor;
    abs(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    erf(): Tensor;
    relu(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    sigmoid(): Tensor;
    tanh(): Tensor;
    clamp(options: { min?: number; max?: number }): Tensor;
    maximum(b: TensorLike): Tensor;
    minimum(b: TensorLike): Tensor;
    // Reductions
    sum(dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor;
    mean(dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor;
    max(dim?: number, options?: { keepdim?: boolean }): Tensor;
    min(dim?: number, options?: { keepdim?: boolean }): Tensor;
    argmax(dim?: number, options?: { keepdim?: boolean }): Tensor;
    argmin(dim?: number, options?: { keepdim?: boolean }): Tensor;
    logsumexp(dim: number | readonly number[], options?: { keepdim?: boolean }): Tensor;
    cumsum(dim: number): Tensor;
    // Shape
    reshape(shape: readonly number[]): Tensor;
    view(shape: readonly number[]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(dim?: number): Tensor;
    unsqueeze(dim: number): Tensor;
    permute(dims: readonly number[]): Tensor;
    transpose(dim0: number, dim1: number): Tensor;
    expand(shape: readonly number[]): Tensor;
    narrow(dim: number, start: number, length: number): Tensor;
    indexSelect(dim: number, index: Tensor): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    flip(dims: readonly number[]): Tensor;
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    // Linear algebra and normalisation
    matmul(b: Tensor): Tensor;
    softmax(dim: number): Tensor;
    logSoftmax(dim: number): Tensor;
    // In place (ops/in-place.ts): not recorded; they bump the version shared by the tensors aliasing this data
    add_(other: TensorLike, options?: AlphaOptions): this;
    sub_(other: TensorLike, options?: AlphaOptions): this;
    mul_(other: TensorLike): this;
    div_(other: TensorLike): this;
    clamp_(options: { min?: number; max?: number }): this;
    fill_(value: number): this;
    zero_(): this;
    copy_(src: Tensor): this;
  }
}

Tensor.prototype.to = function (this: Tensor, dtype: DType): Tensor { return cast(this, dtype); };
Tensor.prototype.clone = function (this: Tensor): Tensor { return reshape(this, this.shape, true); };
Tensor.prototype.backward = function (this: Tensor, grad?: Tensor, options?: BackwardOptions): void { backward(this, grad, options); };

// Arithmetic and elementwise
Tensor.prototype.add = function (this: Tensor, b: TensorLike): Tensor { return add(this, b); };
Tensor.prototype.sub = function (this: Tensor, b: TensorLike): Tensor { return sub(this, b); };
Tensor.prototype.mul = function (this: Tensor, b: TensorLike): Tensor { return mul(this, b); };
Tensor.prototype.div = function (this: Tensor, b: TensorLike): Tensor { return div(this, b); };
Tensor.prototype.neg = function (this: Tensor): Tensor { return neg(this); };
Tensor.prototype.pow = function (this: Tensor, e: TensorLike): Tensor { return pow(this, e); };
Tensor.prototype.exp = function (this: Tensor): Tensor { return exp(this); };
Tensor.prototype.log = function (this: Tensor): Tensor { return log(this); };
Tensor.prototype.sqrt = function (this: Tensor): Tensor { return sqrt(this); };
Tensor.prototype.abs = function (this: Tensor): Tensor { return abs(this); };
Tensor.prototype.log1p = function (this: Tensor): Tensor { return log1p(this); };
Tensor.prototype.expm1 = function (this: Tensor): Tensor { return expm1(this); };
Tensor.prototype.sin = function (this: Tensor): Tensor { return sin(this); };
Tensor.prototype.cos = function (this: Tensor): Tensor { return cos(this); };
Tensor.prototype.erf = function (this: Tensor): Tensor { return erf(this); };
Tensor.prototype.relu = function (this: Tensor): Tensor { return relu(this); };
Tensor.prototype.leakyRelu = function (this: Tensor, negativeSlope?: number): Tensor { return leakyRelu(this, negativeSlope === undefined ? {} : { negativeSlope }); };
Tensor.prototype.sigmoid = function (this: Tensor): Tensor { return sigmoid(this); };
Tensor.prototype.tanh = function (this: Tensor): Tensor { return tanh(this); };
Tensor.prototype.clamp = function (this: Tensor, options: { min?: number; max?: number }): Tensor { return clamp(this, options); };
Tensor.prototype.maximum = function (this: Tensor, b: TensorLike): Tensor { return maximum(this, b); };
Tensor.prototype.minimum = function (this: Tensor, b: TensorLike): Tensor { return minimum(this, b); };
// Reductions
Tensor.prototype.sum = function (this: Tensor, dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor { return sum(this, dim, options); };
Tensor.prototype.mean = function (this: Tensor, dim?: number | readonly number[], options?: { keepdim?: boolean }): Tensor { return mean(this, dim, options); };
Tensor.prototype.max = function (this: Tensor, dim?: number, options?: { keepdim?: boolean }): Tensor { return max(this, dim, options); };
Tensor.prototype.min = function (this: Tensor, dim?: number, options?: { keepdim?: boolean }): Tensor { return min(this, dim, options); };
Tensor.prototype.argmax = function (this: Tensor, dim?: number, options?: { keepdim?: boolean }): Tensor { return argmax(this, dim, options); };
Tensor.prototype.argmin = function (this: Tensor, dim?: number, options?: { keepdim?: boolean }): Tensor { return argmin(this, dim, options); };
Tensor.prototype.logsumexp = function (this: Tensor, dim: number | readonly number[], options?: { keepdim?: boolean }): Tensor { return logsumexp(this, dim, options); };
Tensor.prototype.cumsum = function (this: Tensor, dim: number): Tensor { return cumsum(this, dim); };
// Shape
Tensor.prototype.reshape = function (this: Tensor, shape: readonly number[]): Tensor { return reshape(this, shape); };
Tensor.prototype.view = function (this: Tensor, shape: readonly number[]): Tensor { return reshape(this, shape); };
Tensor.prototype.flatten = function (this: Tensor, startDim?: number, endDim?: number): Tensor { return flatten(this, startDim, endDim); };
Tensor.prototype.squeeze = function (this: Tensor, dim?: number): Tensor { return squeeze(this, dim); };
Tensor.prototype.unsqueeze = function (this: Tensor, dim: number): Tensor { return unsqueeze(this, dim); };
Tensor.prototype.permute = function (this: Tensor, dims: readonly number[]): Tensor { return permute(this, dims); };
Tensor.prototype.transpose = function (this: Tensor, dim0: number, dim1: number): Tensor { return transpose(this, dim0, dim1); };
Tensor.prototype.expand = function (this: Tensor, shape: readonly number[]): Tensor { return expand(this, shape); };
Tensor.prototype.narrow = function (this: Tensor, dim: number, start: number, length: number): Tensor { return narrow(this, dim, start, length); };
Tensor.prototype.indexSelect = function (this: Tensor, dim: number, index: Tensor): Tensor { return indexSelect(this, dim, index); };
Tensor.prototype.gather = function (this: Tensor, dim: number, index: Tensor): Tensor { return gather(this, dim, index); };
Tensor.prototype.flip = function (this: Tensor, dims: readonly number[]): Tensor { return flip(this, dims); };
Tensor.prototype.roll = function (this: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor { return roll(this, shifts, dims); };
// Linear algebra and normalisation
Tensor.prototype.matmul = function (this: Tensor, b: Tensor): Tensor { return matmul(this, b); };
Tensor.prototype.softmax = function (this: Tensor, dim: number): Tensor { return softmax(this, dim); };
Tensor.prototype.logSoftmax = function (this: Tensor, dim: number): Tensor { return logSoftmax(this, dim); };
// In place
Tensor.prototype.add_ = function <T extends Tensor>(this: T, other: TensorLike, options?: AlphaOptions): T { add_(this, other, options); return this; };
Tensor.prototype.sub_ = function <T extends Tensor>(this: T, other: TensorLike, options?: AlphaOptions): T { sub_(this, other, options); return this; };
Tensor.prototype.mul_ = function <T extends Tensor>(this: T, other: TensorLike): T { mul_(this, other); return this; };
Tensor.prototype.div_ = function <T extends Tensor>(this: T, other: TensorLike): T { div_(this, other); return this; };
Tensor.prototype.clamp_ = function <T extends Tensor>(this: T, options: { min?: number; max?: number }): T { clamp_(this, options); return this; };
Tensor.prototype.fill_ = function <T extends Tensor>(this: T, value: number): T { fill_(this, value); return this; };
Tensor.prototype.zero_ = function <T extends Tensor>(this: T): T { zero_(this); return this; };
Tensor.prototype.copy_ = function <T extends Tensor>(this: T, src: Tensor): T { copy_(this, src); return this; };
