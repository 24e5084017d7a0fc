import { Generator, cat, rand, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { FCEF } from '../src/index.js';

describe('FCEF', () => {
  it('maps two (N, 3, H, W) images to (N, 2, H, W) logits for each depth and option', () => {
    const x1 = rand([1, 3, 16, 8], { generator: new Generator(1) });
    const x2 = rand([1, 3, 16, 8], { generator: new Generator(2) });
    for (const depth of [1, 3]) {
      for (const options of [{}, { batchNorm: false, upsample: 'transposed' as const }, { dropout: 0.1 }]) {
        expect(new FCEF({ depth, baseWidth: 2, ...options }).forward(x1, x2).shape).toEqual([1, 2, 16, 8]);
      }
    }
  });

  it('fuses early: the first conv sees both images stacked on channels (checked against a hand-wired forward)', () => {
    const m = new FCEF({ depth: 1, baseWidth: 4, batchNorm: false, generator: new Generator(3) });
    expect(m.encoder.at(0).namedParameters()[0]![1].shape).toEqual([4, 6, 3, 3]);
    const x1 = rand([2, 3, 4, 4], { generator: new Generator(4) });
    const x2 = rand([2, 3, 4, 4], { generator: new Generator(5) });
    const skip = m.encoder.at(0).forward(cat([x1, x2], 1));
    const bottom = m.bottleneck.forward(m.pool.forward(skip));
    const y = m.head.forward(m.decoder.at(0).forward(cat([m.up.at(0).forward(bottom), skip], 1)));
    expect(Array.from(m.forward(x1, x2).data)).toEqual(Array.from(y.data));
  });

  it('state-dict names with batch norm follow PyTorch (conv without bias before BatchNorm2d)', () => {
    const keys = [...new FCEF({ depth: 1, baseWidth: 2 }).stateDict().keys()];
    expect(keys.slice(0, 7)).toEqual([
      'encoder.0.0.weight', 'encoder.0.1.weight', 'encoder.0.1.bias', 'encoder.0.1.running_mean',
      'encoder.0.1.running_var', 'encoder.0.1.num_batches_tracked', 'encoder.0.3.weight',
    ]);
    expect(keys.slice(-2)).toEqual(['head.weight', 'head.bias']);
  });

  it('rejects sizes the depth cannot halve cleanly, naming the model, the argument and the size', () => {
    const m = new FCEF({ depth: 2, baseWidth: 2 });
    expect(() => m.forward(zeros([1, 3, 8, 6]), zeros([1, 3, 8, 6]))).toThrow(
      'FCEF: input width 6 (shape [1, 3, 8, 6]) is not divisible by 2^depth = 4 (depth 2); crop or pad the images to a multiple of 4',
    );
    expect(() => m.forward(zeros([1, 3, 8, 8]), zeros([2, 3, 8, 8]))).toThrow(/FCEF: x1 and x2 must have the same shape/);
    expect(() => new FCEF({ baseWidth: 1.5 })).toThrow(/FCEF: baseWidth must be a positive integer, got 1.5/);
    expect(() => new FCEF({ upsample: 'bilinear' as 'nearest' })).toThrow(/FCEF: upsample must be 'nearest' or 'transposed', got bilinear/);
  });
});
