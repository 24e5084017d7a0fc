import { Generator, abs, cat, gather, logSoftmax, rand, sub, tensor, zeros, type Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adam, FCEF, FCSiamDiff } from '../src/index.js';

/** Mean cross-entropy of logits (N, C, H, W) against int32 targets (N, H, W). */
function crossEntropy(logits: Tensor, target: Tensor): Tensor {
  return gather(logSoftmax(logits, 1), 1, target.unsqueeze(1)).mean().neg();
}

describe('FCSiamDiff', () => {
  it('maps two (N, 3, H, W) images to (N, 2, H, W) logits for each depth and option', () => {
    const x1 = rand([2, 3, 8, 8], { generator: new Generator(1) });
    const x2 = rand([2, 3, 8, 8], { generator: new Generator(2) });
    for (const depth of [1, 2, 3]) {
      for (const options of [{}, { batchNorm: false }, { upsample: 'transposed' as const, dropout: 0.2 }]) {
        const m = new FCSiamDiff({ depth, baseWidth: 2, ...options });
        expect(m.forward(x1, x2).shape, `depth ${depth} ${JSON.stringify(options)}`).toEqual([2, 2, 8, 8]);
      }
    }
    const multi = new FCSiamDiff({ inChannels: 4, numClasses: 3, depth: 1, baseWidth: 2 });
    expect(multi.forward(zeros([1, 4, 2, 6]), zeros([1, 4, 2, 6])).shape).toEqual([1, 3, 2, 6]);
  });

  it('shares one encoder between the images: parameter count worked out by hand', () => {
    // depth 1, baseWidth 2, no batch norm (convs with bias):
    //   encoder.0: conv 3→2 (54 + 2), conv 2→2 (36 + 2)          =  94
    //   bottleneck: conv 2→4 (72 + 4), conv 4→4 (144 + 4)        = 224
    //   decoder.0: conv (4 + 2)→2 (108 + 2), conv 2→2 (36 + 2)   = 148
    //   head: conv 1×1 2→2 (4 + 2)                               =   6   → 472
    const m = new FCSiamDiff({ depth: 1, baseWidth: 2, batchNorm: false });
    expect(m.numParameters()).toBe(472);
    expect(m.namedParameters().map(([n]) => n)).toEqual([
      'encoder.0.0.weight', 'encoder.0.0.bias', 'encoder.0.2.weight', 'encoder.0.2.bias',
      'bottleneck.0.weight', 'bottleneck.0.bias', 'bottleneck.2.weight', 'bottleneck.2.bias',
      'decoder.0.0.weight', 'decoder.0.0.bias', 'decoder.0.2.weight', 'decoder.0.2.bias', 'head.weight', 'head.bias',
    ]);
    // FCEF differs only in its first conv, which sees both images: 6 input channels (+54 weights).
    expect(new FCEF({ depth: 1, baseWidth: 2, batchNorm: false }).numParameters()).toBe(472 + 54);
  });

  it('runs the shared encoder on both images and feeds |f1 − f2| to the decoder (checked against a hand-wired forward)', () => {
    const m = new FCSiamDiff({ depth: 2, baseWidth: 4, generator: new Generator(3) });
    const x1 = rand([2, 3, 8, 8], { generator: new Generator(4) });
    const x2 = rand([2, 3, 8, 8], { generator: new Generator(5) });
    const y = m.forward(x1, x2);
    // The same computation spelled out with the model's own submodules (BatchNorm in training mode
    // uses batch statistics, so running the stages again gives the same features).
    const e0a = m.encoder.at(0).forward(x1);
    const e0b = m.encoder.at(0).forward(x2);
    const e1a = m.encoder.at(1).forward(m.pool.forward(e0a));
    const e1b = m.encoder.at(1).forward(m.pool.forward(e0b));
    const bottom = m.bottleneck.forward(m.pool.forward(e1b)); // the decoder starts from the after image
    const d1 = m.decoder.at(0).forward(cat([m.up.at(0).forward(bottom), abs(sub(e1a, e1b))], 1));
    const d0 = m.decoder.at(1).forward(cat([m.up.at(1).forward(d1), abs(sub(e0a, e0b))], 1));
    expect(Array.from(y.data)).toEqual(Array.from(m.head.forward(d0).data));
  });

  it('rejects sizes the depth cannot halve cleanly, and mismatched inputs, naming the model and the argument', () => {
    const m = new FCSiamDiff({ depth: 3, baseWidth: 2 });
    expect(() => m.forward(zeros([1, 3, 12, 16]), zeros([1, 3, 12, 16]))).toThrow(
      'FCSiamDiff: input height 12 (shape [1, 3, 12, 16]) is not divisible by 2^depth = 8 (depth 3); crop or pad the images to a multiple of 8',
    );
    expect(() => m.forward(zeros([1, 3, 16, 20]), zeros([1, 3, 16, 20]))).toThrow(/FCSiamDiff: input width 20 .* not divisible by 2\^depth = 8/);
    expect(() => m.forward(zeros([1, 4, 8, 8]), zeros([1, 4, 8, 8]))).toThrow(/FCSiamDiff: x1 has 4 channels .* expected inChannels = 3/);
    expect(() => m.forward(zeros([1, 3, 8, 8]), zeros([1, 3, 16, 8]))).toThrow(/FCSiamDiff: x1 and x2 must have the same shape, got \[1, 3, 8, 8\] and \[1, 3, 16, 8\]/);
    expect(() => m.forward(zeros([3, 8, 8]), zeros([3, 8, 8]))).toThrow(/FCSiamDiff: x1 must be a 4-D \(N, C, H, W\) tensor, got shape \[3, 8, 8\]/);
    expect(() => new FCSiamDiff({ depth: 0 })).toThrow(/FCSiamDiff: depth must be a positive integer, got 0/);
    expect(() => new FCSiamDiff({ dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });

  it('overfits one fixed batch: the loss falls by 90% within 150 Adam steps', () => {
    // Two 16×16 image pairs; the "after" image differs from the "before" one inside a square,
    // which is the change mask to learn.
    const gen = new Generator(42);
    const before = rand([2, 3, 16, 16], { generator: gen });
    const after = tensor(Array.from(before.data), { shape: [2, 3, 16, 16] });
    const mask = new Int32Array(2 * 16 * 16);
    const squares = [[3, 4, 7], [8, 2, 6]]; // [top, left, size] per image
    squares.forEach(([top, left, size], n) => {
      for (let i = top!; i < top! + size!; i++) {
        for (let j = left!; j < left! + size!; j++) {
          mask[n * 256 + i * 16 + j] = 1;
          for (let c = 0; c < 3; c++) after.data[((n * 3 + c) * 16 + i) * 16 + j] = gen.uniform();
        }
      }
    });
    const target = tensor(mask, { shape: [2, 16, 16] });
    const model = new FCSiamDiff({ depth: 2, baseWidth: 6, batchNorm: false, generator: new Generator(7) });
    const opt = new Adam(model.parameters(), { lr: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(before, after), target);
      losses.push(loss.item());
      if (loss.item() < 0.1 * losses[0]!) break;
      loss.backward();
      opt.step();
    }
    expect(losses[0]).toBeGreaterThan(0.3);
    expect(losses[losses.length - 1]!).toBeLessThan(0.1 * losses[0]!);
  });
});
