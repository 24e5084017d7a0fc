import { describe, expect, it } from 'vitest';
import { full, mul, randn, record, tensor, Tensor } from '../src/index.js';
import { gradcheck, GradcheckError } from '../src/testing/index.js';
import { f64 } from './helpers.js';

/** sin with a deliberately wrong backward (cos(x) + 0.1): an op gradcheck must reject. */
function wrongSin(x: Tensor): Tensor {
  const y = new Tensor(Float64Array.from(x.data, Math.sin), x.shape);
  return record(y, 'exp', [x], (grad) => {
    const d = new Tensor(Float64Array.from(x.data, (v) => Math.cos(v) + 0.1), x.shape);
    return [mul(grad, d)];
  }, { saved: [x] });
}

/** sin with the right backward. */
function goodSin(x: Tensor): Tensor {
  const y = new Tensor(Float64Array.from(x.data, Math.sin), x.shape);
  return record(y, 'exp', [x], (grad) => [mul(grad, new Tensor(Float64Array.from(x.data, Math.cos), x.shape))], { saved: [x] });
}

describe('gradcheck', () => {
  it('passes a correct op and a composite of ops, returning true', () => {
    expect(gradcheck(goodSin, [f64([[0.3, -1.2], [2, 0.1]], { requiresGrad: true })])).toBe(true);
    const a = f64([[0.5, -0.3, 1.1]], { requiresGrad: true });
    const b = f64([[0.2], [-0.7]], { requiresGrad: true });
    expect(gradcheck((p, q) => p.mul(q).tanh().sum(1), [a, b])).toBe(true);
  });

  it('fails an op with a wrong backward, naming the op, the input, the worst element and both values', () => {
    // x = [0.3, -1.2, 2.0]: the analytical derivative is off by 0.1 on the diagonal everywhere; the
    // worst element is where |numerical| = |cos x| is smallest (the tolerance is atol + rtol·|numerical|):
    // |cos 0.3| = 0.955, |cos −1.2| = 0.362, |cos 2| = 0.416 → index [1], numerical cos(−1.2) = 0.36236.
    const x = f64([0.3, -1.2, 2], { requiresGrad: true });
    let message = '';
    try {
      // input 0 takes no gradient, so the failure is reported for input 1
      gradcheck((c: Tensor, t: Tensor) => wrongSin(t).add(c), [f64([5]), x], { name: 'wrongSin' });
    } catch (e) {
      expect(e).toBeInstanceOf(GradcheckError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^gradcheck\(wrongSin\): Jacobian mismatch for input 1 \(shape \[3\]\)/);
    expect(message).toMatch(/at input index \[1\], output index \[1\]/);
    const numerical = Number(/numerical (-?[\d.e-]+)/.exec(message)![1]);
    const analytical = Number(/analytical (-?[\d.e-]+)/.exec(message)![1]);
    expect(numerical).toBeCloseTo(Math.cos(-1.2), 8);
    expect(analytical).toBeCloseTo(Math.cos(-1.2) + 0.1, 12);
    // small Jacobians are printed in full
    expect(message).toContain('numerical (rows = input elements, columns = output elements)');
  });

  it('uses the function name when no name is given', () => {
    const x = f64([0.3], { requiresGrad: true });
    expect(() => gradcheck(wrongSin, [x])).toThrow(/gradcheck\(wrongSin\)/);
  });

  it('refuses float32 inputs with a clear message', () => {
    const x = tensor([0.3, 0.5], { requiresGrad: true });
    expect(() => gradcheck(goodSin, [x], { name: 'sin' })).toThrow(
      /gradcheck\(sin\): input 0 is float32; gradcheck needs float64 inputs .*x\.to\('float64'\)/,
    );
  });

  it('refuses inputs that do not require grad, and an output cut from the graph', () => {
    expect(() => gradcheck(goodSin, [f64([1])], { name: 'sin' })).toThrow(/gradcheck\(sin\): no input requires grad/);
    const x = f64([1], { requiresGrad: true });
    expect(() => gradcheck((t) => t.detach().mul(2), [x], { name: 'cut' })).toThrow(/gradcheck\(cut\): the output does not require grad/);
  });

  it('catches a backward that returns a constant with the zero-upstream check', () => {
    // y = x on one element, with a backward that ignores the upstream gradient and returns 1.
    // Every one-hot upstream gradient gives the right Jacobian (dy/dx = 1), so only a zero upstream
    // gradient (which must give 0) exposes it.
    const x = f64([0.5], { requiresGrad: true });
    const constant = (t: Tensor): Tensor => record(t.detach().mul(1), 'mul', [t], () => [full([1], 1, { dtype: 'float64' })], { saved: [] });
    expect(() => gradcheck(constant, [x], { name: 'constant' })).toThrow(
      /gradcheck\(constant\): a zero upstream gradient gave a non-zero gradient for input 0 at index \[0\]: 1/,
    );
    expect(gradcheck(constant, [x], { name: 'constant', checkZeroUpstream: false })).toBe(true);
  });

  it('reports NaN gradients and infinite derivatives as failures', () => {
    const x = f64([0.5], { requiresGrad: true });
    const nanGrad = (t: Tensor): Tensor => record(t.detach().mul(1), 'neg', [t], (grad) => [mul(grad, Number.NaN)], { saved: [] });
    expect(() => gradcheck(nanGrad, [x], { name: 'nanGrad', checkZeroUpstream: false })).toThrow(/numerical 1.*analytical NaN/);
    // a step to +inf at 0.5: numerical derivative inf, analytical 1
    const step = (t: Tensor): Tensor =>
      record(new Tensor(Float64Array.from(t.data, (v) => (v > 0.5 ? Infinity : v)), t.shape), 'neg', [t], (grad) => [grad], { saved: [] });
    expect(() => gradcheck(step, [x], { name: 'step' })).toThrow(/numerical Infinity, analytical 1/);
  });

  it('respects eps, atol and rtol', () => {
    // Analytical 1.001·cos vs numerical cos: rtol 1e-3 of |cos 0.3| is just under the 0.001·cos error.
    const scaled = (t: Tensor): Tensor =>
      record(new Tensor(Float64Array.from(t.data, Math.sin), t.shape), 'exp', [t], (grad) => [
        mul(grad, new Tensor(Float64Array.from(t.data, (v) => 1.001 * Math.cos(v)), t.shape)),
      ], { saved: [t] });
    const x = f64([0.3], { requiresGrad: true });
    expect(() => gradcheck(scaled, [x], { atol: 0, rtol: 1e-4 })).toThrow(GradcheckError);
    expect(gradcheck(scaled, [x], { atol: 0, rtol: 2e-3 })).toBe(true);
  });

  it('leaves the inputs unchanged and their .grad cleared', () => {
    const x = f64([0.3, 0.7], { requiresGrad: true });
    gradcheck(goodSin, [x]);
    expect(Array.from(x.data)).toEqual([0.3, 0.7]);
    expect(x.grad).toBeNull();
  });

  it('checks every output of a function that returns several, naming the output that is wrong', () => {
    const a = f64([0.3, -1.2], { requiresGrad: true });
    const b = f64([0.7, 0.4], { requiresGrad: true });
    expect(gradcheck((p, q) => [p.mul(q), goodSin(p).add(q.exp())], [a, b])).toBe(true);
    expect(() => gradcheck((p, q) => [p.mul(q), wrongSin(p).add(q)], [a, b], { name: 'pair' })).toThrow(
      /gradcheck\(pair\): Jacobian mismatch for input 0 \(shape \[2\]\) and output 1 \(shape \[2\]\)/,
    );
  });
});

describe('gradcheck fastMode (one random direction per input and output)', () => {
  /** Counts the calls of fn (the full check evaluates it twice per input element, fast mode twice per input). */
  function counted<F extends (...a: Tensor[]) => Tensor>(fn: F): { fn: F; calls: () => number } {
    let calls = 0;
    const wrapped = ((...a: Tensor[]) => { calls++; return fn(...a); }) as F;
    return { fn: wrapped, calls: () => calls };
  }

  it('passes correct ops with two evaluations per input, whatever the input size', () => {
    const x = randn([40, 50], { dtype: 'float64' }).requiresGrad_();
    const w = randn([50], { dtype: 'float64' }).requiresGrad_();
    const c = counted((t: Tensor, v: Tensor) => t.mul(v).tanh().softmax(1).mul(t));
    expect(gradcheck(c.fn, [x, w], { fastMode: true })).toBe(true);
    // one call to set up, then − and + along the direction for each of the two inputs
    expect(c.calls()).toBe(5);
    expect(gradcheck(goodSin, [f64([0.3, -1.2, 2], { requiresGrad: true })], { fastMode: true, seed: 7 })).toBe(true);
  });

  it('catches a wrong backward, with the full check appended to locate it when the Jacobian is small', () => {
    const x = f64([0.3, -1.2, 2], { requiresGrad: true });
    let message = '';
    try {
      gradcheck(wrongSin, [x], { fastMode: true });
    } catch (e) {
      expect(e).toBeInstanceOf(GradcheckError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^gradcheck\(wrongSin\): fast mode \(seed 0\): vᵀ·J·u mismatch for input 0 \(shape \[3\]\): numerical -?[\d.]+, analytical/);
    // the full check names the worst element, as in the test of the full mode above
    expect(message).toMatch(/The full check: Jacobian mismatch for input 0 \(shape \[3\]\) at input index \[1\], output index \[1\]/);
  });

  it('catches a backward off by 1% on a large input, where it skips the full check', () => {
    // d/dx sin = cos, returned as 1.01·cos: vᵀJu is off by 1% of itself, over rtol 1e-3.
    const offByOnePercent = (t: Tensor): Tensor =>
      record(new Tensor(Float64Array.from(t.data, Math.sin), t.shape), 'exp', [t], (grad) => [
        mul(grad, new Tensor(Float64Array.from(t.data, (v) => 1.01 * Math.cos(v)), t.shape)),
      ], { saved: [t] });
    const x = randn([30, 30], { dtype: 'float64' }).requiresGrad_();
    expect(() => gradcheck((t) => offByOnePercent(t).sum(1), [x], { fastMode: true, name: 'scaledSin' })).toThrow(
      /gradcheck\(scaledSin\): fast mode \(seed 0\).*\n {2}\(the Jacobian has 27000 elements: run without fastMode on a smaller input/s,
    );
  });

  it('runs the zero-upstream check too, and the same seed gives the same numbers', () => {
    const x = f64([0.5], { requiresGrad: true });
    const constant = (t: Tensor): Tensor => record(t.detach().mul(1), 'mul', [t], () => [full([1], 1, { dtype: 'float64' })], { saved: [] });
    expect(() => gradcheck(constant, [x], { fastMode: true, name: 'constant' })).toThrow(/a zero upstream gradient gave a non-zero gradient/);
    const y = f64([0.3, -1.2, 2, 0.1], { requiresGrad: true });
    const message = (seed: number): string => {
      try {
        gradcheck(wrongSin, [y], { fastMode: true, seed });
      } catch (e) {
        return (e as Error).message;
      }
      return 'passed';
    };
    expect(message(3)).toBe(message(3));
    expect(message(3)).not.toBe(message(4));
    expect(message(4)).toMatch(/fast mode \(seed 4\)/);
  });
});
