import { randn, tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adam, BatchNorm2d, Linear, SGD, clipGradNorm, init } from '../src/index.js';
import { quadraticLoss } from './quadratic.js';

describe('nn writes tensors in place through the version counters', () => {
  it('an optimiser step between forward and backward makes the backward throw, naming the op (as PyTorch)', () => {
    for (const make of [(p: ReturnType<typeof tensor>) => new SGD([p], { lr: 0.1 }), (p: ReturnType<typeof tensor>) => new Adam([p])]) {
      const w = tensor([1, -2, 0.5, 0.25], { dtype: 'float64', requiresGrad: true });
      const opt = make(w);
      quadraticLoss(w).backward();
      const loss = quadraticLoss(w); // mul(c·w, w) saves w
      opt.step();
      expect(w.version).toBe(1);
      expect(() => loss.backward()).toThrow(/input 1 \(float64 of shape \[4\]\), saved by op 'mul', is at version 1; expected version 0/);
    }
  });

  it('initialisers, loadStateDict, batch-norm running statistics and gradient clipping bump versions', () => {
    const layer = new Linear(3, 2);
    const v0 = layer.weight.version;
    init.kaimingUniform(layer.weight);
    init.constant(layer.weight, 0.5);
    expect(layer.weight.version).toBe(v0 + 2);
    layer.loadStateDict(new Linear(3, 2).stateDict());
    expect(layer.weight.version).toBe(v0 + 3);

    const bn = new BatchNorm2d(2);
    const [rm, rv] = [bn.runningMean!, bn.runningVar!];
    bn.forward(randn([2, 2, 3, 3]));
    expect([rm.version, rv.version, bn.getBuffer('num_batches_tracked')!.version]).toEqual([1, 1, 1]);
    bn.resetRunningStats();
    expect([rm.version, rv.version, bn.numBatchesTracked]).toEqual([2, 2, 0]);

    const w = tensor([3, 4], { requiresGrad: true });
    w.mul(w).sum().backward(); // grad [6, 8], norm 10
    clipGradNorm([w], 1);
    expect(w.grad!.version).toBe(1);
  });
});
