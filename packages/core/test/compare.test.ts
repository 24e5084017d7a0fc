import { describe, expect, it } from 'vitest';
import { eq, ge, gt, le, lt, ne, tensor } from '../src/index.js';
import { f64, flat } from './helpers.js';

describe('eq, ne, lt, le, gt, ge', () => {
  it('return int32 masks with broadcasting, NaN comparing false (ne true)', () => {
    // a = [1, 2, NaN] against b = 2
    const a = f64([1, 2, Number.NaN]);
    const cases: [typeof eq, number[]][] = [
      [eq, [0, 1, 0]], [ne, [1, 0, 1]], [lt, [1, 0, 0]], [le, [1, 1, 0]], [gt, [0, 0, 0]], [ge, [0, 1, 0]],
    ];
    for (const [op, expected] of cases) {
      const m = op(a, 2);
      expect(m.dtype).toBe('int32');
      expect(flat(m)).toEqual(expected);
    }
    // [[1], [3]] > [2, 0]: [[0, 1], [1, 1]]
    const m = gt(f64([[1], [3]]), f64([2, 0]));
    expect(m.shape).toEqual([2, 2]);
    expect(flat(m)).toEqual([0, 1, 1, 1]);
  });

  it('compare across dtypes and record no gradient', () => {
    expect(flat(eq(tensor([1, 2], { dtype: 'int32' }), f64([1, 2.5])))).toEqual([1, 0]);
    const x = f64([1], { requiresGrad: true });
    expect(gt(x, 0).requiresGrad).toBe(false);
  });

  it('name the op and the shapes that do not broadcast', () => {
    expect(() => lt(f64([1, 2]), f64([1, 2, 3]))).toThrow(/lt: shapes \[2\] and \[3\] cannot be broadcast/);
  });
});
