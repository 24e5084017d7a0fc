import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maximum, minimum, tensor, Tensor } from '../src/index.js';
import { broadcastableShapesArb, gradcheck } from '../src/testing/index.js';
import { distinctTensorArb, expectClose, f64, RUNS } from './helpers.js';

/** Two tensors of broadcastable shapes with no element equal to another (no ties). */
const noTiesArb = broadcastableShapesArb({ maxRank: 3, maxDim: 4 }).chain(([sa, sb]) => {
  const na = sa.reduce((p, d) => p * d, 1);
  const nb = sb.reduce((p, d) => p * d, 1);
  return distinctTensorArb([na + nb]).map((all): [Tensor, Tensor] => [
    new Tensor(all.data.slice(0, na), sa, true),
    new Tensor(all.data.slice(na), sb, true),
  ]);
});

describe('maximum, minimum: gradients (gradcheck over broadcastable shapes, no ties)', () => {
  it('maximum', () => {
    fc.assert(fc.property(noTiesArb, ([a, b]) => gradcheck(maximum, [a, b], { name: 'maximum' })), { numRuns: RUNS });
  });
  it('minimum', () => {
    fc.assert(fc.property(noTiesArb, ([a, b]) => gradcheck(minimum, [a, b], { name: 'minimum' })), { numRuns: RUNS });
  });
});

describe('maximum, minimum: values', () => {
  it('forward, with NaN propagating', () => {
    // max([1, 5, NaN], [3, 2, 0]) = [3, 5, NaN]; min = [1, 2, NaN]
    expectClose(maximum(f64([1, 5, Number.NaN]), f64([3, 2, 0])), [3, 5, Number.NaN]);
    expectClose(minimum(f64([1, 5, Number.NaN]), f64([3, 2, 0])), [1, 2, Number.NaN]);
    // broadcasting with a number: max([−1, 2], 0) = [0, 2]
    expectClose(maximum(f64([-1, 2]), 0), [0, 2]);
    expect(maximum(tensor([1], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })).dtype).toBe('int32');
  });

  it('gradient: to the winner, split in half at ties, full to both at a NaN (as PyTorch)', () => {
    // a = [1, 5, 2, NaN], b = [3, 2, 2, 1], upstream [10, 20, 30, 40]:
    // maximum: a wins at 1 → a gets [0, 20, 15, 40], b gets [10, 0, 15, 40]
    const a = f64([1, 5, 2, Number.NaN], { requiresGrad: true });
    const b = f64([3, 2, 2, 1], { requiresGrad: true });
    maximum(a, b).backward(f64([10, 20, 30, 40]));
    expectClose(a.grad!, [0, 20, 15, 40]);
    expectClose(b.grad!, [10, 0, 15, 40]);
    // minimum: a wins at 0 → a gets [10, 0, 15, 40], b gets [0, 20, 15, 40]
    const c = f64([1, 5, 2, Number.NaN], { requiresGrad: true });
    const d = f64([3, 2, 2, 1], { requiresGrad: true });
    minimum(c, d).backward(f64([10, 20, 30, 40]));
    expectClose(c.grad!, [10, 0, 15, 40]);
    expectClose(d.grad!, [0, 20, 15, 40]);
  });

  it('sums the gradient of a broadcast input', () => {
    // maximum([1, 4, 2], b = 3): b wins at 0 and 2 → db = g0 + g2 = 1 + 3
    const b = f64(3, { requiresGrad: true });
    maximum(f64([1, 4, 2]), b).backward(f64([1, 2, 3]));
    expectClose(b.grad!, 4);
  });

  it('are methods on Tensor', () => {
    expectClose(f64([1, 5]).maximum(3).minimum(4), [3, 4]);
  });
});

describe('maximum, minimum: errors', () => {
  it('name the op and both shapes', () => {
    expect(() => maximum(f64([1, 2]), f64([1, 2, 3]))).toThrow(/maximum: shapes \[2\] and \[3\] cannot be broadcast/);
    expect(() => minimum(f64([[1, 2]]), f64([[1, 2, 3]]))).toThrow(/minimum: shapes \[1, 2\] and \[1, 3\]/);
  });
});
