/**
 * Upsample and Dropout layers, as `torch.nn.Upsample` / `torch.nn.Dropout`, over core's
 * `interpolate` and `dropout`. Dropout is active in training mode only.
 *
 * @example
 * new Upsample({ scaleFactor: 2 }).forward(randn([1, 3, 4, 4])).shape // [1, 3, 8, 8]; PyTorch: nn.Upsample(scale_factor=2)
 */
import { checkNumber, dropout, interpolate, type Generator, type Tensor } from '@tessera/core';
import { checkGenerator, checkLayerOptions, size2 } from './layer-args.js';
import { Module } from '../module.js';
import { pyFloat, pyIntOrTuple } from './repr.js';
import type { Size2 } from './conv.js';

export interface UpsampleOptions {
  /** Output size (H, W); give this or scaleFactor. */
  size?: Size2;
  scaleFactor?: number | readonly [number, number];
  mode?: 'nearest' | 'bilinear';
  alignCorners?: boolean;
}

export class Upsample extends Module {
  readonly size: Size2 | undefined;
  readonly scaleFactor: number | readonly [number, number] | undefined;
  readonly mode: 'nearest' | 'bilinear';
  readonly alignCorners: boolean | undefined;

  constructor(options: UpsampleOptions) {
    super();
    checkLayerOptions('Upsample', options, ['size', 'scaleFactor', 'mode', 'alignCorners'], ['alignCorners']);
    if ((options.size === undefined) === (options.scaleFactor === undefined)) {
      throw new Error('Upsample: give exactly one of size and scaleFactor');
    }
    if (options.size !== undefined) size2('Upsample', 'size', options.size, 1);
    const f = options.scaleFactor;
    if (f !== undefined) for (const v of typeof f === 'number' ? [f] : Array.isArray(f) && f.length === 2 ? f : [Number.NaN]) checkNumber('Upsample', 'scaleFactor', v, { min: 0, above: true });
    if (options.mode !== undefined && options.mode !== 'nearest' && options.mode !== 'bilinear') {
      throw new Error(`Upsample: mode must be 'nearest' or 'bilinear', got ${JSON.stringify(options.mode)}`);
    }
    this.size = options.size;
    this.scaleFactor = options.scaleFactor;
    this.mode = options.mode ?? 'nearest';
    this.alignCorners = options.alignCorners;
  }

  forward(x: Tensor): Tensor {
    return interpolate(x, {
      mode: this.mode,
      ...(this.size !== undefined ? { size: this.size } : {}),
      ...(this.scaleFactor !== undefined ? { scaleFactor: this.scaleFactor } : {}),
      ...(this.alignCorners !== undefined ? { alignCorners: this.alignCorners } : {}),
    });
  }

  override extraRepr(): string {
    const s = this.scaleFactor;
    const info = s === undefined ? `size=${pyIntOrTuple(this.size!)}` : `scale_factor=${typeof s === 'number' ? pyFloat(s) : `(${s.map(pyFloat).join(', ')})`}`;
    return `${info}, mode=${this.mode}`;
  }
}

export interface DropoutLayerOptions {
  /** Generator for the masks (default: core's default generator). */
  generator?: Generator | undefined;
}

export class Dropout extends Module {
  private readonly generator: Generator | undefined;

  constructor(readonly p = 0.5, options: DropoutLayerOptions = {}) {
    super();
    if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new Error(`Dropout: probability p has to be between 0 and 1, got ${String(p)}`);
    checkLayerOptions('Dropout', options, ['generator']);
    checkGenerator('Dropout', options.generator);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, ...(this.generator ? { generator: this.generator } : {}) });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
