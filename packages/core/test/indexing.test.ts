import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gather, indexSelect, Tensor, tensor } from '../src/index.js';
import { gradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, flat, RUNS } from './helpers.js';

const int = (data: number[] | number[][] | number[][][], shape?: number[]) =>
  tensor(data, { dtype: 'int32', ...(shape ? { shape } : {}) });

/** x (rank ≥ 1), a dim, and an int32 index for gather: index.shape[d] ≤ x.shape[d] off dim, values in range. */
const gatherArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc
      .tuple(...shape.map((n, d) => (d === dim ? fc.integer({ min: 1, max: 5 }) : fc.integer({ min: 1, max: n }))))
      .chain((indexShape) =>
        fc.tuple(
          tensorArb(shape, { requiresGrad: true }),
          fc.constant(dim),
          tensorArb(indexShape, { dtype: 'int32', min: 0, max: shape[dim]! - 1 }),
        ),
      ),
  ),
);

/** x (rank ≥ 1), a dim, and a 1-D int32 index (repeats allowed) into that dim. */
const indexSelectArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc.tuple(
      tensorArb(shape, { requiresGrad: true }),
      fc.constantFrom(dim, dim - shape.length),
      fc.array(fc.integer({ min: 0, max: shape[dim]! - 1 }), { maxLength: 5 }).map((v) => new Tensor(Int32Array.from(v), [v.length])),
    ),
  ),
);

describe('gather, indexSelect: gradients (gradcheck, repeated indices accumulate)', () => {
  it('gather', () => {
    fc.assert(fc.property(gatherArb, ([x, dim, index]) => gradcheck((t) => gather(t, dim, index), [x], { name: `gather(${dim})` })), {
      numRuns: RUNS,
    });
  });
  it('indexSelect', () => {
    fc.assert(
      fc.property(indexSelectArb, ([x, dim, index]) => gradcheck((t) => indexSelect(t, dim, index), [x], { name: `indexSelect(${dim})` })),
      { numRuns: RUNS },
    );
  });
});

describe('gather, indexSelect: invariants', () => {
  it('gather along dim d picks x[…, index[p], …] at every position p', () => {
    fc.assert(
      fc.property(gatherArb, ([x, dim, index]) => {
        const y = gather(x, dim, index);
        expect(y.shape).toEqual(index.shape);
        const xs = x.toArray();
        const ys = y.toArray();
        const at = (a: unknown, idx: number[]): unknown => idx.reduce((v: unknown, i) => (v as unknown[])[i], a);
        const is = index.toArray();
        const walk = (idx: number[]): void => {
          if (idx.length === index.ndim) {
            const src = idx.map((v, d) => (d === dim ? (at(is, idx) as number) : v));
            expect(at(ys, idx)).toBe(at(xs, src));
            return;
          }
          for (let i = 0; i < index.shape[idx.length]!; i++) walk([...idx, i]);
        };
        walk([]);
      }),
      { numRuns: 30 },
    );
  });

  it('indexSelect with every position in order is the identity', () => {
    fc.assert(
      fc.property(indexSelectArb, ([x, dim]) => {
        const n = x.shape[(dim + x.ndim) % x.ndim]!;
        const all = new Tensor(Int32Array.from({ length: n }, (_, i) => i), [n]);
        expect(flat(indexSelect(x, dim, all))).toEqual(flat(x));
      }),
      { numRuns: 30 },
    );
  });
});

describe('gather: values', () => {
  it('picks along a dim, as torch.gather', () => {
    // x = [[1, 2], [3, 4]]; dim 1, index [[1], [0]]: out[i][0] = x[i][index[i][0]] → [[2], [3]]
    const x = f64([[1, 2], [3, 4]]);
    expectClose(gather(x, 1, int([[1], [0]])), [[2], [3]]);
    // dim 0, index [[1, 0]] (shape [1, 2]): out[0][j] = x[index[0][j]][j] → [[x[1][0], x[0][1]]]
    expectClose(gather(x, 0, int([[1, 0]])), [[3, 2]]);
    // a smaller index than x off the dim: index [[0, 0]] of shape [1, 2] along dim 1 picks x[0][0] twice
    expectClose(x.gather(1, int([[0, 0]])), [[1, 1]]);
  });

  it('scatters the gradient back, adding repeats', () => {
    // gather(x, 1, [[0, 0, 1]]) with upstream [[1, 2, 3]]: x[0][0] gets 1 + 2, x[0][1] gets 3
    const x = f64([[5, 6]], { requiresGrad: true });
    gather(x, 1, int([[0, 0, 1]])).backward(f64([[1, 2, 3]]));
    expectClose(x.grad!, [[3, 3]]);
  });
});

describe('indexSelect: values', () => {
  it('selects slices, as torch.index_select', () => {
    const x = f64([[1, 2], [3, 4], [5, 6]]);
    // rows 2, 0: [[5, 6], [1, 2]]; column 1 twice: [[2, 2], [4, 4], [6, 6]]
    expectClose(indexSelect(x, 0, int([2, 0])), [[5, 6], [1, 2]]);
    expectClose(x.indexSelect(-1, int([1, 1])), [[2, 2], [4, 4], [6, 6]]);
    expectClose(indexSelect(x, 0, int([])), [], { shape: [0, 2] });
  });

  it('adds the gradient back at the positions it came from', () => {
    // rows [0, 0, 2] of a [3, 1] tensor, upstream [[1], [2], [3]]: row 0 gets 1 + 2, row 2 gets 3
    const x = f64([[1], [2], [3]], { requiresGrad: true });
    indexSelect(x, 0, int([0, 0, 2])).backward(f64([[1], [2], [3]]));
    expectClose(x.grad!, [[3], [0], [3]]);
  });
});

describe('gather, indexSelect: errors', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  it('an index out of bounds names the op, the value, the dim and the shapes', () => {
    expect(() => gather(x, 1, int([[0, 3]]))).toThrow(
      /gather: index 3 at flat position 1 is out of bounds for dim 1 of size 3 \(input shape \[2, 3\], index shape \[1, 2\]\)/,
    );
    expect(() => gather(x, 0, int([[-1]]))).toThrow(/gather: index -1 at flat position 0 is out of bounds for dim 0 of size 2/);
    expect(() => indexSelect(x, 0, int([0, 2]))).toThrow(
      /indexSelect: index 2 at position 1 is out of range for dim 0 of size 2 \(input shape \[2, 3\]\)/,
    );
  });

  it('a wrong index dtype, rank or shape names the argument', () => {
    expect(() => gather(x, 1, f64([[0]]))).toThrow(/gather: index must be an int32 tensor, got float64 of shape \[1, 1\]/);
    expect(() => gather(x, 1, int([0]))).toThrow(/gather: index must have the input's rank 2, got shape \[1\]/);
    expect(() => gather(x, 1, int([[0], [0], [0]]))).toThrow(/gather: index shape \[3, 1\] exceeds input shape \[2, 3\] at dim 0/);
    expect(() => indexSelect(x, 0, int([[0]]))).toThrow(/indexSelect: index must be 1-D, got shape \[1, 1\]/);
    expect(() => indexSelect(x, 0, f64([0]))).toThrow(/indexSelect: index must be an int32 tensor, got float64/);
  });

  it('a dim out of range names the op', () => {
    expect(() => gather(x, 2, int([[0]]))).toThrow(/gather: dim 2 is out of range for a tensor of rank 2/);
    expect(() => indexSelect(x, -3, int([0]))).toThrow(/indexSelect: dim -3 is out of range for a tensor of rank 2/);
  });
});
