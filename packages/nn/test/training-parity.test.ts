import { fileURLToPath } from 'node:url';
import { gather, logSoftmax, type Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adam, FCSiamDiff, clipGradNorm, loadFile } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/fcsiamdiff-train.torch.safetensors', import.meta.url));

/** The entries of `dict` whose names start with `prefix`, with the prefix removed. */
function section(dict: Map<string, Tensor>, prefix: string): Map<string, Tensor> {
  return new Map([...dict].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-7 + 1e-6 * Math.abs(b);

describe('training parity with PyTorch', () => {
  it('3 steps of a BatchNorm FCSiamDiff (cross-entropy, Adam with weight decay, clipGradNorm) end where PyTorch 1.13 ends', () => {
    // The fixture was written by PyTorch (scripts/make_parity_fixture.py): same initial weights,
    // same batch, same optimiser; every loss, parameter and buffer must agree to float64 tolerance.
    const { tensors, metadata } = loadFile(fixture);
    expect(metadata.producer).toBe('packages/nn/scripts/make_parity_fixture.py');
    const io = section(tensors, 'io.');
    const model = new FCSiamDiff({ depth: 2, baseWidth: 2, dtype: 'float64' });
    model.loadStateDict(section(tensors, 'init.'));
    const opt = new Adam(model.parameters(), { lr: 0.01, weightDecay: 0.01 });
    const losses: number[] = [];
    for (let step = 0; step < 3; step++) {
      opt.zeroGrad();
      const logits = model.forward(io.get('x1')!, io.get('x2')!);
      const loss = gather(logSoftmax(logits, 1), 1, io.get('target')!.unsqueeze(1)).mean().neg();
      losses.push(loss.item());
      loss.backward();
      clipGradNorm(model.parameters(), 0.5);
      opt.step();
    }
    const torchLosses = Array.from(tensors.get('losses')!.data);
    losses.forEach((l, i) => expect(close(l, torchLosses[i]!), `loss ${i}: ${l} vs ${torchLosses[i]}`).toBe(true));
    const final = section(tensors, 'final.');
    const ours = model.stateDict();
    expect([...ours.keys()].sort()).toEqual([...final.keys()].sort());
    for (const [k, want] of final) {
      const got = ours.get(k)!;
      for (let i = 0; i < want.size; i++) {
        if (!close(got.data[i]!, want.data[i]!)) throw new Error(`${k}[${i}]: Tessera ${got.data[i]}, PyTorch ${want.data[i]}`);
      }
    }
    expect(ours.get('encoder.0.1.num_batches_tracked')!.item()).toBe(6); // 3 steps × 2 images through the shared encoder
  });
});
