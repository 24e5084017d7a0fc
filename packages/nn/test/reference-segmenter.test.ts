import { Generator, cat, rand, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { ReferenceSegmenter } from '../src/index.js';

describe('ReferenceSegmenter', () => {
  it('has the 70,226 parameters of the benchmark network, with PyTorch names', () => {
    // enc1 880 + 2,320; enc2 4,640 + 9,248; bottleneck 18,496; dec2 27,680; dec1 6,928; head 34.
    const m = new ReferenceSegmenter();
    expect(m.numParameters()).toBe(70226);
    expect(m.namedParameters().map(([n, p]) => `${n} ${p.shape.join('x')}`)).toEqual([
      'enc1.0.weight 16x6x3x3', 'enc1.0.bias 16', 'enc1.2.weight 16x16x3x3', 'enc1.2.bias 16',
      'enc2.0.weight 32x16x3x3', 'enc2.0.bias 32', 'enc2.2.weight 32x32x3x3', 'enc2.2.bias 32',
      'bottleneck.0.weight 64x32x3x3', 'bottleneck.0.bias 64', 'dec2.0.weight 32x96x3x3', 'dec2.0.bias 32',
      'dec1.0.weight 16x48x3x3', 'dec1.0.bias 16', 'head.weight 2x16x1x1', 'head.bias 2',
    ]);
  });

  it('maps (N, 6, H, W), or two (N, 3, H, W) images, to (N, 2, H, W) logits', () => {
    const m = new ReferenceSegmenter({ generator: new Generator(1) });
    const a = rand([2, 3, 8, 12], { generator: new Generator(2) });
    const b = rand([2, 3, 8, 12], { generator: new Generator(3) });
    const y = m.forward(cat([a, b], 1));
    expect(y.shape).toEqual([2, 2, 8, 12]);
    expect(Array.from(m.forward(a, b).data)).toEqual(Array.from(y.data));
  });

  it('rejects inputs of the wrong shape, naming the model and the size', () => {
    const m = new ReferenceSegmenter();
    expect(() => m.forward(zeros([1, 6, 8, 10]))).toThrow(/ReferenceSegmenter: input width 10 \(shape \[1, 6, 8, 10\]\) is not divisible by 2\^depth = 4/);
    expect(() => m.forward(zeros([1, 3, 8, 8]))).toThrow(/ReferenceSegmenter: expected input \(N, 6, H, W\) or two \(N, 3, H, W\) images, got \[1, 3, 8, 8\]/);
  });
});
