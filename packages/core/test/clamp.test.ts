import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clamp, tensor } from '../src/index.js';
import { gradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, RUNS } from './helpers.js';

describe('clamp: gradients (gradcheck over random shapes and bounds, away from the bounds)', () => {
  it('with min and max, min only, max only', () => {
    const arb = fc
      .tuple(shapeArb(), fc.double({ min: -1.5, max: 0, noNaN: true }), fc.double({ min: 0.1, max: 1.5, noNaN: true }))
      .chain(([shape, lo, hi]) => fc.tuple(tensorArb(shape, { requiresGrad: true, avoid: [lo, hi] }), fc.constant(lo), fc.constant(hi)));
    fc.assert(
      fc.property(arb, ([x, min, max]) => {
        gradcheck((t) => clamp(t, { min, max }), [x], { name: 'clamp' });
        gradcheck((t) => clamp(t, { min }), [x], { name: 'clamp(min)' });
        return gradcheck((t) => clamp(t, { max }), [x], { name: 'clamp(max)' });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('clamp: values', () => {
  it('forward: min(max(x, min), max); NaN stays NaN', () => {
    // x = [−2, 0.5, 3, NaN] into [0, 1]: [0, 0.5, 1, NaN]
    expectClose(clamp(f64([-2, 0.5, 3, Number.NaN]), { min: 0, max: 1 }), [0, 0.5, 1, Number.NaN]);
    expectClose(clamp(f64([-2, 0.5, 3]), { min: 0 }), [0, 0.5, 3]);
    expectClose(clamp(f64([-2, 0.5, 3]), { max: 1 }), [-2, 0.5, 1]);
  });

  it('gradient: passes inside and at the bounds (as PyTorch), 0 outside', () => {
    // x = [−2, 0, 0.5, 1, 3] in [0, 1]: mask [0, 1, 1, 1, 0]
    const x = f64([-2, 0, 0.5, 1, 3], { requiresGrad: true });
    clamp(x, { min: 0, max: 1 }).backward(f64([1, 2, 3, 4, 5]));
    expectClose(x.grad!, [0, 2, 3, 4, 0]);
  });

  it('returns a new tensor even when nothing is clamped, and is a method', () => {
    const x = f64([0.5], { requiresGrad: true });
    const y = x.clamp({ min: 0, max: 1 });
    expect(y).not.toBe(x);
    expect(y.data).not.toBe(x.data);
    expect(y.gradFn?.op).toBe('clamp');
  });
});

describe('clamp: errors', () => {
  it('names the op and the values at fault', () => {
    expect(() => clamp(f64([1]), {})).toThrow(/clamp: at least one of min and max must be given/);
    // PyTorch: min > max sets every element to max, and no element is inside [min, max], so the gradient is 0.
    const x = tensor([0, 1.5, 3], { dtype: 'float64', requiresGrad: true });
    const y = clamp(x, { min: 2, max: 1 });
    expect(Array.from(y.data)).toEqual([1, 1, 1]);
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0]);
    expect(() => clamp(tensor([1], { dtype: 'int32' }), { min: 0 })).toThrow(/clamp: input must be a float tensor .*int32 of shape \[1\]/);
  });
});
