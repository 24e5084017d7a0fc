/**
 * Building blocks shared by the U-Nets (UNet, and the change-detection segmenters FCEF and
 * FCSiamDiff): options, the 3×3 conv blocks, the encoder stages, the decoder, the layers all three
 * hold (UNetLayers), and the input checks.
 *
 * A conv block is [Conv2d 3×3 (padding 1) → BatchNorm2d? → ReLU → Dropout?] × 2. Stage i (0-based)
 * has width baseWidth·2^i; the bottleneck, at 1/2^depth resolution, has width baseWidth·2^depth.
 * Each decoder level upsamples ×2 (nearest, or a 2×2 stride-2 ConvTranspose2d that keeps the
 * channels), concatenates the skip of the same resolution on channels, and applies a conv block.
 */
import { cat, describeValue, formatShape, Tensor, type FloatDType, type Generator } from '@tessera/core';
import { BatchNorm2d } from '../layers/batch-norm.js';
import { Conv2d, ConvTranspose2d } from '../layers/conv.js';
import { ReLU } from '../layers/activation.js';
import { MaxPool2d } from '../layers/pooling.js';
import { ModuleList, Sequential } from '../layers/sequential.js';
import { Dropout, Upsample } from '../layers/upsample.js';
import { checkLayerOptions } from '../layers/layer-args.js';
import { Module } from '../module.js';

export interface SegmenterOptions {
  /** Channels of each input image (default 3). */
  inChannels?: number;
  /** Output classes (default 2: no change / change). */
  numClasses?: number;
  /** Number of down-sampling stages (default 3); H and W must be divisible by 2^depth. */
  depth?: number;
  /** Channels of the first stage (default 16), doubled at each stage. */
  baseWidth?: number;
  /** BatchNorm2d after each 3×3 conv (default true; the convs then have no bias). */
  batchNorm?: boolean;
  /** Dropout probability after each ReLU (default 0: no dropout layers). */
  dropout?: number;
  /** Decoder upsampling: 'nearest' (default) or 'transposed' (ConvTranspose2d 2×2, stride 2). */
  upsample?: 'nearest' | 'transposed';
  dtype?: FloatDType | undefined;
  generator?: Generator | undefined;
}

export type ResolvedOptions = Required<Omit<SegmenterOptions, 'generator'>> & { generator: Generator | undefined };

export function resolveOptions(model: string, o: SegmenterOptions): ResolvedOptions {
  checkLayerOptions(model, o, ['inChannels', 'numClasses', 'depth', 'baseWidth', 'batchNorm', 'dropout', 'upsample', 'dtype', 'generator'], ['batchNorm']);
  o ??= {};
  const r: ResolvedOptions = {
    inChannels: o.inChannels ?? 3, numClasses: o.numClasses ?? 2, depth: o.depth ?? 3, baseWidth: o.baseWidth ?? 16,
    batchNorm: o.batchNorm ?? true, dropout: o.dropout ?? 0, upsample: o.upsample ?? 'nearest', dtype: o.dtype ?? 'float32',
    generator: o.generator,
  };
  for (const arg of ['inChannels', 'numClasses', 'depth', 'baseWidth'] as const) {
    if (!Number.isInteger(r[arg]) || r[arg] < 1) throw new Error(`${model}: ${arg} must be a positive integer, got ${String(r[arg])}`);
  }
  if (typeof r.dropout !== 'number' || !(r.dropout >= 0 && r.dropout < 1)) throw new Error(`${model}: dropout must be in [0, 1), got ${String(r.dropout)}`);
  if (r.upsample !== 'nearest' && r.upsample !== 'transposed') throw new Error(`${model}: upsample must be 'nearest' or 'transposed', got ${String(r.upsample)}`);
  return r;
}

const layerOpts = (o: ResolvedOptions) => ({ dtype: o.dtype, ...(o.generator ? { generator: o.generator } : {}) });

/** [conv 3×3 → BN? → ReLU → Dropout?] × 2. */
export function convBlock(inC: number, outC: number, o: ResolvedOptions): Sequential {
  const layers: Module[] = [];
  for (const c of [inC, outC]) {
    layers.push(new Conv2d(c, outC, 3, { padding: 1, bias: !o.batchNorm, ...layerOpts(o) }));
    if (o.batchNorm) layers.push(new BatchNorm2d(outC, { dtype: o.dtype }));
    layers.push(new ReLU());
    if (o.dropout > 0) layers.push(new Dropout(o.dropout, o.generator ? { generator: o.generator } : {}));
  }
  return new Sequential(...layers);
}

export const width = (o: ResolvedOptions, level: number): number => o.baseWidth * 2 ** level;

