import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, div, mul, neg, sub, tensor } from '../src/index.js';
import { broadcastableShapesArb, gradcheck, shapedTensorArb, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, flat, RUNS } from './helpers.js';

const pairShapes = broadcastableShapesArb({ maxRank: 4, maxDim: 4 });
/** Two float64 tensors that require grad, of broadcastable shapes; b kept away from 0 (for div). */
const pairArb = pairShapes.chain(([sa, sb]) =>
  fc.tuple(tensorArb(sa, { requiresGrad: true }), tensorArb(sb, { requiresGrad: true, avoid: [0], margin: 0.5 })),
);

describe('add, sub, mul, div: gradients (gradcheck over broadcastable shapes)', () => {
  for (const [name, op] of [['add', add], ['sub', sub], ['mul', mul], ['div', div]] as const) {
    it(name, () => {
      fc.assert(fc.property(pairArb, ([a, b]) => gradcheck(op, [a, b], { name })), { numRuns: RUNS });
    });
  }

  it('neg', () => {
    fc.assert(fc.property(shapedTensorArb({}, { requiresGrad: true }), (x) => gradcheck(neg, [x], { name: 'neg' })), { numRuns: RUNS });
  });

  it('with a number operand on either side', () => {
    fc.assert(
      fc.property(shapedTensorArb({ maxRank: 3 }, { requiresGrad: true, avoid: [0], margin: 0.5 }), fc.double({ min: -3, max: 3, noNaN: true }), (x, c) => {
        gradcheck((t) => add(c, t), [x], { name: 'add(c, x)' });
        gradcheck((t) => sub(c, t), [x], { name: 'sub(c, x)' });
        gradcheck((t) => mul(t, c), [x], { name: 'mul(x, c)' });
        gradcheck((t) => div(c, t), [x], { name: 'div(c, x)' });
        return true;
      }),
      { numRuns: RUNS },
    );
  });
});

describe('add, sub, mul, div: values', () => {
  it('broadcast as NumPy', () => {
    // a: [2, 1] = [[1], [2]], b: [3] = [10, 20, 30] → [2, 3]
    const a = f64([[1], [2]]);
    const b = f64([10, 20, 30]);
    // a + b: [[1+10, 1+20, 1+30], [2+10, 2+20, 2+30]]
    expectClose(add(a, b), [[11, 21, 31], [12, 22, 32]]);
    // a − b: [[1−10, 1−20, 1−30], [2−10, …]]
    expectClose(sub(a, b), [[-9, -19, -29], [-8, -18, -28]]);
    // a · b
    expectClose(mul(a, b), [[10, 20, 30], [20, 40, 60]]);
    // b / a: [[10/1, 20/1, 30/1], [10/2, 20/2, 30/2]]
    expectClose(div(b, a), [[10, 20, 30], [5, 10, 15]]);
    // −a
    expectClose(neg(a), [[-1], [-2]]);
  });

  it('follow IEEE for division by zero', () => {
    // 1/0 = inf, −1/0 = −inf, 0/0 = NaN
    expectClose(div(f64([1, -1, 0]), 0), [Infinity, -Infinity, Number.NaN]);
  });

  it('sum gradients down to the broadcast inputs', () => {
    // y = sum(a · b) with a: [2, 1], b: [1, 3]: dy/da[i] = Σ_j b[j], dy/db[j] = Σ_i a[i]
    const a = f64([[1], [2]], { requiresGrad: true });
    const b = f64([[10, 20, 30]], { requiresGrad: true });
    mul(a, b).sum().backward();
    expectClose(a.grad!, [[60], [60]]);
    expectClose(b.grad!, [[3, 3, 3]]);
    // y = sum(a / b): dy/da[i] = Σ_j 1/b[j] = 1/10 + 1/20 + 1/30 = 11/60; dy/db[j] = −Σ_i a[i] / b[j]² = −3/b[j]²
    const c = f64([[1], [2]], { requiresGrad: true });
    const d = f64([[10, 20, 30]], { requiresGrad: true });
    div(c, d).sum().backward();
    expectClose(c.grad!, [[11 / 60], [11 / 60]]);
    expectClose(d.grad!, [[-3 / 100, -3 / 400, -3 / 900]]);
  });

  it('promote dtypes as PyTorch; numbers do not promote', () => {
    expect(add(tensor([1]), f64([1])).dtype).toBe('float64');
    expect(add(tensor([1], { dtype: 'int32' }), tensor([1])).dtype).toBe('float32');
    expect(add(tensor([1], { dtype: 'int32' }), tensor([2], { dtype: 'int32' })).dtype).toBe('int32');
    // int32 + 0.5 is float32 (a float number makes an int tensor float, the default float dtype)
    const h = add(tensor([1], { dtype: 'int32' }), 0.5);
    expect(h.dtype).toBe('float32');
    expect(flat(h)).toEqual([1.5]);
    expect(mul(tensor([1], { dtype: 'float32' }), 2).dtype).toBe('float32');
    expect(mul(f64([1]), 2).dtype).toBe('float64');
  });

  it('are methods on Tensor', () => {
    const a = f64([6, 8]);
    expectClose(a.add(2).sub(1).mul(2).div(f64([2, 4])).neg(), [-7, -4.5]);
  });
});

describe('add, sub, mul, div: errors', () => {
  it('name the op and both shapes when the shapes do not broadcast', () => {
    expect(() => add(f64([[1, 2, 3], [4, 5, 6]]), f64([1, 2]))).toThrow(
      /add: shapes \[2, 3\] and \[2\] cannot be broadcast together \(dim -1 is 3 vs 2\)/,
    );
    expect(() => mul(f64([[1], [2], [3]]), f64([[1, 2], [3, 4]]))).toThrow(/mul: shapes \[3, 1\] and \[2, 2\] cannot be broadcast/);
  });

  it('refuse int32 / int32 division, naming div', () => {
    expect(() => div(tensor([1], { dtype: 'int32' }), tensor([2], { dtype: 'int32' }))).toThrow(
      /div: input must be a float tensor \(float32 or float64\), got int32 of shape \[1\]/,
    );
  });

  it('need a tensor operand', () => {
    expect(() => add(1 as never, 2 as never)).toThrow(/add: at least one of a and b must be a Tensor, got 1 and 2/);
    expect(() => neg(3 as never)).toThrow(/neg: input must be a Tensor, got 3/);
  });
});
