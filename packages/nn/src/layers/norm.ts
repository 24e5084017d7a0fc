/**
 * LayerNorm and GroupNorm, as `torch.nn.LayerNorm` / `torch.nn.GroupNorm`, over core's layerNorm and
 * groupNorm. Parameters `weight` (ones) and `bias` (zeros) — of shape normalizedShape for LayerNorm,
 * [numChannels] for GroupNorm — when elementwiseAffine / affine (PyTorch's names, so state dicts load
 * into PyTorch). Neither keeps running statistics: training and eval compute the same thing.
 *
 * @example
 * new LayerNorm([16]).forward(x) // x of shape [N, 16]; PyTorch: nn.LayerNorm(16)(x)
 * new GroupNorm(4, 32).forward(x) // x of shape [N, 32, H, W]; PyTorch: nn.GroupNorm(4, 32)(x)
 */
import { checkNumber, groupNorm, layerNorm, ones, zeros, type FloatDType, type Tensor } from '@tessera/core';
import { Module } from '../module.js';
import { checkLayerOptions } from './layer-args.js';
import { Parameter } from '../parameter.js';
import { pyBool, pyFloat, pyTuple } from './repr.js';

export interface LayerNormLayerOptions {
  eps?: number;
  /** Learnable weight and bias of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  dtype?: FloatDType;
}

export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0 || !this.normalizedShape.every((d) => Number.isInteger(d) && d >= 1)) {
      throw new Error(`LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`);
    }
    checkLayerOptions('LayerNorm', options, ['eps', 'elementwiseAffine', 'dtype'], ['elementwiseAffine']);
    checkNumber('LayerNorm', 'eps', options.eps);
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.elementwiseAffine ? new Parameter(ones(this.normalizedShape, { dtype })) : null;
    this.bias = this.elementwiseAffine ? new Parameter(zeros(this.normalizedShape, { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${pyTuple(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}

export interface GroupNormLayerOptions {
  eps?: number;
  /** Learnable per-channel weight and bias (default true). */
  affine?: boolean;
  dtype?: FloatDType;
}

export class GroupNorm extends Module {
  readonly eps: number;
  readonly affine: boolean;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(readonly numGroups: number, readonly numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    if (!Number.isInteger(numGroups) || numGroups < 1) throw new Error(`GroupNorm: numGroups must be a positive integer, got ${numGroups}`);
    if (!Number.isInteger(numChannels) || numChannels % numGroups !== 0) {
      throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    }
    checkLayerOptions('GroupNorm', options, ['eps', 'affine', 'dtype'], ['affine']);
    checkNumber('GroupNorm', 'eps', options.eps);
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.affine ? new Parameter(ones([numChannels], { dtype })) : null;
    this.bias = this.affine ? new Parameter(zeros([numChannels], { dtype })) : null;
  }

  forward(x: Tensor): Tensor {
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyBool(this.affine)}`;
  }
}
