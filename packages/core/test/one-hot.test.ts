import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { argmax, oneHot, sum, tensor } from '../src/index.js';
import { shapeArb } from '../src/testing/index.js';
import { flat } from './helpers.js';

describe('oneHot: properties', () => {
  it('has one 1 per position, at the class: argmax recovers the input, each row sums to 1', () => {
    const arb = fc.tuple(shapeArb({ maxRank: 3 }), fc.integer({ min: 1, max: 6 })).chain(([shape, c]) =>
      fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: shape.reduce((a, d) => a * d, 1), maxLength: shape.reduce((a, d) => a * d, 1) })
        .map((v) => ({ x: tensor(v, { dtype: 'int32', shape }), c })));
    fc.assert(fc.property(arb, ({ x, c }) => {
      const y = oneHot(x, { numClasses: c });
      expect(y.dtype).toBe('int32');
      expect(y.shape).toEqual([...x.shape, c]);
      expect(flat(argmax(y, -1))).toEqual(flat(x));
      expect(flat(sum(y, -1))).toEqual(new Array<number>(x.size).fill(1));
    }), { numRuns: 50 });
  });
});

describe('oneHot: values', () => {
  it('puts 1 at each class; numClasses defaults to max + 1', () => {
    // [[0, 2], [1, 0]] with 3 classes: rows e0 e2 / e1 e0
    const x = tensor([[0, 2], [1, 0]], { dtype: 'int32' });
    expect(oneHot(x, { numClasses: 3 }).toArray()).toEqual([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [1, 0, 0]]]);
    expect(oneHot(x).shape).toEqual([2, 2, 3]); // max 2 → 3 classes
    expect(oneHot(tensor(2, { dtype: 'int32' }), { numClasses: 4 }).toArray()).toEqual([0, 0, 1, 0]);
    expect(oneHot(tensor([], { dtype: 'int32' }), { numClasses: 3 }).shape).toEqual([0, 3]);
  });
  it('records no gradient (integer in and out)', () => {
    expect(oneHot(tensor([1], { dtype: 'int32' })).requiresGrad).toBe(false);
  });
});

describe('oneHot: errors', () => {
  it('names the label and its position', () => {
    const x = tensor([0, 5, 1], { dtype: 'int32' });
    expect(() => oneHot(x, { numClasses: 3 })).toThrow(/oneHot: class value 5 at position 1 of input \[3\] is not smaller than numClasses \(3\)/);
    expect(() => oneHot(tensor([0, -1], { dtype: 'int32' }))).toThrow(/oneHot: class values must be non-negative; got -1 at position 1 of input \[2\]/);
    expect(() => oneHot(tensor([], { dtype: 'int32' }))).toThrow(/oneHot: cannot infer numClasses from an empty input \(shape \[0\]\); pass \{ numClasses \}/);
    expect(() => oneHot(tensor([1.5]))).toThrow(/oneHot: input must be an int32 tensor, got float32 of shape \[1\]/);
    expect(() => oneHot(x, { numClasses: -2 })).toThrow(/oneHot: numClasses must be an integer >= -1, got -2/);
  });
});
