import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dropout, Generator, ones, tensor } from '../src/index.js';
import { gradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

describe('dropout: values', () => {
  it('zeroes about p of the elements and scales the rest by 1/(1 − p)', () => {
    // 20000 Bernoulli draws: the zero fraction has standard deviation √(0.3·0.7/20000) ≈ 0.0032
    const y = dropout(ones([100, 200], { dtype: 'float64' }), { p: 0.3, generator: new Generator(1) });
    const values = Array.from(y.data);
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.02);
    expect(values.every((v) => v === 0 || v === 1 / 0.7)).toBe(true);
  });

  it('the gradient uses the same mask: dx = grad · mask/(1 − p)', () => {
    const x = f64([1, 2, 3, 4, 5, 6, 7, 8], { requiresGrad: true });
    const y = dropout(x, { p: 0.5, generator: new Generator(3) });
    y.backward(f64([1, 1, 1, 1, 1, 1, 1, 1]));
    // y = x·m where m ∈ {0, 2}: dx = m = y / x
    expectClose(x.grad!, Array.from(y.data, (v, i) => v / (i + 1)));
    expect(Array.from(x.grad!.data).some((v) => v === 0) && Array.from(x.grad!.data).some((v) => v === 2)).toBe(true);
  });

  it('the same seed gives the same mask; not training or p = 0 returns the input; p = 1 gives zeros', () => {
    const x = tensor([1, 2, 3, 4, 5, 6]);
    const a = dropout(x, { generator: new Generator(9) });
    const b = dropout(x, { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(dropout(x, { training: false })).toBe(x);
    expect(dropout(x, { p: 0 })).toBe(x);
    expect(Array.from(dropout(x, { p: 1 }).data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('dropout: gradients (gradcheck over random shapes, one fixed mask per check)', () => {
  it('input', () => {
    fc.assert(
      fc.property(shapedTensorArb({}, { requiresGrad: true }), fc.double({ min: 0, max: 0.9, noNaN: true }), fc.integer(), (x, p, seed) =>
        gradcheck((t) => dropout(t!, { p, generator: new Generator(seed) }), [x], { name: 'dropout' })),
      { numRuns: RUNS },
    );
  });
});

describe('dropout: errors name the op and the argument', () => {
  it.each([
    ['p above 1', () => dropout(tensor([1]), { p: 1.5 }), 'dropout: probability p has to be between 0 and 1, got 1.5'],
    ['p below 0', () => dropout(tensor([1]), { p: -0.1 }), 'dropout: probability p has to be between 0 and 1, got -0.1'],
    ['an int32 input', () => dropout(tensor([1], { dtype: 'int32' })), 'dropout: input must be a float tensor (float32 or float64), got int32 of shape [1]'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