/** The encoder stages 0 … depth−1 (each followed by a 2×2 max-pool in forward). */
export function buildEncoder(inC: number, o: ResolvedOptions): ModuleList {
  return new ModuleList(Array.from({ length: o.depth }, (_, i) => convBlock(i === 0 ? inC : width(o, i - 1), width(o, i), o)));
}

/** Upsamplers and conv blocks of the decoder, deepest level first (the order they run in). */
export function buildDecoder(o: ResolvedOptions): { up: ModuleList; decoder: ModuleList } {
  const levels = Array.from({ length: o.depth }, (_, k) => o.depth - 1 - k);
  const up = new ModuleList(levels.map((i) => {
    const c = width(o, i + 1);
    return o.upsample === 'nearest' ? new Upsample({ scaleFactor: 2 }) : new ConvTranspose2d(c, c, 2, { stride: 2, ...layerOpts(o) });
  }));
  const decoder = new ModuleList(levels.map((i) => convBlock(width(o, i + 1) + width(o, i), width(o, i), o)));
  return { up, decoder };
}

/** Runs the decoder from the bottleneck features `x` with the skips (shallowest first). */
export function decode(up: ModuleList, decoder: ModuleList, x: Tensor, skips: readonly Tensor[]): Tensor {
  let y = x;
  for (let k = 0; k < decoder.length; k++) {
    y = up.at(k).forward(y);
    y = decoder.at(k).forward(cat([y, skips[skips.length - 1 - k]!], 1));
  }
  return y;
}

/** What a forward got, for its error: a tensor's shape, else the value (a string, null, nothing). */
export function describeInput(x: unknown): string {
  return x instanceof Tensor ? `shape ${formatShape(x.shape)}` : x === undefined ? 'nothing' : describeValue(x);
}

/** Checks a (N, C, H, W) image pair: same shapes, C = inChannels, H and W divisible by 2^depth. */
export function checkPair(model: string, x1: Tensor, x2: Tensor, inChannels: number, depth: number): void {
  for (const [arg, x] of [['x1', x1], ['x2', x2]] as const) {
    if (!(x instanceof Tensor) || x.ndim !== 4) {
      throw new Error(`${model}: ${arg} must be a 4-D (N, C, H, W) tensor, got ${describeInput(x)}`);
    }
    if (x.shape[1] !== inChannels) throw new Error(`${model}: ${arg} has ${x.shape[1]} channels (shape ${formatShape(x.shape)}), expected inChannels = ${inChannels}`);
  }
  if (x1.shape.some((d, i) => d !== x2.shape[i])) {
    throw new Error(`${model}: x1 and x2 must have the same shape, got ${formatShape(x1.shape)} and ${formatShape(x2.shape)}`);
  }
  checkDivisible(model, x1, depth);
}

/** H and W must be divisible by 2^depth so that every pooled map upsamples back to its skip's size. */
export function checkDivisible(model: string, x: Tensor, depth: number): void {
  const f = 2 ** depth;
  (['height', 'width'] as const).forEach((name, k) => {
    const size = x.shape[2 + k]!;
    if (size % f !== 0) {
      throw new Error(
        `${model}: input ${name} ${size} (shape ${formatShape(x.shape)}) is not divisible by 2^depth = ${f} (depth ${depth}); ` +
          `crop or pad the images to a multiple of ${f}`,
      );
    }
  });
}

/**
 * The layers of every U-Net here, in state-dict order: encoder stages, pool, bottleneck, upsamplers,
 * decoder blocks, 1×1 head. The encoder's first stage takes `inputs` images stacked on channels
 * (FCEF: 2; UNet and the siamese FCSiamDiff: 1).
 */
export abstract class UNetLayers extends Module {
  readonly options: ResolvedOptions;
  encoder: ModuleList;
  pool = new MaxPool2d(2);
  bottleneck: Sequential;
  up: ModuleList;
  decoder: ModuleList;
  head: Conv2d;

  protected constructor(model: string, options: SegmenterOptions, inputs: number) {
    super();
    const o = resolveOptions(model, options);
    this.options = o;
    this.encoder = buildEncoder(inputs * o.inChannels, o);
    this.bottleneck = convBlock(width(o, o.depth - 1), width(o, o.depth), o);
    ({ up: this.up, decoder: this.decoder } = buildDecoder(o));
    this.head = new Conv2d(o.baseWidth, o.numClasses, 1, layerOpts(o));
  }

  /** Encoder (keeping each stage's output as a skip), bottleneck, decoder and head on one input. */
  protected encodeDecode(x: Tensor): Tensor {
    let y = x;
    const skips: Tensor[] = [];
    for (const stage of this.encoder) {
      y = stage.forward(y);
      skips.push(y);
      y = this.pool.forward(y);
    }
    return this.head.forward(decode(this.up, this.decoder, this.bottleneck.forward(y), skips));
  }
}
