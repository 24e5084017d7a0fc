import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gt, tensor, where } from '../src/index.js';
import { broadcastableShapesArb, gradcheck, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, RUNS } from './helpers.js';

describe('where: gradients (gradcheck over broadcastable shapes)', () => {
  it('with respect to both branches, the condition broadcast against them', () => {
    const arb = broadcastableShapesArb({ maxRank: 3, maxDim: 4 }).chain(([sa, sb]) =>
      fc.tuple(
        tensorArb(sa, { dtype: 'int32', min: 0, max: 1 }),
        tensorArb(sa, { requiresGrad: true }),
        tensorArb(sb, { requiresGrad: true }),
      ),
    );
    fc.assert(fc.property(arb, ([c, a, b]) => gradcheck((x, y) => where(c, x, y), [a, b], { name: 'where' })), { numRuns: RUNS });
  });
});

describe('where: values', () => {
  it('selects a where the condition is non-zero, else b, broadcasting all three', () => {
    // condition [[1], [0]] (shape [2, 1]), a = [10, 20, 30], b = −1: row 0 from a, row 1 from b
    const c = tensor([[1], [0]], { dtype: 'int32' });
    expectClose(where(c, f64([10, 20, 30]), -1), [[10, 20, 30], [-1, -1, -1]]);
    // a float condition: non-zero is true
    expectClose(where(f64([0, 0.5, -2]), f64([1, 2, 3]), f64([7, 8, 9])), [7, 2, 3]);
  });

  it('does not leak inf or NaN from the branch not taken, and keeps −0', () => {
    const c = tensor([1, 0], { dtype: 'int32' });
    expectClose(where(c, f64([1, Infinity]), f64([Number.NaN, 2])), [1, 2]);
    expect(Object.is(where(c, f64([-0, 1]), 5).data[0], -0)).toBe(true);
  });

  it('routes the gradient to the chosen branch and sums it down a broadcast branch', () => {
    // y = where([1, 0, 1], a, b) with b a scalar: da = [1, 0, 1]·g, db = Σ g over the unchosen = g[1]
    const a = f64([1, 2, 3], { requiresGrad: true });
    const b = f64(5, { requiresGrad: true });
    where(tensor([1, 0, 1], { dtype: 'int32' }), a, b).backward(f64([10, 20, 30]));
    expectClose(a.grad!, [10, 0, 30]);
    expectClose(b.grad!, 20);
  });

  it('follows type promotion: int branches stay int, a float number makes them float', () => {
    const c = gt(f64([1, -1]), 0);
    expect(where(c, tensor([1, 2], { dtype: 'int32' }), 0).dtype).toBe('int32');
    expect(where(c, tensor([1, 2], { dtype: 'int32' }), 0.5).dtype).toBe('float32');
    expect(where(c, f64([1, 2]), tensor([3, 4])).dtype).toBe('float64');
  });
});

describe('where: errors', () => {
  it('names the op and the shapes that do not broadcast', () => {
    expect(() => where(tensor([1, 0, 1], { dtype: 'int32' }), f64([1, 2]), 0)).toThrow(/where: shapes \[3\] and \[2\] cannot be broadcast/);
    expect(() => where(null as never, 1, 2)).toThrow(/where: condition must be a Tensor, got null/);
  });
});
