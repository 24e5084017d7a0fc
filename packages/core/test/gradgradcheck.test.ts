import { describe, expect, it } from 'vitest';
import { grad, mul, randn, record, Tensor } from '../src/index.js';
import { gradcheck, GradcheckError, gradgradcheck } from '../src/testing/index.js';
import { f64 } from './helpers.js';

const sinValues = (x: Tensor): Tensor => new Tensor(Float64Array.from(x.data, Math.sin), x.shape);
const cosValues = (x: Tensor): Tensor => new Tensor(Float64Array.from(x.data, Math.cos), x.shape);

/**
 * sin whose backward is right in value (grad·cos x) but takes cos x as a constant: differentiating
 * the backward misses d(cos x)/dx = −sin x. gradcheck passes it; gradgradcheck must not.
 */
function sinConstantBackward(x: Tensor): Tensor {
  return record(sinValues(x), 'sinConstantBackward', [x], (grad) => [mul(grad, cosValues(x))], { saved: [x] });
}

/** sin whose backward is differentiable: d/dx = grad·cos x, with cos x = sin(x + π/2) built from this op. */
function sin(x: Tensor): Tensor {
  return record(sinValues(x), 'sin', [x], (grad) => [mul(grad, sin(x.add(Math.PI / 2)))], { saved: [x] });
}

/** sin whose backward cuts the upstream gradient from the graph: wrong in the derivative with respect to it. */
function sinDetachedUpstream(x: Tensor): Tensor {
  return record(sinValues(x), 'sinDetachedUpstream', [x], (grad) => [mul(grad.detach(), sin(x.add(Math.PI / 2)))], { saved: [x] });
}

describe('gradgradcheck', () => {
  it('passes ops and composites whose backward is differentiable, to any order', () => {
    const x = f64([[0.3, -1.2, 0.5], [2, 0.1, -0.4]], { requiresGrad: true });
    const y = f64([0.7, 0.4, 1.3], { requiresGrad: true });
    expect(gradgradcheck(sin, [x])).toBe(true);
    expect(gradgradcheck((a, b) => a.mul(b).tanh().softmax(1).mul(a).sum(1), [x, y])).toBe(true);
    expect(gradgradcheck((a, b) => a.exp().add(b.mul(b)).sqrt().log(), [x, y])).toBe(true);
    // third derivatives: gradgradcheck of a first derivative
    expect(gradgradcheck(firstDerivative, [x])).toBe(true);
  });

  it('takes given gradOutputs, several outputs, and a fast mode with few evaluations', () => {
    const x = f64([0.3, -1.2, 2], { requiresGrad: true });
    const v = f64([1, -2, 0.5], { requiresGrad: true });
    expect(gradgradcheck(sin, [x], { gradOutputs: v })).toBe(true);
    expect(gradgradcheck((a) => [sin(a), a.mul(a).sum()], [x])).toBe(true);
    const big = randn([20, 30], { dtype: 'float64' }).requiresGrad_();
    let calls = 0;
    const f = (a: Tensor): Tensor => { calls++; return a.tanh().softmax(1).mul(a); };
    expect(gradgradcheck(f, [big], { fastMode: true })).toBe(true);
    // one call for the outputs' shapes, one to see the gradients are differentiable, one to set up,
    // then two per input of the check (x and the upstream gradient)
    expect(calls).toBe(7);
  });

  it('catches a backward that is right in value but takes a function of x as a constant', () => {
    const x = f64([0.3, -1.2, 2], { requiresGrad: true });
    expect(gradcheck(sinConstantBackward, [x])).toBe(true);
    let message = '';
    try {
      gradgradcheck(sinConstantBackward, [x]);
    } catch (e) {
      expect(e).toBeInstanceOf(GradcheckError);
      message = (e as Error).message;
    }
    // the first-order gradient g = v·cos x; its Jacobian with respect to x is diag(−v·sin x), but the
    // analytical one is 0 (cos x was a constant); with respect to v it is diag(cos x), right.
    expect(message).toMatch(/^gradgradcheck\(sinConstantBackward\): Jacobian mismatch for input 0 \(shape \[3\]\)/);
    expect(message).toMatch(/analytical 0,/);
    expect(() => gradgradcheck(sinConstantBackward, [x], { fastMode: true })).toThrow(
      /gradgradcheck\(sinConstantBackward\): fast mode \(seed 0\): vᵀ·J·u mismatch for input 0/,
    );
  });

  it('catches a backward that cuts the upstream gradient, naming it as the gradient of the output', () => {
    const x = f64([0.3, -1.2], { requiresGrad: true });
    expect(gradcheck(sinDetachedUpstream, [x])).toBe(true);
    expect(() => gradgradcheck(sinDetachedUpstream, [x])).toThrow(
      /gradgradcheck\(sinDetachedUpstream\): Jacobian mismatch for the gradient of output 0 \(input 1 of the check\) \(shape \[2\]\)/,
    );
  });

  it('says why when the first-order gradients are not differentiable at all, and refuses bad gradOutputs', () => {
    const x = f64([0.3, -1.2], { requiresGrad: true });
    const opaque = (t: Tensor): Tensor => record(sinValues(t), 'opaque', [t], (grad) => [new Tensor(Float64Array.from(grad.data), grad.shape)], { saved: [] });
    expect(() => gradgradcheck(opaque, [x])).toThrow(/gradgradcheck\(opaque\): the first-order gradients do not require grad/);
    expect(() => gradgradcheck(sin, [x], { gradOutputs: f64([1, 2, 3]) })).toThrow(
      /gradgradcheck\(sin\): gradOutputs\[0\] must be a float64 tensor of the output's shape \[2\], got float64 of shape \[3\]/,
    );
    expect(() => gradgradcheck((t) => t.detach(), [x], { name: 'cut' })).toThrow(/gradgradcheck\(cut\): no output requires grad/);
  });
});

/** d/da Σ tanh(a³), as a function (so gradgradcheck of it checks third derivatives). */
function firstDerivative(a: Tensor): Tensor {
  return grad(a.mul(a).mul(a).tanh().sum(), a, { createGraph: true });
}
