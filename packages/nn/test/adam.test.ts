import { tensor, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Adam, AdamW } from '../src/index.js';
import { W0, expectClose, quadraticGrad, quadraticLoss, runOptimizer } from './quadratic.js';

interface RefAdam {
  lr: number;
  betas?: [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  decoupled: boolean;
}

/** torch.optim.Adam / AdamW's documented algorithm, written independently on plain arrays. */
function referenceAdam(steps: number, o: RefAdam): number[] {
  const { lr, betas: [b1, b2] = [0.9, 0.999], eps = 1e-8, amsgrad = false } = o;
  const wd = o.weightDecay ?? (o.decoupled ? 1e-2 : 0);
  let w = [...W0];
  let m = w.map(() => 0);
  let v = w.map(() => 0);
  let vmax = w.map(() => 0);
  for (let t = 1; t <= steps; t++) {
    let g = quadraticGrad(w);
    if (o.decoupled) w = w.map((wi) => wi * (1 - lr * wd));
    else g = g.map((gi, i) => gi + wd * w[i]!);
    m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
    v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! * g[i]!);
    vmax = vmax.map((x, i) => Math.max(x, v[i]!));
    const vhat = (amsgrad ? vmax : v).map((x) => x / (1 - b2 ** t));
    const mhat = m.map((x) => x / (1 - b1 ** t));
    w = w.map((wi, i) => wi - (lr * mhat[i]!) / (Math.sqrt(vhat[i]!) + eps));
  }
  return w;
}

describe('Adam', () => {
  it('the first step moves each coordinate by about lr against the sign of its gradient', () => {
    // t = 1: m̂ = g, v̂ = g², so θ1 = θ0 − lr·g/(|g| + eps) ≈ θ0 − lr·sign(g). Gradients 2cw + d:
    // [1.1, −8.3, −0.8, 1.55] → θ1 ≈ [0.9, −1.9, 0.6, 0.15].
    const w = runOptimizer((p) => new Adam(p, { lr: 0.1 }), 1);
    expectClose(w, [0.9, -1.9, 0.6, 0.15], 1e-8, 0);
  });

  it('follows the reference trajectory and PyTorch (defaults)', () => {
    for (const steps of [1, 2, 5]) expectClose(runOptimizer((p) => new Adam(p, { lr: 0.1 }), steps), referenceAdam(steps, { lr: 0.1, decoupled: false }));
    // Printed by PyTorch 1.13: torch.optim.Adam(p, lr=0.1), 5 steps, float64.
    expectClose(runOptimizer((p) => new Adam(p, { lr: 0.1 }), 5), [0.5068637089650823, -1.5028178060755322, 1.0010429751552785, -0.13535008817435712]);
  });

  it('weight decay (L2 in the gradient) and amsgrad follow the reference and PyTorch', () => {
    const o = { lr: 0.05, betas: [0.8, 0.9] as [number, number], eps: 1e-6, weightDecay: 0.1, amsgrad: true };
    expectClose(runOptimizer((p) => new Adam(p, o), 5), referenceAdam(5, { ...o, decoupled: false }));
    // PyTorch 1.13: Adam(p, lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1, amsgrad=True), 5 steps.
    expectClose(runOptimizer((p) => new Adam(p, o), 5), [0.7514397062869976, -1.7506656087514187, 0.751360973666056, 0.015754751215555293]);
  });

  it('amsgrad differs from plain Adam once the second moment shrinks', () => {
    const o = { lr: 0.05, betas: [0.5, 0.7] as [number, number] };
    const plain = runOptimizer((p) => new Adam(p, o), 8);
    const ams = runOptimizer((p) => new Adam(p, { ...o, amsgrad: true }), 8);
    expect(Math.max(...plain.map((x, i) => Math.abs(x - ams[i]!)))).toBeGreaterThan(1e-4);
    expectClose(ams, referenceAdam(8, { ...o, amsgrad: true, decoupled: false }));
  });

  it('resumes from stateDict exactly (step count and moments)', () => {
    const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([w], { lr: 0.1 });
    for (let i = 0; i < 2; i++) {
      opt.zeroGrad();
      quadraticLoss(w).backward();
      opt.step();
    }
    const state = opt.stateDict();
    expect(state.state.get(0)?.step).toBe(2);
    const w2 = tensor(Array.from(w.data), { dtype: 'float64', requiresGrad: true });
    const opt2 = new Adam([w2]);
    opt2.loadStateDict(state);
    for (let i = 0; i < 3; i++) {
      opt2.zeroGrad();
      quadraticLoss(w2).backward();
      opt2.step();
    }
    expectClose(Array.from(w2.data), referenceAdam(5, { lr: 0.1, decoupled: false }));
  });

  it('rejects bad arguments, naming them', () => {
    const w = zeros([2], { requiresGrad: true });
    expect(() => new Adam([w], { lr: -0.1 })).toThrow(/Adam: invalid learning rate lr=-0.1/);
    expect(() => new Adam([w], { betas: [1, 0.999] })).toThrow(/Adam: invalid beta parameter at index 0: 1/);
    expect(() => new AdamW([w], { betas: [0.9, -0.1] })).toThrow(/AdamW: invalid beta parameter at index 1/);
    expect(() => new Adam([w], { eps: -1 })).toThrow(/eps=-1/);
    expect(() => new AdamW([w], { weightDecay: -1 })).toThrow(/weightDecay=-1/);
  });
});

describe('AdamW', () => {
  it('decays the weights by (1 − lr·wd) before the Adam step', () => {
    // With zero gradient, m = v = 0 and the Adam term is 0/(0 + eps) = 0: only the decay acts.
    // θ ← θ·(1 − 0.1·0.5) = 0.95·θ per step; two steps: 0.9025·θ.
    const w = tensor([2, -4], { dtype: 'float64', requiresGrad: true });
    const opt = new AdamW([w], { lr: 0.1, weightDecay: 0.5 });
    for (let i = 0; i < 2; i++) {
      w.grad = zeros([2], { dtype: 'float64' });
      opt.step();
    }
    expectClose(Array.from(w.data), [1.805, -3.61]);
  });

  it('follows the reference trajectory and PyTorch', () => {
    expectClose(runOptimizer((p) => new AdamW(p, { lr: 0.1, weightDecay: 0.5 }), 5), referenceAdam(5, { lr: 0.1, weightDecay: 0.5, decoupled: true }));
    // PyTorch 1.13: torch.optim.AdamW(p, lr=0.1, weight_decay=0.5), 5 steps.
    expectClose(runOptimizer((p) => new AdamW(p, { lr: 0.1, weightDecay: 0.5 }), 5), [0.3331259811330444, -1.1017919573489734, 0.8412190853560154, -0.13024573808898285]);
    // PyTorch 1.13: AdamW(p, lr=0.05, betas=(0.5, 0.7), amsgrad=True) (default weight_decay 1e-2), 5 steps.
    const o = { lr: 0.05, betas: [0.5, 0.7] as [number, number], amsgrad: true };
    expectClose(runOptimizer((p) => new AdamW(p, o), 5), [0.750735054665959, -1.7467261953078759, 0.7530468773467889, 0.034999558361797974]);
    expectClose(runOptimizer((p) => new AdamW(p, o), 5), referenceAdam(5, { ...o, decoupled: true }));
  });
});
