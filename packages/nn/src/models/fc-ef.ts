/**
 * FCEF: the Fully Convolutional Early-Fusion network of Daudt, Le Saux & Boulch (2018), "Fully
 * Convolutional Siamese Networks for Change Detection". The two images are concatenated on
 * channels and go through one U-Net:
 *
 *   [x1 ‖ x2] (2·inChannels) → enc 0 → pool → enc 1 → pool → … → enc depth−1 → pool → bottleneck
 *   → (up ×2, concat skip depth−1, conv block) → … → (up ×2, concat skip 0, conv block) → head 1×1
 *
 * Output: (N, numClasses, H, W) logits. See unet-parts.ts for the blocks and the options.
 *
 * @example
 * const model = new FCEF({ depth: 3, baseWidth: 16 });
 * model.forward(before, after).shape // [N, 2, H, W]
 */
import { cat, type Tensor } from '@tessera/core';
import { Conv2d } from '../layers/conv.js';
import { MaxPool2d } from '../layers/pooling.js';
import type { ModuleList, Sequential } from '../layers/sequential.js';
import { Module } from '../module.js';
import { buildDecoder, buildEncoder, checkPair, convBlock, decode, resolveOptions, width, type ResolvedOptions, type SegmenterOptions } from './unet-parts.js';

export class FCEF extends Module {
  readonly options: ResolvedOptions;
  encoder: ModuleList;
  pool = new MaxPool2d(2);
  bottleneck: Sequential;
  up: ModuleList;
  decoder: ModuleList;
  head: Conv2d;

  constructor(options: SegmenterOptions = {}) {
    super();
    const o = resolveOptions('FCEF', options);
    this.options = o;
    this.encoder = buildEncoder(2 * o.inChannels, o);
    this.bottleneck = convBlock(width(o, o.depth - 1), width(o, o.depth), o);
    ({ up: this.up, decoder: this.decoder } = buildDecoder(o));
    this.head = new Conv2d(o.baseWidth, o.numClasses, 1, { dtype: o.dtype, ...(o.generator ? { generator: o.generator } : {}) });
  }

  /** Logits (N, numClasses, H, W) for the pair of images x1 (before) and x2 (after), each (N, inChannels, H, W). */
  forward(x1: Tensor, x2: Tensor): Tensor {
    checkPair('FCEF', x1, x2, this.options.inChannels, this.options.depth);
    let x = cat([x1, x2], 1);
    const skips: Tensor[] = [];
    for (const stage of this.encoder) {
      x = stage.forward(x);
      skips.push(x);
      x = this.pool.forward(x);
    }
    return this.head.forward(decode(this.up, this.decoder, this.bottleneck.forward(x), skips));
  }
}
