/**
 * Linear: y = x · Wᵀ + b over the last dim, as `torch.nn.Linear`. weight (out, in), bias (out);
 * initialised as PyTorch: W ~ kaimingUniform(a = √5), i.e. U(±1/√in), and b ~ U(±1/√in).
 *
 * @example
 * const fc = new Linear(4, 2, { generator: new Generator(0) });
 * fc.forward(ones([8, 4])).shape // [8, 2]; PyTorch: nn.Linear(4, 2)(x)
 */
import { add, defaultGenerator, describeValue, formatShape, matmul, Tensor, transpose, zeros, type FloatDType, type Generator } from '@tessera/core';
import { checkLayerOptions } from './layer-args.js';
import { calculateFans, kaimingUniform, uniform } from '../init.js';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { pyBool } from './repr.js';

export interface LayerOptions {
  /** Parameter dtype (default float32). */
  dtype?: FloatDType | undefined;
  /** Generator for the initial weights (default: core's default generator). */
  generator?: Generator | undefined;
}

export interface LinearOptions extends LayerOptions {
  bias?: boolean;
}

/** PyTorch's default init of a weight and its bias: kaimingUniform(a = √5), then U(±1/√fan_in). */
export function resetWeightAndBias(weight: Tensor, bias: Tensor | null, generator: Generator = defaultGenerator): void {
  if (!(weight instanceof Tensor) || weight.ndim < 2) throw new Error(`resetWeightAndBias: weight must be a Tensor of at least 2 dims, got ${weight instanceof Tensor ? `shape ${formatShape(weight.shape)}` : describeValue(weight)}`);
  if (bias !== null && !(bias instanceof Tensor)) throw new Error(`resetWeightAndBias: bias must be a Tensor or null, got ${describeValue(bias)}`);
  kaimingUniform(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const [fanIn] = calculateFans(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform(bias, -bound, bound, { generator });
  }
}

export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, options: LinearOptions = {}) {
    super();
    for (const [arg, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new Error(`Linear: ${arg} must be a non-negative integer, got ${describeValue(v)}`);
    }
    checkLayerOptions('Linear', options, ['bias', 'dtype', 'generator'], ['bias']);
    const dtype = options.dtype ?? 'float32';
    this.weight = new Parameter(zeros([outFeatures, inFeatures], { dtype }));
    this.bias = options.bias ?? true ? new Parameter(zeros([outFeatures], { dtype })) : null;
    resetWeightAndBias(this.weight, this.bias, options.generator);
  }

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new Error(`Linear: input must be a Tensor, got ${describeValue(x)}`);
    if (x.ndim < 1 || x.shape[x.ndim - 1] !== this.inFeatures) {
      throw new Error(`Linear: input of shape ${formatShape(x.shape)} must end in inFeatures = ${this.inFeatures}`);
    }
    const y = matmul(x, transpose(this.weight, 0, 1));
    return this.bias ? add(y, this.bias) : y;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
