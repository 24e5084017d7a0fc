import { describe, expect, it } from 'vitest';
import { crossEntropy, grad, hvp, jvp, matmul, mul, tensor, valueAndGrad, vjp, type Tensor } from '../src/index.js';
import { expectClose, f64 } from './helpers.js';

describe('valueAndGrad', () => {
  it('returns the value and the gradient of argument 0, or of the arguments named by argnums', () => {
    const [v, g] = valueAndGrad((w: Tensor) => mul(w, w).sum())(f64([1, -2]));
    expectClose(v, 5);
    expectClose(g, [2, -4]);
    expect(g.requiresGrad).toBe(false);
    // f(a, b) = Σ a·b²: ∂/∂a = b², ∂/∂b = 2ab
    const [, [ga, gb]] = valueAndGrad((a: Tensor, b: Tensor) => mul(a, mul(b, b)).sum(), { argnums: [0, 1] })(f64([1, 2]), f64([3, -1]));
    expectClose(ga!, [9, 1]);
    expectClose(gb!, [6, -4]);
  });

  it('nests: the gradient of a gradient (d/dx Σ 3x² = 6x), and gives zeros for an unused argument', () => {
    const inner = valueAndGrad((x: Tensor) => mul(mul(x, x), x).sum());
    const [, g2] = valueAndGrad((x: Tensor) => inner(x)[1].sum())(f64([1, -0.5]));
    expectClose(g2, [6, -3]);
    const [, gy] = valueAndGrad((_x: Tensor, y: Tensor) => y.sum().mul(0).add(1), { argnums: 0 })(f64([1]), f64([2]));
    expectClose(gy, [0]);
  });

  it('explains a non-scalar output and a bad argnums', () => {
    expect(() => valueAndGrad((x: Tensor) => mul(x, 2))(f64([1, 2]))).toThrow(/valueAndGrad: the function must return a one-element float tensor, got float64 of shape \[2\]; use vjp/);
    expect(() => valueAndGrad((x: Tensor) => x.sum(), { argnums: 1 })(f64([1]))).toThrow(/argnums 1 names argument 1, but the function got 1 arguments/);
  });
});

describe('vjp, jvp, hvp (torch.autograd.functional)', () => {
  it('vjp: [f(x), vᵀJ] over several outputs; zeros for an unused input', () => {
    // f(x, y) = [x², 2x]: vᵀJ w.r.t. x = 2x·v₁ + 2·v₂; y unused
    const [outs, [gx, gy]] = vjp((x, _y) => [mul(x, x), mul(x, 2)], [f64([1, 3]), f64([5])], [f64([1, 1]), f64([0.5, -1])]);
    expectClose(outs[1]!, [2, 6]);
    expectClose(gx!, [3, 4]);
    expectClose(gy!, [0]);
    expect(() => vjp((x) => mul(x, 2), f64([1, 2]))).toThrow(/vjp: v is required for the non-scalar output 0 \(shape \[2\]\)/);
  });

  it('jvp: J·v by the double-vjp trick (for y = A·x it is A·v; for x·y it is v_x·y + x·v_y)', () => {
    const A = f64([[1, 2], [3, 4], [5, 6]]);
    const [y, jv] = jvp((x) => matmul(A, x), f64([1, 1]), f64([0.5, -1]));
    expectClose(y, [3, 7, 11]);
    expectClose(jv, [-1.5, -2.5, -3.5]);
    const [, jv2] = jvp((x, z) => mul(x, z), [f64([1, 2]), f64([3, 4])], [f64([1, 0]), f64([0, 1])]);
    expectClose(jv2, [3, 2]);
  });

  it('hvp: H·v of Σx³ is 6x·v; of a weighted cross-entropy it matches central differences of the gradient', () => {
    const [v, hv] = hvp((x) => mul(mul(x, x), x).sum(), f64([1, -2]), f64([1, 0.5]));
    expectClose(v, -7);
    expectClose(hv, [6, -6]);
    const target = tensor([2, 0, 1], { dtype: 'int32' });
    const weight = f64([1, 3, 0.5]);
    const f = (x: Tensor): Tensor => crossEntropy(x, target, { weight, labelSmoothing: 0.1 });
    const x0 = f64([[0.2, -1, 0.5], [1, 0.3, -0.4], [0, 0.1, 2]]);
    const dir = f64([[1, 0, -1], [0.5, 0.5, 0], [-1, 2, 0]]);
    const [, h] = hvp(f, x0, dir);
    const eps = 1e-5;
    const gradAt = (s: number): Float64Array => {
      const x = x0.add(dir.mul(s)).detach().requiresGrad_();
      return Float64Array.from(grad(f(x), x).data);
    };
    const [gp, gm] = [gradAt(eps), gradAt(-eps)];
    expectClose(h, Array.from(gp, (p, i) => (p - gm[i]!) / (2 * eps)), { atol: 1e-8, rtol: 1e-6, shape: [3, 3] });
  });

  it('keep the graph when an input requires grad (createGraph by default), and detach results otherwise', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const [, g] = vjp((t) => mul(t, t).sum(), x);
    expect(g.requiresGrad).toBe(true); // 2x, differentiable again
    expectClose(grad(g.sum(), x), [2, 2]);
    const [, h] = hvp((t) => mul(t, t).sum(), f64([1]), f64([1]));
    expect(h.requiresGrad).toBe(false);
  });
});
