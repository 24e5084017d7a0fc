/**
 * ReferenceSegmenter: the "segstep" network of the benchmark (shared/bench/WORKLOADS.md), a small
 * early-fusion U-Net with 70,226 parameters. All 3×3 convs have padding 1 and a bias; ReLU
 * follows every conv but the head:
 *
 *   x (N, 6, H, W) ─ enc1: conv 6→16, conv 16→16 ──────────────────────────┐ (skip, 16)
 *                    pool 2 ─ enc2: conv 16→32, conv 32→32 ──────────┐      │ (skip, 32)
 *                             pool 2 ─ bottleneck: conv 32→64        │      │
 *                                      up ×2 (nearest) ─ concat ─────┘ (96) │
 *                                      dec2: conv 96→32                     │
 *                             up ×2 (nearest) ─ concat ─────────────────────┘ (48)
 *                             dec1: conv 48→16 ─ head: conv 1×1 16→2 → logits (N, 2, H, W)
 *
 * Field names give the PyTorch state-dict names enc1.0.weight, enc1.2.weight, enc2.0.weight, …,
 * bottleneck.0.weight, dec2.0.weight, dec1.0.weight, head.weight.
 *
 * @example
 * const model = new ReferenceSegmenter();
 * model.forward(rand([8, 6, 64, 64])).shape // [8, 2, 64, 64]
 */
import { cat, formatShape, type FloatDType, type Generator, type Tensor } from '@tessera/core';
import { ReLU } from '../layers/activation.js';
import { Conv2d } from '../layers/conv.js';
import { MaxPool2d } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { Upsample } from '../layers/upsample.js';
import { Module } from '../module.js';
import { checkDivisible } from './unet-parts.js';
import { checkLayerOptions } from '../layers/layer-args.js';

export interface ReferenceSegmenterOptions {
  dtype?: FloatDType | undefined;
  generator?: Generator | undefined;
}

export class ReferenceSegmenter extends Module {
  enc1: Sequential;
  pool = new MaxPool2d(2);
  enc2: Sequential;
  bottleneck: Sequential;
  up = new Upsample({ scaleFactor: 2 });
  dec2: Sequential;
  dec1: Sequential;
  head: Conv2d;

  constructor(options: ReferenceSegmenterOptions = {}) {
    super();
    checkLayerOptions('ReferenceSegmenter', options, ['dtype', 'generator']);
    const o = { dtype: options.dtype ?? 'float32', ...(options.generator ? { generator: options.generator } : {}) };
    const conv = (i: number, j: number): Conv2d => new Conv2d(i, j, 3, { padding: 1, ...o });
    this.enc1 = new Sequential(conv(6, 16), new ReLU(), conv(16, 16), new ReLU());
    this.enc2 = new Sequential(conv(16, 32), new ReLU(), conv(32, 32), new ReLU());
    this.bottleneck = new Sequential(conv(32, 64), new ReLU());
    this.dec2 = new Sequential(conv(96, 32), new ReLU());
    this.dec1 = new Sequential(conv(48, 16), new ReLU());
    this.head = new Conv2d(16, 2, 1, o);
  }

  /**
   * Logits (N, 2, H, W) from the two RGB images stacked on channels, x (N, 6, H, W), or from the
   * pair (x, x2) of (N, 3, H, W) images, which are stacked first. H and W must be divisible by 4.
   */
  forward(x: Tensor, x2?: Tensor): Tensor {
    const input = x2 === undefined ? x : cat([x, x2], 1);
    if (input.ndim !== 4 || input.shape[1] !== 6) {
      throw new Error(`ReferenceSegmenter: expected input (N, 6, H, W) or two (N, 3, H, W) images, got ${formatShape(input.shape)}`);
    }
    checkDivisible('ReferenceSegmenter', input, 2);
    const s1 = this.enc1.forward(input);
    const s2 = this.enc2.forward(this.pool.forward(s1));
    const b = this.bottleneck.forward(this.pool.forward(s2));
    const d2 = this.dec2.forward(cat([this.up.forward(b), s2], 1));
    const d1 = this.dec1.forward(cat([this.up.forward(d2), s1], 1));
    return this.head.forward(d1);
  }
}
