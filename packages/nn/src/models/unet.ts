/**
 * UNet: a plain U-Net (Ronneberger et al. 2015) for semantic segmentation of one image, built from
 * the same blocks as FCEF and FCSiamDiff (unet-parts.ts), with numClasses output channels:
 *
 *   x (inChannels) → enc 0 → pool → enc 1 → pool → … → enc depth−1 → pool → bottleneck
 *   → (up ×2, concat skip depth−1, conv block) → … → (up ×2, concat skip 0, conv block) → head 1×1
 *
 * Output: (N, numClasses, H, W) logits; H and W must be divisible by 2^depth. State-dict names as
 * FCEF's: encoder.{i}.{j}, bottleneck.{j}, up.{k}, decoder.{k}, head.
 *
 * @example
 * const model = new UNet({ numClasses: 5, depth: 3, baseWidth: 8 });
 * model.forward(images).shape // [N, 5, H, W]
 * // PyTorch: the same network written with nn.Conv2d / nn.BatchNorm2d / nn.MaxPool2d / nn.Upsample
 */
import { Tensor } from '@tessera/core';
import { checkDivisible, describeInput, UNetLayers, type SegmenterOptions } from './unet-parts.js';

export class UNet extends UNetLayers {
  constructor(options: SegmenterOptions = {}) {
    super('UNet', options, 1);
  }

  /** Logits (N, numClasses, H, W) for images x of shape (N, inChannels, H, W). */
  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor) || x.ndim !== 4 || x.shape[1] !== this.options.inChannels) {
      throw new Error(`UNet: x must be a (N, ${this.options.inChannels}, H, W) tensor, got ${describeInput(x)}`);
    }
    checkDivisible('UNet', x, this.options.depth);
    return this.encodeDecode(x);
  }
}
