/**
 * Adam and AdamW, as `torch.optim.Adam` / `torch.optim.AdamW` (PyTorch 1.13's single-tensor update).
 * With t the step count (starting at 1), for each parameter θ and gradient g:
 *
 *   Adam:   g ← g + weightDecay · θ              (L2 penalty folded into the gradient)
 *   AdamW:  θ ← θ · (1 − lr · weightDecay)       (decoupled decay, before the moments)
 *   m ← β1 · m + (1 − β1) · g
 *   v ← β2 · v + (1 − β2) · g²
 *   v̂max ← max(v̂max, v)                          if amsgrad (and v̂max replaces v below)
 *   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + eps)
 *
 * Defaults as PyTorch: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay 0 (Adam) or 1e-2 (AdamW).
 *
 * @example
 * const opt = new AdamW(model.parameters(), { lr: 1e-3 }); // torch.optim.AdamW(params, lr=1e-3)
 */
import type { FloatArray, Tensor } from '@tessera/core';
import { Optimizer, zerosFor, type BaseGroup, type ParamState, type ParamsInput } from './optimizer.js';

export interface AdamOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

abstract class AdamBase extends Optimizer<AdamOptions> {
  protected abstract readonly decoupled: boolean;

  protected validate(g: AdamOptions & BaseGroup): void {
    const name = this.constructor.name;
    if (!(g.lr >= 0)) throw new Error(`${name}: invalid learning rate lr=${g.lr} (must be >= 0)`);
    if (!(g.eps >= 0)) throw new Error(`${name}: invalid eps=${g.eps} (must be >= 0)`);
    if (!Array.isArray(g.betas) || g.betas.length !== 2) throw new Error(`${name}: betas must be a pair of numbers in [0, 1), got ${JSON.stringify(g.betas)}`);
    const [b1, b2] = g.betas;
    if (!(b1 >= 0 && b1 < 1)) throw new Error(`${name}: invalid beta parameter at index 0: ${b1} (must be in [0, 1))`);
    if (!(b2 >= 0 && b2 < 1)) throw new Error(`${name}: invalid beta parameter at index 1: ${b2} (must be in [0, 1))`);
    if (!(g.weightDecay >= 0)) throw new Error(`${name}: invalid weightDecay=${g.weightDecay} (must be >= 0)`);
  }

  protected update(p: Tensor, grad: FloatArray, state: ParamState, g: AdamOptions & BaseGroup): void {
    const x = p.data as FloatArray;
    const { lr, eps, weightDecay, amsgrad } = g;
    const [beta1, beta2] = g.betas;
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = zerosFor(p);
      state.expAvgSq = zerosFor(p);
      if (amsgrad) state.maxExpAvgSq = zerosFor(p);
    }
    const step = (state.step as number) + 1;
    state.step = step;
    const m = state.expAvg as FloatArray;
    const v = state.expAvgSq as FloatArray;
    const vmax = amsgrad ? (state.maxExpAvgSq as FloatArray | undefined) ?? (state.maxExpAvgSq = zerosFor(p)) : null;
    const stepSize = lr / (1 - beta1 ** step);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
    const sign = g.maximize ? -1 : 1;
    const decay = this.decoupled ? 1 - lr * weightDecay : 1;
    const l2 = this.decoupled ? 0 : weightDecay;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i]! * decay;
      const gi = sign * grad[i]! + l2 * x[i]!;
      m[i] = beta1 * m[i]! + (1 - beta1) * gi;
      v[i] = beta2 * v[i]! + (1 - beta2) * (gi * gi);
      let second = v[i]!;
      if (vmax) {
        if (second > vmax[i]!) vmax[i] = second;
        second = vmax[i]!;
      }
      x[i] = xi - stepSize * (m[i]! / (Math.sqrt(second) / bc2Sqrt + eps));
    }
  }
}

/** Adam with the L2 penalty in the gradient, as `torch.optim.Adam`. */
export class Adam extends AdamBase {
  protected readonly decoupled = false;
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('Adam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options);
  }
}

/** Adam with decoupled weight decay θ ← θ(1 − lr·wd), as `torch.optim.AdamW`. */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super('AdamW', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options);
  }
}
