/**
 * BatchNorm2d, as `torch.nn.BatchNorm2d`, over core's `batchNorm`. Parameters `weight` (ones) and
 * `bias` (zeros) when affine; buffers `running_mean` (zeros), `running_var` (ones) and
 * `num_batches_tracked` (0; int64 in PyTorch, kept as int32 tagged for I64 checkpoints) when
 * tracking running statistics — PyTorch's names, so the state dict loads into PyTorch.
 *
 * In training mode each forward normalises with the batch statistics and, when tracking, counts
 * the batch and updates the running statistics with factor `momentum` (or 1/num_batches_tracked,
 * a cumulative average, when momentum is null). In eval mode the running statistics are used
 * (the batch statistics when not tracking).
 *
 * @example
 * const bn = new BatchNorm2d(16);
 * bn.forward(randn([4, 16, 8, 8])); // PyTorch: nn.BatchNorm2d(16)(x)
 */
import { batchNorm, batchNormRelu, checkNumber, describeValue, formatShape, ones, Tensor, tensor, zeros, type FloatDType } from '@tessera/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { checkLayerOptions } from './layer-args.js';
import { pyBool, pyFloat } from './repr.js';

export interface BatchNorm2dOptions {
  eps?: number;
  /** Running-statistics update factor (default 0.1); null for a cumulative moving average. */
  momentum?: number | null;
  affine?: boolean;
  trackRunningStats?: boolean;
  dtype?: FloatDType | undefined;
}

export class BatchNorm2d extends Module {
  weight: Parameter | null;
  bias: Parameter | null;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;

  constructor(readonly numFeatures: number, options: BatchNorm2dOptions = {}) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new Error(`BatchNorm2d: numFeatures must be a positive integer, got ${describeValue(numFeatures)}`);
    checkLayerOptions('BatchNorm2d', options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'], ['affine', 'trackRunningStats']);
    checkNumber('BatchNorm2d', 'eps', options.eps);
    if (options.momentum !== null) checkNumber('BatchNorm2d', 'momentum', options.momentum);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.affine ? new Parameter(ones([numFeatures], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numFeatures], { dtype })) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('running_mean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', track ? tensor(0, { dtype: 'int32' }) : null, { int64: true });
  }

  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean');
  }

  get runningVar(): Tensor | null {
    return this.getBuffer('running_var');
  }

  get numBatchesTracked(): number {
    return this.getBuffer('num_batches_tracked')?.item() ?? 0;
  }

  /** Resets the running statistics to their initial values, as `reset_running_stats()`. */
  resetRunningStats(): void {
    this.runningMean?.zero_();
    this.runningVar?.fill_(1);
    this.getBuffer('num_batches_tracked')?.zero_();
  }

  forward(x: Tensor): Tensor {
    return this.run(x, false);
  }

  /** relu(forward(x)) as one fused op (core's batchNormRelu; the same values); Sequential calls it for BatchNorm2d → ReLU. */
  forwardRelu(x: Tensor): Tensor {
    return this.run(x, true);
  }

  private run(x: Tensor, relu: boolean): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`BatchNorm2d: input must be a Tensor, got ${describeValue(x)}`);
    if (x.ndim !== 4) throw new Error(`BatchNorm2d: expected 4-D input (N, C, H, W), got shape ${formatShape(x.shape)}`);
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`BatchNorm2d: input has ${x.shape[1]} channels (shape ${formatShape(x.shape)}), expected numFeatures = ${this.numFeatures}`);
    }
    let factor = this.momentum ?? 0;
    const count = this.getBuffer('num_batches_tracked');
    if (this.training && this.trackRunningStats && count) {
      count.add_(1);
      factor = this.momentum ?? 1 / count.item();
    }
    const useBatchStats = this.training || this.runningMean === null;
    const passStats = !this.training || this.trackRunningStats;
    return (relu ? batchNormRelu : batchNorm)(x, passStats ? this.runningMean : null, passStats ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps,
    });
  }

  override extraRepr(): string {
    const m = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${m}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}
