/**
 * Pooling layers, as `torch.nn.MaxPool2d` / `torch.nn.AvgPool2d`, over core's `maxPool2d` /
 * `avgPool2d`; `stride` defaults to `kernelSize`.
 *
 * @example
 * new MaxPool2d(2).forward(randn([1, 3, 8, 8])).shape // [1, 3, 4, 4]; PyTorch: nn.MaxPool2d(2)(x)
 */
import { avgPool2d, maxPool2d, type Tensor } from '@tessera/core';
import { Module } from '../module.js';
import { checkLayerOptions, size2 } from './layer-args.js';
import { pyBool, pyIntOrTuple } from './repr.js';
import type { Size2 } from './conv.js';

export interface MaxPool2dLayerOptions {
  stride?: Size2 | null;
  padding?: Size2;
  dilation?: Size2;
  ceilMode?: boolean;
}

export class MaxPool2d extends Module {
  readonly stride: Size2;
  readonly padding: Size2;
  readonly dilation: Size2;
  readonly ceilMode: boolean;

  constructor(readonly kernelSize: Size2, options: MaxPool2dLayerOptions = {}) {
    super();
    checkLayerOptions('MaxPool2d', options, ['stride', 'padding', 'dilation', 'ceilMode'], ['ceilMode']);
    size2('MaxPool2d', 'kernelSize', kernelSize, 1);
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    size2('MaxPool2d', 'stride', this.stride, 1);
    size2('MaxPool2d', 'padding', this.padding, 0);
    size2('MaxPool2d', 'dilation', this.dilation, 1);
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode });
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}, ` +
      `dilation=${pyIntOrTuple(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

export interface AvgPool2dLayerOptions {
  stride?: Size2 | null;
  padding?: Size2;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  divisorOverride?: number | null;
}

export class AvgPool2d extends Module {
  readonly stride: Size2;
  readonly padding: Size2;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(readonly kernelSize: Size2, options: AvgPool2dLayerOptions = {}) {
    super();
    checkLayerOptions('AvgPool2d', options, ['stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], ['ceilMode', 'countIncludePad']);
    size2('AvgPool2d', 'kernelSize', kernelSize, 1);
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    size2('AvgPool2d', 'stride', this.stride, 1);
    size2('AvgPool2d', 'padding', this.padding, 0);
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
    this.divisorOverride = options.divisorOverride ?? null;
    const d = this.divisorOverride;
    if (d !== null && (typeof d !== 'number' || !Number.isInteger(d) || d === 0)) throw new Error(`AvgPool2d: divisorOverride must be a non-zero integer, got ${String(d)}`);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, {
      kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad, divisorOverride: this.divisorOverride,
    });
  }

  override extraRepr(): string {
    return `kernel_size=${pyIntOrTuple(this.kernelSize)}, stride=${pyIntOrTuple(this.stride)}, padding=${pyIntOrTuple(this.padding)}`;
  }
}
