/**
 * FCSiamDiff: the Fully Convolutional Siamese-Difference network of Daudt, Le Saux & Boulch (2018),
 * "Fully Convolutional Siamese Networks for Change Detection". One encoder, with shared weights,
 * runs on each image; the skip connections carry the absolute difference of the two images'
 * features, |f1 − f2|, so the decoder sees what changed at every scale:
 *
 *   x1 → enc 0 → pool → … → enc depth−1
 *   x2 → enc 0 → pool → … → enc depth−1 → pool → bottleneck
 *          (skip i = |enc_i(x1) − enc_i(x2)|)
 *   → (up ×2, concat skip depth−1, conv block) → … → (up ×2, concat skip 0, conv block) → head 1×1
 *
 * As in the authors' code, the decoder starts from the second (after) image's deepest features.
 * Output: (N, numClasses, H, W) logits. See unet-parts.ts for the blocks and the options.
 *
 * @example
 * const model = new FCSiamDiff({ depth: 2, baseWidth: 8, batchNorm: false });
 * model.forward(before, after).shape // [N, 2, H, W]
 */
import { abs, sub, type Tensor } from '@tessera/core';
import { checkPair, decode, UNetLayers, type SegmenterOptions } from './unet-parts.js';

export class FCSiamDiff extends UNetLayers {
  constructor(options: SegmenterOptions = {}) {
    super('FCSiamDiff', options, 1);
  }

  /** Logits (N, numClasses, H, W) for the pair of images x1 (before) and x2 (after), each (N, inChannels, H, W). */
  forward(x1: Tensor, x2: Tensor): Tensor {
    checkPair('FCSiamDiff', x1, x2, this.options.inChannels, this.options.depth);
    let a = x1;
    let b = x2;
    const skips: Tensor[] = [];
    for (let i = 0; i < this.encoder.length; i++) {
      const stage = this.encoder.at(i);
      a = stage.forward(a);
      b = stage.forward(b);
      skips.push(abs(sub(a, b)));
      if (i < this.options.depth - 1) a = this.pool.forward(a); // the before image's deepest pool is not used
      b = this.pool.forward(b);
    }
    return this.head.forward(decode(this.up, this.decoder, this.bottleneck.forward(b), skips));
  }
}
