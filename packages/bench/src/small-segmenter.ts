/**
 * SmallSegmenter: the network of the `smallseg` workload (issue 9), a 4-class U-Net with batch norm
 * on single 3-channel images. Each block is [conv 3×3 (padding 1, no bias) → BatchNorm2d → ReLU] × 2:
 *
 *   x (N, 3, H, W) ─ enc1 (16) ─────────────────────────────────┐ (skip, 16)
 *                    pool 2 ─ enc2 (32) ─────────────────┐       │ (skip, 32)
 *                             pool 2 ─ bottleneck (64)   │       │
 *                                      up ×2 ─ concat ───┘ (96)  │
 *                                      dec2 (32)                 │
 *                             up ×2 ─ concat ────────────────────┘ (48)
 *                             dec1 (16) ─ head: conv 1×1 16→4 (bias) → logits (N, 4, H, W)
 *
 * The PyTorch twin in torch_runner.py has the same module names, so parameters transfer by name.
 */
import { cat, type Generator, type Tensor } from '@tessera/core';
import { BatchNorm2d, Conv2d, MaxPool2d, Module, ReLU, Sequential, Upsample } from '@tessera/nn';

export class SmallSegmenter extends Module {
  enc1: Sequential;
  enc2: Sequential;
  bottleneck: Sequential;
  dec2: Sequential;
  dec1: Sequential;
  head: Conv2d;
  pool = new MaxPool2d(2);
  up = new Upsample({ scaleFactor: 2 });

  constructor(inChannels: number, classes: number, generator: Generator) {
    super();
    const block = (i: number, o: number): Sequential => new Sequential(
      new Conv2d(i, o, 3, { padding: 1, bias: false, generator }), new BatchNorm2d(o), new ReLU(),
      new Conv2d(o, o, 3, { padding: 1, bias: false, generator }), new BatchNorm2d(o), new ReLU(),
    );
    this.enc1 = block(inChannels, 16);
    this.enc2 = block(16, 32);
    this.bottleneck = block(32, 64);
    this.dec2 = block(64 + 32, 32);
    this.dec1 = block(32 + 16, 16);
    this.head = new Conv2d(16, classes, 1, { generator });
  }

  forward(x: Tensor): Tensor {
    const s1 = this.enc1.forward(x);
    const s2 = this.enc2.forward(this.pool.forward(s1));
    const b = this.bottleneck.forward(this.pool.forward(s2));
    const d2 = this.dec2.forward(cat([this.up.forward(b), s2], 1));
    const d1 = this.dec1.forward(cat([this.up.forward(d2), s1], 1));
    return this.head.forward(d1);
  }
}
