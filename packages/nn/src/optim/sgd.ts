/**
 * Stochastic gradient descent with momentum, as `torch.optim.SGD` (PyTorch 1.13's update):
 *
 *   g ← ∇θ (negated when maximize)
 *   g ← g + weightDecay · θ                         if weightDecay ≠ 0
 *   if momentum ≠ 0:
 *     b ← g                                         on the first step (no dampening)
 *     b ← momentum · b + (1 − dampening) · g        afterwards
 *     g ← g + momentum · b  if nesterov,  else  g ← b
 *   θ ← θ − lr · g
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();   // torch.optim.SGD(params, lr=0.1, momentum=0.9)
 */
import { checkOptions, type FloatArray, type Tensor } from '@tessera/core';
import { Optimizer, type BaseGroup, type ParamState, type ParamsInput } from './optimizer.js';

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> & { lr: number }) {
    checkOptions('SGD', options, ['lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize']);
    if ((options as { lr?: unknown } | undefined)?.lr === undefined) throw new Error('SGD: lr is required (the learning rate)');
    super('SGD', params, { lr: Number.NaN, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }

  protected validate(g: SGDOptions & BaseGroup): void {
    if (!(g.lr >= 0)) throw new Error(`SGD: invalid learning rate lr=${g.lr} (must be >= 0)`);
    if (!(g.momentum >= 0)) throw new Error(`SGD: invalid momentum=${g.momentum} (must be >= 0)`);
    if (!(g.weightDecay >= 0)) throw new Error(`SGD: invalid weightDecay=${g.weightDecay} (must be >= 0)`);
    if (g.nesterov && (g.momentum <= 0 || g.dampening !== 0)) {
      throw new Error(`SGD: nesterov momentum requires a momentum > 0 and zero dampening (got momentum=${g.momentum}, dampening=${g.dampening})`);
    }
  }

  protected update(p: Tensor, grad: FloatArray, state: ParamState, g: SGDOptions & BaseGroup): void {
    const x = p.data as FloatArray;
    const { lr, momentum, dampening, weightDecay, nesterov } = g;
    const sign = g.maximize ? -1 : 1;
    const n = x.length;
    if (momentum === 0) {
      for (let i = 0; i < n; i++) x[i] = x[i]! - lr * (sign * grad[i]! + weightDecay * x[i]!);
      return;
    }
    let buf = state.momentumBuffer as FloatArray | undefined;
    const first = buf === undefined;
    if (!buf) state.momentumBuffer = buf = x instanceof Float64Array ? new Float64Array(n) : new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const d = sign * grad[i]! + weightDecay * x[i]!;
      const b = first ? d : momentum * buf[i]! + (1 - dampening) * d;
      buf[i] = b;
      x[i] = x[i]! - lr * (nesterov ? d + momentum * buf[i]! : buf[i]!);
    }
  }
}
