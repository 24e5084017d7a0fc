import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, expand, flatten, narrow, permute, reshape, slice, squeeze, tensor, transpose, unsqueeze } from '../src/index.js';
import { gradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { expandableShapesArb, expectClose, f64, flat, permutationArb, RUNS } from './helpers.js';

const xArb = (options: Parameters<typeof shapeArb>[0] = {}) =>
  shapeArb(options).chain((s) => tensorArb(s, { requiresGrad: true }));

/** Splits `n` into a random shape with the same number of elements (its factors, shuffled). */
function factorShapeArb(n: number): fc.Arbitrary<number[]> {
  const factors: number[] = [];
  let m = n;
  for (let p = 2; m > 1; p++) while (m % p === 0) { factors.push(p); m /= p; }
  return fc.shuffledSubarray(factors, { minLength: factors.length, maxLength: factors.length }).chain((fs) =>
    fc.array(fc.boolean(), { minLength: fs.length, maxLength: fs.length }).map((merge) => {
      const shape: number[] = [];
      fs.forEach((f, i) => { if (merge[i] && shape.length > 0) shape[shape.length - 1]! *= f; else shape.push(f); });
      return shape;
    }),
  );
}

describe('shape ops: gradients (gradcheck over random shapes)', () => {
  it('reshape to a random shape of the same size, with a -1', () => {
    const arb = xArb().chain((x) => fc.tuple(fc.constant(x), factorShapeArb(x.size), fc.nat()));
    fc.assert(
      fc.property(arb, ([x, shape, k]) => {
        gradcheck((t) => reshape(t, shape), [x], { name: `reshape(${JSON.stringify(shape)})` });
        const withFree = shape.length > 0 ? shape.map((d, i) => (i === k % shape.length ? -1 : d)) : shape;
        return gradcheck((t) => reshape(t, withFree), [x], { name: 'reshape(-1)' });
      }),
      { numRuns: RUNS },
    );
  });

  it('flatten, squeeze, unsqueeze', () => {
    const arb = xArb({ minDim: 1, maxDim: 3 }).chain((x) =>
      fc.tuple(fc.constant(x), fc.integer({ min: -Math.max(x.ndim, 1), max: Math.max(x.ndim - 1, 0) }), fc.integer({ min: -x.ndim - 1, max: x.ndim })),
    );
    fc.assert(
      fc.property(arb, ([x, d, u]) => {
        gradcheck((t) => flatten(t), [x], { name: 'flatten' });
        if (x.ndim > 0) gradcheck((t) => flatten(t, d), [x], { name: `flatten(${d})` });
        gradcheck((t) => squeeze(t), [x], { name: 'squeeze' });
        gradcheck((t) => squeeze(t, d), [x], { name: `squeeze(${d})` });
        return gradcheck((t) => unsqueeze(t, u), [x], { name: `unsqueeze(${u})` });
      }),
      { numRuns: RUNS },
    );
  });

  it('permute and transpose', () => {
    const arb = xArb().chain((x) =>
      fc.tuple(fc.constant(x), permutationArb(x.ndim), fc.nat(), fc.nat()),
    );
    fc.assert(
      fc.property(arb, ([x, perm, i, j]) => {
        gradcheck((t) => permute(t, perm), [x], { name: `permute(${JSON.stringify(perm)})` });
        if (x.ndim === 0) return true;
        return gradcheck((t) => transpose(t, i % x.ndim, -1 - (j % x.ndim)), [x], { name: 'transpose' });
      }),
      { numRuns: RUNS },
    );
  });

  it('expand (the engine sums the gradient back)', () => {
    const arb = expandableShapesArb().chain(({ from, to }) => fc.tuple(tensorArb(from, { requiresGrad: true }), fc.constant(to)));
    fc.assert(fc.property(arb, ([x, to]) => gradcheck((t) => expand(t, to), [x], { name: `expand(${JSON.stringify(to)})` })), {
      numRuns: RUNS,
    });
  });

  it('narrow and slice (with steps and negative bounds)', () => {
    const arb = xArb({ minRank: 1 }).chain((x) =>
      fc.integer({ min: 0, max: x.ndim - 1 }).chain((d) => {
        const n = x.shape[d]!;
        return fc.tuple(
          fc.constant(x),
          fc.constant(d),
          fc.integer({ min: 0, max: n }).chain((start) => fc.tuple(fc.constant(start), fc.integer({ min: 0, max: n - start }))),
          fc.record({ start: fc.integer({ min: -n - 1, max: n + 1 }), end: fc.integer({ min: -n - 1, max: n + 1 }), step: fc.integer({ min: 1, max: 3 }) }),
        );
      }),
    );
    fc.assert(
      fc.property(arb, ([x, d, [start, length], opts]) => {
        gradcheck((t) => narrow(t, d, start, length), [x], { name: `narrow(${d}, ${start}, ${length})` });
        return gradcheck((t) => slice(t, d, opts), [x], { name: `slice(${d}, ${JSON.stringify(opts)})` });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('shape ops: invariants', () => {
  it('permute then the inverse permutation is the identity', () => {
    const arb = xArb().chain((x) => fc.tuple(fc.constant(x), permutationArb(x.ndim)));
    fc.assert(
      fc.property(arb, ([x, perm]) => {
        const inverse = perm.map((_, i) => perm.indexOf(i));
        const y = permute(x, perm);
        expect(y.shape).toEqual(perm.map((p) => x.shape[p]));
        const back = permute(y, inverse);
        expect(back.shape).toEqual(x.shape);
        expect(flat(back)).toEqual(flat(x));
      }),
      { numRuns: 50 },
    );
  });

  it('permute moves element [i0, i1, …] to [i_p0, i_p1, …]', () => {
    const arb = shapeArb({ minRank: 1, maxRank: 4 }).chain((s) => fc.tuple(fc.constant(s), permutationArb(s.length)));
    fc.assert(
      fc.property(arb, ([shape, perm]) => {
        const x = arange(shape.reduce((a, b) => a * b, 1), undefined, 1, { dtype: 'float64' }).reshape(shape);
        const y = permute(x, perm);
        const xs = x.toArray();
        const ys = y.toArray();
        // check every element through nested indexing
        const at = (a: unknown, idx: number[]): unknown => idx.reduce((v: unknown, i) => (v as unknown[])[i], a);
        const walk = (idx: number[]): void => {
          if (idx.length === shape.length) {
            expect(at(ys, perm.map((p) => idx[p]!))).toBe(at(xs, idx));
            return;
          }
          for (let i = 0; i < shape[idx.length]!; i++) walk([...idx, i]);
        };
        walk([]);
      }),
      { numRuns: 30 },
    );
  });

  it('reshape keeps the row-major order; flatten(reshape) = flatten', () => {
    const arb = xArb().chain((x) => fc.tuple(fc.constant(x), factorShapeArb(x.size)));
    fc.assert(
      fc.property(arb, ([x, shape]) => {
        const y = reshape(x, shape);
        expect(y.shape).toEqual(shape);
        expect(flat(flatten(y))).toEqual(flat(x));
      }),
      { numRuns: 50 },
    );
  });
});

describe('shape ops: values', () => {
  it('reshape, view and flatten', () => {
    const x = arange(6, undefined, 1, { dtype: 'float64' });
    // [0..5] as [2, 3] row-major: [[0, 1, 2], [3, 4, 5]]; [-1, 2] infers 3
    expectClose(reshape(x, [2, 3]), [[0, 1, 2], [3, 4, 5]]);
    expectClose(x.reshape([-1, 2]), [[0, 1], [2, 3], [4, 5]]);
    expectClose(x.view([3, 2]), [[0, 1], [2, 3], [4, 5]]);
    expect(flatten(x.reshape([1, 2, 3]), 1).shape).toEqual([1, 6]);
    expect(flatten(x.reshape([1, 2, 3]), 0, 1).shape).toEqual([2, 3]);
    expect(flatten(x.reshape([1, 2, 3, 1]), -3, -2).shape).toEqual([1, 6, 1]);
    expect(flatten(f64(5)).shape).toEqual([1]);
    expect(reshape(f64([5]), []).shape).toEqual([]);
    expect(reshape(tensor([]), [0, 3]).shape).toEqual([0, 3]);
  });

  it('squeeze and unsqueeze', () => {
    const x = f64([[[1, 2, 3]]]); // [1, 1, 3]
    expect(squeeze(x).shape).toEqual([3]);
    expect(squeeze(x, 1).shape).toEqual([1, 3]);
    expect(squeeze(x, -1).shape).toEqual([1, 1, 3]); // size 3: unchanged, as PyTorch
    expect(squeeze(f64(2), 0).shape).toEqual([]);
    expect(unsqueeze(x, 0).shape).toEqual([1, 1, 1, 3]);
    expect(unsqueeze(x, -1).shape).toEqual([1, 1, 3, 1]);
    expect(unsqueeze(f64(2), 0).shape).toEqual([1]);
    expect(x.squeeze().unsqueeze(1).shape).toEqual([3, 1]);
  });

  it('permute and transpose', () => {
    // [[1, 2, 3], [4, 5, 6]]ᵀ = [[1, 4], [2, 5], [3, 6]]
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expectClose(transpose(x, 0, 1), [[1, 4], [2, 5], [3, 6]]);
    expectClose(x.permute([1, 0]), [[1, 4], [2, 5], [3, 6]]);
    expectClose(x.transpose(-1, -2), [[1, 4], [2, 5], [3, 6]]);
    // a [2, 1, 2] tensor with dims moved to [2, 2, 1]: [[[1, 2]], [[3, 4]]] → [[[1], [2]], [[3], [4]]]
    expectClose(permute(f64([[[1, 2]], [[3, 4]]]), [0, 2, 1]), [[[1], [2]], [[3], [4]]]);
    // a 0-d tensor permutes to itself
    expectClose(permute(f64(5), []), 5);
    expectClose(transpose(f64(5), 0, -1), 5);
  });

  it('expand, and its gradient summed back', () => {
    // [1, 2] → [3, 2]: three copies of the row; -1 keeps a dim
    expectClose(expand(f64([1, 2]), [3, 2]), [[1, 2], [1, 2], [1, 2]]);
    expectClose(f64([[1], [2]]).expand([-1, 3]), [[1, 1, 1], [2, 2, 2]]);
    expect(Object.is(expand(f64([-0]), [2]).data[1], -0)).toBe(true);
    // d sum(expand(x, [3, 2]) · w)/dx = column sums of w: [1+3+5, 2+4+6]
    const x = f64([1, 2], { requiresGrad: true });
    expand(x, [3, 2]).backward(f64([[1, 2], [3, 4], [5, 6]]));
    expectClose(x.grad!, [9, 12]);
  });

  it('narrow and slice', () => {
    const x = f64([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]]);
    // columns 1..3
    expectClose(narrow(x, 1, 1, 3), [[1, 2, 3], [6, 7, 8]]);
    expectClose(x.narrow(-1, -2, 2), [[3, 4], [8, 9]]);
    expectClose(narrow(x, 0, 1, 0), [], { shape: [0, 5] });
    // x[:, ::2] = columns 0, 2, 4; x[:, -3:] = columns 2, 3, 4; x[:, 1:100:3] = columns 1, 4
    expectClose(slice(x, 1, { step: 2 }), [[0, 2, 4], [5, 7, 9]]);
    expectClose(slice(x, 1, { start: -3 }), [[2, 3, 4], [7, 8, 9]]);
    expectClose(slice(x, 1, { start: 1, end: 100, step: 3 }), [[1, 4], [6, 9]]);
    expectClose(slice(x, 0, { start: 3 }), [], { shape: [0, 5] });
    // gradient of narrow: upstream placed back at columns 1..3, zeros elsewhere
    const y = f64([[0, 1, 2, 3, 4]], { requiresGrad: true });
    narrow(y, 1, 1, 3).backward(f64([[10, 20, 30]]));
    expectClose(y.grad!, [[0, 10, 20, 30, 0]]);
    const z = f64([0, 1, 2, 3, 4], { requiresGrad: true });
    slice(z, 0, { step: 2 }).backward(f64([10, 20, 30]));
    expectClose(z.grad!, [10, 0, 20, 0, 30]);
  });
});

describe('shape ops: errors', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('reshape of a wrong size names the shapes and sizes', () => {
    expect(() => reshape(x, [4, 2])).toThrow(/reshape: shape \[4, 2\] is invalid for input of shape \[2, 3\] \(6 elements\)/);
    expect(() => reshape(x, [4, -1])).toThrow(/reshape: shape \[4, -1\] is invalid for input of shape \[2, 3\]/);
    expect(() => reshape(x, [-1, -1])).toThrow(/reshape: shape can have only one -1, got \[-1, -1\]/);
    expect(() => reshape(x, [2, -3])).toThrow(/reshape: invalid dim -3 in shape \[2, -3\]/);
  });

  it('dims out of range name the op, the argument and the rank', () => {
    expect(() => flatten(x, 2)).toThrow(/flatten: startDim 2 is out of range for a tensor of rank 2/);
    expect(() => flatten(x, 1, 0)).toThrow(/flatten: startDim 1 comes after endDim 0/);
    expect(() => squeeze(x, 2)).toThrow(/squeeze: dim 2 is out of range for a tensor of rank 2/);
    expect(() => unsqueeze(x, 3)).toThrow(/unsqueeze: dim 3 is out of range for a tensor of rank 3 \(expected -3\.\.2\)/);
    expect(() => transpose(x, 0, 2)).toThrow(/transpose: dim1 2 is out of range for a tensor of rank 2/);
    expect(() => narrow(x, 2, 0, 1)).toThrow(/narrow: dim 2 is out of range/);
    expect(() => slice(x, -3)).toThrow(/slice: dim -3 is out of range/);
  });

  it('permute needs each dim once', () => {
    expect(() => permute(x, [0])).toThrow(/permute: dims \[0\] must list each of the input's 2 dims once/);
    expect(() => permute(x, [1, -1])).toThrow(/permute: dims \[1,-1\] repeat a dim/);
    expect(() => permute(x, [0, 2])).toThrow(/permute: dim 2 is out of range/);
  });

  it('expand names both shapes', () => {
    expect(() => expand(x, [2, 4])).toThrow(/expand: shape \[2, 3\] cannot be expanded to \[2, 4\]/);
    expect(() => expand(x, [3])).toThrow(/expand: shape \[2, 3\] cannot be expanded to \[3\]/);
    expect(() => expand(f64([1]), [-1, 2])).toThrow(/expand: shape \[1\] cannot be expanded to \[-1, 2\]/);
  });

  it('narrow and slice name the bounds', () => {
    expect(() => narrow(x, 1, 2, 2)).toThrow(/narrow: start 2 \+ length 2 exceeds dim 1 of size 3 \(shape \[2, 3\]\)/);
    expect(() => narrow(x, 1, 0, -1)).toThrow(/narrow: length must be an integer >= 0, got -1/);
    expect(() => slice(x, 1, { step: 0 })).toThrow(/slice: step must be an integer >= 1, got 0/);
  });
});
