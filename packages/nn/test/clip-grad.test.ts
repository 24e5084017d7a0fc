import { tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { clipGradNorm, clipGradValue } from '../src/index.js';

function withGrad(values: number[]) {
  const p = tensor(values.map(() => 0), { dtype: 'float64', requiresGrad: true });
  p.grad = tensor(values, { dtype: 'float64' });
  return p;
}

describe('clipGradNorm', () => {
  it('scales by maxNorm / (total + 1e-6) when the norm is too large', () => {
    // grads [3, 0] and [4]: total 2-norm √(9 + 16) = 5; coef = 1 / (5 + 1e-6).
    const a = withGrad([3, 0]);
    const b = withGrad([4]);
    const idle = tensor([1], { requiresGrad: true }); // no grad: skipped
    expect(clipGradNorm([a, b, idle], 1)).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expect(Array.from(a.grad!.data)).toEqual([3 * coef, 0]);
    expect(Array.from(b.grad!.data)).toEqual([4 * coef]);
    expect(idle.grad).toBeNull();
  });

  it('leaves gradients alone when the norm is within maxNorm', () => {
    const a = withGrad([0.3, -0.4]);
    expect(clipGradNorm([a], 1)).toBeCloseTo(0.5, 15);
    expect(Array.from(a.grad!.data)).toEqual([0.3, -0.4]);
  });

  it('supports other norm types: 1-norm and the max norm', () => {
    // 1-norm of [1, -2] and [3]: 6; coef = 3 / (6 + 1e-6).
    const a = withGrad([1, -2]);
    const b = withGrad([3]);
    expect(clipGradNorm([a, b], 3, { normType: 1 })).toBe(6);
    expect(a.grad!.data[1]).toBeCloseTo(-2 * (3 / (6 + 1e-6)), 15);
    const c = withGrad([1, -7]);
    const d = withGrad([3]);
    expect(clipGradNorm([c, d], 100, { normType: Infinity })).toBe(7);
    // 3-norm: (1 + 8 + 27)^(1/3) = 36^(1/3).
    expect(clipGradNorm([withGrad([1, 2]), withGrad([3])], 100, { normType: 3 })).toBeCloseTo(36 ** (1 / 3), 14);
  });

  it('returns 0 for no gradients; errors on non-finite norms when asked, and on bad arguments', () => {
    expect(clipGradNorm([tensor([1], { requiresGrad: true })], 1)).toBe(0);
    expect(() => clipGradNorm([withGrad([Infinity])], 1, { errorIfNonfinite: true })).toThrow(/non-finite/);
    expect(() => clipGradNorm([withGrad([1])], 1, { normType: 0 })).toThrow(/normType/);
    expect(() => clipGradNorm([withGrad([1])], -1)).toThrow(/maxNorm must be >= 0/);
  });
});

describe('clipGradValue', () => {
  it('clamps each element', () => {
    const a = withGrad([-3, 0.5, 2]);
    clipGradValue([a], 1);
    expect(Array.from(a.grad!.data)).toEqual([-1, 0.5, 1]);
  });
});
