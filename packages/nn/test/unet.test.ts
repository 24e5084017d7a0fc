import { Generator, cat, rand, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { UNet } from '../src/index.js';

describe('UNet', () => {
  it('maps (N, C, H, W) images to (N, numClasses, H, W) logits for each depth and option', () => {
    const x = rand([2, 3, 16, 8], { generator: new Generator(1) });
    for (const depth of [1, 3]) {
      for (const options of [{}, { batchNorm: false, upsample: 'transposed' as const }]) {
        expect(new UNet({ depth, baseWidth: 2, numClasses: 5, ...options }).forward(x).shape).toEqual([2, 5, 16, 8]);
      }
    }
  });

  it('is the encoder, bottleneck, decoder and head wired as a U-Net (checked against a hand-wired forward)', () => {
    const m = new UNet({ depth: 1, baseWidth: 4, numClasses: 3, batchNorm: false, generator: new Generator(3) });
    expect(m.encoder.at(0).namedParameters()[0]![1].shape).toEqual([4, 3, 3, 3]);
    const x = rand([2, 3, 4, 4], { generator: new Generator(4) });
    const skip = m.encoder.at(0).forward(x);
    const bottom = m.bottleneck.forward(m.pool.forward(skip));
    const y = m.head.forward(m.decoder.at(0).forward(cat([m.up.at(0).forward(bottom), skip], 1)));
    expect(Array.from(m.forward(x).data)).toEqual(Array.from(y.data));
  });

  it('state-dict names follow FCEF (and so PyTorch); the seed fixes the weights', () => {
    const keys = [...new UNet({ depth: 1, baseWidth: 2 }).stateDict().keys()];
    expect(keys.slice(0, 3)).toEqual(['encoder.0.0.weight', 'encoder.0.1.weight', 'encoder.0.1.bias']);
    expect(keys.slice(-2)).toEqual(['head.weight', 'head.bias']);
    const w = (s: number): number[] => Array.from(new UNet({ depth: 1, baseWidth: 2, generator: new Generator(s) }).head.weight.data);
    expect(w(7)).toEqual(w(7));
    expect(w(7)).not.toEqual(w(8));
  });

  it('rejects inputs of the wrong rank, channels or size, naming the model and the shape', () => {
    const m = new UNet({ depth: 2, baseWidth: 2 });
    expect(() => m.forward(zeros([1, 3, 8, 6]))).toThrow(
      'UNet: input width 6 (shape [1, 3, 8, 6]) is not divisible by 2^depth = 4 (depth 2); crop or pad the images to a multiple of 4',
    );
    expect(() => m.forward(zeros([1, 4, 8, 8]))).toThrow('UNet: x must be a (N, 3, H, W) tensor, got shape [1, 4, 8, 8]');
    expect(() => m.forward(zeros([3, 8, 8]))).toThrow('UNet: x must be a (N, 3, H, W) tensor, got shape [3, 8, 8]');
    expect(() => new UNet({ numClasses: 0 })).toThrow(/UNet: numClasses must be a positive integer, got 0/);
  });
});
