import { describe, expect, it } from 'vitest';
import { customOp, grad, mul, noGrad, Tensor, type FunctionCtx } from '../src/index.js';
import { gradcheck, gradgradcheck } from '../src/testing/index.js';
import { expectClose, f64, flat } from './helpers.js';

/** x·y², with the backward from ops: ∂/∂x = g·y², ∂/∂y = 2g·x·y. */
const mulSquare = customOp({
  name: 'mulSquare',
  forward(ctx, x: Tensor, y: Tensor) {
    ctx.saveForBackward(x, y);
    return mul(x, mul(y, y));
  },
  backward(ctx, g) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return [ctx.needsInputGrad[0] ? mul(g, mul(y, y)) : null, ctx.needsInputGrad[1] ? mul(mul(g, 2), mul(x, y)) : null];
  },
});

describe('customOp', () => {
  it('passes gradcheck and gradgradcheck (its backward is built from ops, so it is recorded under createGraph)', () => {
    const x = f64([0.5, -1, 2], { requiresGrad: true });
    const y = f64([1.5, 0.3, -0.7], { requiresGrad: true });
    expect(gradcheck(mulSquare, [x, y])).toBe(true);
    expect(gradgradcheck(mulSquare, [x, y])).toBe(true);
    expect(mulSquare(x, y).gradFn?.op).toBe('mulSquare');
  });

  it('tells the backward which inputs need a gradient, and takes non-tensor arguments', () => {
    const seen: boolean[][] = [];
    const scale = customOp({
      name: 'scale',
      forward: (ctx, x: Tensor, factor: number) => { ctx.factor = factor; return mul(x, factor); },
      backward: (ctx, g) => { seen.push([...ctx.needsInputGrad]); return [mul(g, ctx.factor as number), null]; },
    });
    const x = f64([1, 2], { requiresGrad: true });
    scale(x, 3).sum().backward();
    expect(flat(x.grad!)).toEqual([3, 3]);
    expect(seen).toEqual([[true, false]]);
  });

  it('has several outputs: unused ones get zero gradients; a non-differentiable one gets none', () => {
    // [2x, 3x, mask]: the backward gets (g₁, g₂, g₃) and returns 2g₁ + 3g₂
    const calls: number[][] = [];
    const three = customOp({
      name: 'three',
      forward(ctx: FunctionCtx, x: Tensor) {
        const mask = new Tensor(x.data.map((v) => (v > 0 ? 1 : 0)), x.shape);
        ctx.markNonDifferentiable(mask);
        return [mul(x, 2), mul(x, 3), mask];
      },
      backward: (_ctx, g1, g2, g3) => { calls.push([...flat(g2!), ...flat(g3!)]); return [g1!.mul(2).add(g2!.mul(3))]; },
    });
    const x = f64([1, -1], { requiresGrad: true });
    const [a, , m] = three(x);
    expect(m!.requiresGrad).toBe(false);
    a!.sum().backward();
    expect(flat(x.grad!)).toEqual([2, 2]);
    expect(calls).toEqual([[0, 0, 0, 0]]); // the unused outputs' gradients arrive as zeros
    const [p, q] = three(x);
    expectClose(grad([p!.sum(), q!.sum()], x), [5, 5]);
  });

  it('checks its saved tensors: an in-place change after the forward names the op', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const y = f64([3, 4]);
    const out = mulSquare(x, y).sum();
    noGrad(() => y.mul_(2));
    expect(() => out.backward()).toThrow(/input 1 \(float64 of shape \[2\]\), saved by op 'mulSquare', is at version 1; expected version 0/);
  });

  it('explains a backward that returns the wrong number of gradients, or one for a non-tensor', () => {
    const bad = customOp({ name: 'bad', forward: (_c, x: Tensor, _k: number) => mul(x, 2), backward: (_c, g) => [g] });
    expect(() => bad(f64([1], { requiresGrad: true }), 2).sum().backward()).toThrow(
      /bad backward: returned 1 gradients for 2 arguments; return one per forward argument \(null for non-tensors/,
    );
    const bad2 = customOp({ name: 'bad2', forward: (_c, x: Tensor, _k: number) => mul(x, 2), backward: (_c, g) => [g, g] });
    expect(() => bad2(f64([1], { requiresGrad: true }), 2).sum().backward()).toThrow(/bad2 backward: argument 1 is not a Tensor, so its gradient must be null/);
  });
});
