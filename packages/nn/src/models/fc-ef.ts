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
import { checkPair, UNetLayers, type SegmenterOptions } from './unet-parts.js';

export class FCEF extends UNetLayers {
  constructor(options: SegmenterOptions = {}) {
    super('FCEF', options, 2);
  }

  /** Logits (N, numClasses, H, W) for the pair of images x1 (before) and x2 (after), each (N, inChannels, H, W). */
  forward(x1: Tensor, x2: Tensor): Tensor {
    checkPair('FCEF', x1, x2, this.options.inChannels, this.options.depth);
    return this.encodeDecode(cat([x1, x2], 1));
  }
}
