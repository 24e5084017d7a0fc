import { describe, expect, it } from 'vitest';
import { argmax, exp, grad, mul, tensor } from '../src/index.js';
import { expectClose, f64, flat } from './helpers.js';

describe('grad (torch.autograd.grad)', () => {
  it('returns gradients without touching .grad, for leaves and non-leaf inputs', () => {
    // y = Σ h², h = 3x: dy/dh = 2h = 6x, dy/dx = 18x
    const x = f64([1, -2], { requiresGrad: true });
    const h = mul(x, 3);
    const y = mul(h, h).sum();
    const [gh, gx] = grad(y, [h, x]);
    expectClose(gh!, [6, -12]);
    expectClose(gx!, [18, -36]);
    expect(x.grad).toBeNull();
    expect(h.grad).toBeNull();
  });

  it('weights several outputs by gradOutputs and sums them', () => {
    // grad([2x, x²], x, [v1, v2]) = 2·v1 + 2x·v2
    const x = f64([1, 3], { requiresGrad: true });
    const gx = grad([mul(x, 2), mul(x, x)], x, { gradOutputs: [f64([1, 10]), f64([0.5, 1])] });
    expectClose(gx, [2 + 1, 20 + 6]);
  });

  it('with createGraph gives gradients of gradients: d³(x³)/dx³ = 6', () => {
    const x = f64([2, -1], { requiresGrad: true });
    const y = mul(mul(x, x), x).sum();
    const g1 = grad(y, x, { createGraph: true }); // 3x²
    expectClose(g1, [12, 3]);
    const g2 = grad(g1.sum(), x, { createGraph: true }); // 6x
    expectClose(g2, [12, -6]);
    const g3 = grad(g2.sum(), x); // 6
    expectClose(g3, [6, 6]);
  });

  it('backward with createGraph leaves a differentiable .grad (gradient penalty style)', () => {
    const x = f64([0.5, -1], { requiresGrad: true });
    exp(x).sum().backward(undefined, { createGraph: true }); // x.grad = eˣ, with a graph
    expect(x.grad!.requiresGrad).toBe(true);
    const penalty = mul(x.grad!, x.grad!).sum(); // Σ e²ˣ
    const [gp] = grad(penalty, [x]);
    expectClose(gp!, [2 * Math.exp(1), 2 * Math.exp(-2)], { rtol: 1e-14 });
  });

  it('frees the graph unless retainGraph (which defaults to createGraph)', () => {
    const x = f64([1], { requiresGrad: true });
    const y = mul(x, x).sum();
    grad(y, x);
    expect(() => grad(y, x)).toThrow(/second time \(op 'sum'\)/);
    const z = mul(x, x).sum();
    grad(z, x, { createGraph: true });
    expect(flat(grad(z, x))).toEqual([2]);
  });

  it('explains the errors: an unused input, an input without grad, and a gradient made without createGraph', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const w = f64([1], { requiresGrad: true });
    expect(() => grad(mul(x, 2).sum(), [x, w])).toThrow(
      /grad: inputs\[1\] \(float64 of shape \[1\]\) was not used to compute the outputs .*allowUnused: true/,
    );
    expect(grad(mul(x, 2).sum(), [x, w], { allowUnused: true })[1]).toBeNull();
    // through argmax no gradient flows: also "not used"
    expect(() => grad(mul(argmax(x).to('float64'), x).sum(), w)).toThrow(/was not used/);
    expect(() => grad(mul(x, 2).sum(), f64([1]))).toThrow(/grad: inputs\[0\] \(float64 of shape \[1\]\) does not require grad/);
    mul(x, x).sum().backward();
    expect(() => x.grad!.sum().backward()).toThrow(
      /backward: the tensor \(float64 of shape \[\]\) does not require grad and has no gradFn: it is a gradient \(or is computed from one\) that a backward made without \{ createGraph: true \}/,
    );
    expect(() => tensor([1]).sum().backward()).toThrow(/none of the tensors it is computed from requires grad/);
  });

  it('backward({ inputs }) accumulates only into the given tensors', () => {
    const a = f64([1], { requiresGrad: true });
    const b = f64([2], { requiresGrad: true });
    mul(a, b).sum().backward(undefined, { inputs: [b] });
    expect(a.grad).toBeNull();
    expect(flat(b.grad!)).toEqual([1]);
  });
});
