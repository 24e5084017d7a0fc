/**
 * Conv2d and ConvTranspose2d layers, as `torch.nn.Conv2d` / `torch.nn.ConvTranspose2d`, over core's
 * `conv2d` / `convTranspose2d`. Weight layouts are PyTorch's: Conv2d (out, in/groups, kH, kW),
 * ConvTranspose2d (in, out/groups, kH, kW); bias (out). Initialised as PyTorch:
 * W ~ kaimingUniform(a = √5) = U(±1/√fan_in), b ~ U(±1/√fan_in), with fan_in = size(1)·kH·kW of the
 * weight (so in/groups·kH·kW for Conv2d and, as in PyTorch, out/groups·kH·kW for ConvTranspose2d).
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { padding: 1 });
 * conv.forward(randn([2, 3, 32, 32])).shape // [2, 16, 32, 32]; PyTorch: nn.Conv2d(3, 16, 3, padding=1)
 */
import { conv2d, conv2dRelu, convTranspose2d, describeValue, zeros, type Tensor } from '@tessera/core';
import { Module } from '../module.js';
import { Parameter } from '../parameter.js';
import { resetWeightAndBias, type LayerOptions } from './linear.js';
import { checkLayerOptions, size2 } from './layer-args.js';
import { pyTuple } from './repr.js';

export type Size2 = number | readonly [number, number];

interface CommonConvOptions extends LayerOptions {
  stride?: Size2;
  padding?: Size2;
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
}

export interface Conv2dLayerOptions extends Omit<CommonConvOptions, 'padding'> {
  /** A number, a pair, 'valid' (0) or 'same' (stride 1). */
  padding?: Size2 | 'same' | 'valid';
}

export interface ConvTranspose2dLayerOptions extends CommonConvOptions {
  outputPadding?: Size2;
}

function checkChannels(name: string, inChannels: number, outChannels: number, groups: number): void {
  for (const [arg, v] of [['inChannels', inChannels], ['outChannels', outChannels], ['groups', groups]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name}: ${arg} must be a positive integer, got ${describeValue(v)}`);
  }
  if (inChannels % groups !== 0) throw new Error(`${name}: inChannels (${inChannels}) must be divisible by groups (${groups})`);
  if (outChannels % groups !== 0) throw new Error(`${name}: outChannels (${outChannels}) must be divisible by groups (${groups})`);
}

/** The parts of PyTorch's conv extra_repr after the channels. */
function convRepr(k: [number, number], s: [number, number], p: [number, number] | string, d: [number, number], g: number, bias: boolean, op?: [number, number]): string {
  let r = `kernel_size=${pyTuple(k)}, stride=${pyTuple(s)}`;
  if (typeof p === 'string') r += `, padding=${p}`;
  else if (p.some((v) => v !== 0)) r += `, padding=${pyTuple(p)}`;
  if (d.some((v) => v !== 1)) r += `, dilation=${pyTuple(d)}`;
  if (op && op.some((v) => v !== 0)) r += `, output_padding=${pyTuple(op)}`;
  if (g !== 1) r += `, groups=${g}`;
  if (!bias) r += ', bias=False';
  return r;
}

export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Size2, options: Conv2dLayerOptions = {}) {
    super();
    checkLayerOptions('Conv2d', options, ['stride', 'padding', 'dilation', 'groups', 'bias', 'dtype', 'generator'], ['bias']);
    this.groups = options.groups ?? 1;
    checkChannels('Conv2d', inChannels, outChannels, this.groups);
    this.kernelSize = size2('Conv2d', 'kernelSize', kernelSize, 1);
    this.stride = size2('Conv2d', 'stride', options.stride ?? 1, 1);
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : size2('Conv2d', 'padding', padding, 0);
    this.dilation = size2('Conv2d', 'dilation', options.dilation ?? 1, 1);
    const dtype = options.dtype ?? 'float32';
    this.weight = new Parameter(zeros([outChannels, inChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = options.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
    resetWeightAndBias(this.weight, this.bias, options.generator);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  /** relu(forward(x)) as one fused op (core's conv2dRelu; the same values); Sequential calls it for Conv2d → ReLU. */
  forwardRelu(x: Tensor): Tensor {
    return conv2dRelu(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups });
  }

  override extraRepr(): string {
    const p = typeof this.padding === 'string' ? `'${this.padding}'` : this.padding;
    return `${this.inChannels}, ${this.outChannels}, ${convRepr(this.kernelSize, this.stride, p, this.dilation, this.groups, this.bias !== null)}`;
  }
}

export class ConvTranspose2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number];
  readonly outputPadding: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(readonly inChannels: number, readonly outChannels: number, kernelSize: Size2, options: ConvTranspose2dLayerOptions = {}) {
    super();
    const name = 'ConvTranspose2d';
    checkLayerOptions(name, options, ['stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'dtype', 'generator'], ['bias']);
    this.groups = options.groups ?? 1;
    checkChannels(name, inChannels, outChannels, this.groups);
    this.kernelSize = size2(name, 'kernelSize', kernelSize, 1);
    this.stride = size2(name, 'stride', options.stride ?? 1, 1);
    this.padding = size2(name, 'padding', options.padding ?? 0, 0);
    this.outputPadding = size2(name, 'outputPadding', options.outputPadding ?? 0, 0);
    this.dilation = size2(name, 'dilation', options.dilation ?? 1, 1);
    for (const a of [0, 1]) {
      if (this.outputPadding[a]! >= this.stride[a]! && this.outputPadding[a]! >= this.dilation[a]!) {
        throw new Error(`${name}: outputPadding [${this.outputPadding.join(', ')}] must be smaller than either stride [${this.stride.join(', ')}] or dilation [${this.dilation.join(', ')}]`);
      }
    }
    const dtype = options.dtype ?? 'float32';
    this.weight = new Parameter(zeros([inChannels, outChannels / this.groups, ...this.kernelSize], { dtype }));
    this.bias = options.bias ?? true ? new Parameter(zeros([outChannels], { dtype })) : null;
    resetWeightAndBias(this.weight, this.bias, options.generator);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride, padding: this.padding, outputPadding: this.outputPadding, dilation: this.dilation, groups: this.groups,
    });
  }

  override extraRepr(): string {
    const r = convRepr(this.kernelSize, this.stride, this.padding, this.dilation, this.groups, this.bias !== null, this.outputPadding);
    return `${this.inChannels}, ${this.outChannels}, ${r}`;
  }
}
