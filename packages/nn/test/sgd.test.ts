import { tensor, zeros, type Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { SGD } from '../src/index.js';
import { W0, expectClose, quadraticGrad, quadraticLoss, runOptimizer } from './quadratic.js';

interface RefSGD {
  lr: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
}

/** torch.optim.SGD's documented algorithm, written independently on plain arrays. */
function referenceSGD(steps: number, o: RefSGD): number[] {
  const { lr, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = o;
  let w = [...W0];
  let buf: number[] | null = null;
  for (let s = 0; s < steps; s++) {
    let g = quadraticGrad(w).map((gi, i) => gi + weightDecay * w[i]!);
    if (momentum !== 0) {
      const b: number[] = buf === null ? [...g] : buf.map((bi, i) => momentum * bi + (1 - dampening) * g[i]!);
      buf = b;
      g = nesterov ? g.map((gi, i) => gi + momentum * b[i]!) : b;
    }
    w = w.map((wi, i) => wi - lr * g[i]!);
  }
  return w;
}

describe('SGD', () => {
  it('plain SGD: w ← w(1 − 2·lr·c) − lr·d, worked out for the first coordinate', () => {
    // c = 0.5, d = 0.1, lr = 0.1: w ← 0.9·w − 0.01. From w0 = 1 after 5 steps:
    // w5 = 0.9⁵ − 0.01·(1 − 0.9⁵)/(1 − 0.9) = 0.59049 − 0.040951 = 0.549539 (PyTorch printed 0.5495390000000001).
    const w = runOptimizer((p) => new SGD(p, { lr: 0.1 }), 5);
    expect(w[0]).toBeCloseTo(0.549539, 14);
    // PyTorch 1.13, float64, same problem (printed by torch.optim.SGD(lr=0.1)):
    expectClose(w, [0.5495390000000001, -0.08635199999999998, 1.0953279999999999, -0.005688000000000001]);
  });

  it('momentum, dampening and weight decay follow the reference trajectory and PyTorch', () => {
    const o = { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 };
    for (const steps of [1, 2, 5]) expectClose(runOptimizer((p) => new SGD(p, o), steps), referenceSGD(steps, o));
    // Printed by PyTorch 1.13: torch.optim.SGD(p, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), 5 steps.
    expectClose(runOptimizer((p) => new SGD(p, o), 5), [0.3926267151503654, 1.185967061578949, 1.1001656868207301, -0.2074219852678993]);
  });

  it('nesterov follows the reference trajectory and PyTorch', () => {
    const o = { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.1 };
    expectClose(runOptimizer((p) => new SGD(p, o), 5), referenceSGD(5, o));
    // Printed by PyTorch 1.13: SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.1), 5 steps.
    expectClose(runOptimizer((p) => new SGD(p, o), 5), [0.31155439102949195, 0.6333521118925651, 1.2632628806039676, -0.07232388250489176]);
  });

  it('the first momentum step uses buffer = grad, without dampening', () => {
    // g0 = 2·0.5·1 + 0.1 = 1.1 for the first coordinate; w1 = 1 − 0.1·1.1 = 0.89 even with dampening 0.5.
    const w = runOptimizer((p) => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.5 }), 1);
    expect(w[0]).toBeCloseTo(0.89, 15);
  });

  it('maximize ascends the gradient', () => {
    const w = runOptimizer((p) => new SGD(p, { lr: 0.1, maximize: true }), 1);
    expect(w[0]).toBeCloseTo(1 + 0.1 * 1.1, 15);
  });

  it('parameter groups have their own learning rates; params without a grad are left alone', () => {
    const a = tensor([1], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1], { dtype: 'float64', requiresGrad: true });
    const idle = tensor([5], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([{ params: [a] }, { params: [b, idle], lr: 0.5 }], { lr: 0.1 });
    a.add(b).mul(2).sum().backward(); // both gradients are 2
    opt.step();
    expect([a.data[0], b.data[0], idle.data[0]]).toEqual([0.8, 0, 5]);
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
  });

  it('updates in place: the same typed array, no graph recorded', () => {
    const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
    const data = w.data;
    const opt = new SGD([w], { lr: 0.1, momentum: 0.5 });
    quadraticLoss(w).backward();
    opt.step();
    expect(w.data).toBe(data);
    expect(w.gradFn).toBeNull();
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it('works on float32 parameters', () => {
    const w = zeros([3], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.5, momentum: 0.9 });
    w.add(tensor([1, 2, 3])).sum().backward();
    opt.step();
    expect(Array.from(w.data)).toEqual([-0.5, -0.5, -0.5]);
    expect(w.data).toBeInstanceOf(Float32Array);
  });

  it('stateDict / loadStateDict resume a run exactly', () => {
    const o = { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 };
    const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
    const first = new SGD([w], o);
    const stepOn = (opt: SGD, p: Tensor, n: number): void => {
      for (let i = 0; i < n; i++) {
        opt.zeroGrad();
        quadraticLoss(p).backward();
        opt.step();
      }
    };
    stepOn(first, w, 2);
    const saved = first.stateDict();
    expect(saved.paramGroups[0]).toMatchObject({ lr: 0.05, momentum: 0.9, params: [0] });
    expect(saved.state.get(0)?.momentumBuffer).toBeDefined();
    stepOn(first, w, 1); // must not leak into the saved copy
    const w2 = tensor(referenceSGD(2, o), { dtype: 'float64', requiresGrad: true });
    const second = new SGD([w2], { lr: 1 });
    second.loadStateDict(saved);
    expect(second.paramGroups[0]!.lr).toBe(0.05);
    stepOn(second, w2, 3);
    expectClose(Array.from(w2.data), referenceSGD(5, o));
  });

  it('rejects bad arguments, naming them', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => new SGD([w], { lr: -1 })).toThrow(/SGD: invalid learning rate lr=-1/);
    expect(() => new SGD([w], { lr: 0.1, momentum: -0.5 })).toThrow(/momentum=-0.5/);
    expect(() => new SGD([w], { lr: 0.1, nesterov: true })).toThrow(/nesterov momentum requires a momentum > 0/);
    expect(() => new SGD([], { lr: 0.1 })).toThrow(/empty parameter list/);
    expect(() => new SGD([w, w], { lr: 0.1 })).toThrow(/more than one group/);
    expect(() => new SGD([tensor([1, 2], { dtype: 'int32' })], { lr: 0.1 })).toThrow(/int32/);
  });
});
