import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cat, narrow, pad, stack, tensor, Tensor, unsqueeze } from '../src/index.js';
import { gradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, flat, RUNS } from './helpers.js';

/** 1-3 tensors that agree on every dim but `dim` (sizes 0..3 there), and the dim (maybe negative). */
const catArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((shape) =>
  fc.integer({ min: 0, max: shape.length - 1 }).chain((dim) =>
    fc
      .array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 })
      .chain((sizes) =>
        fc.tuple(
          fc.tuple(...sizes.map((n) => tensorArb(shape.map((d, i) => (i === dim ? n : d)), { requiresGrad: true }))),
          fc.constantFrom(dim, dim - shape.length),
        ),
      ),
  ),
);

/** A tensor and pad amounts for some of its trailing dims; negative amounts crop within the dim. */
const padArb = shapeArb({ minRank: 1, maxRank: 3, maxDim: 4 }).chain((shape) =>
  fc.integer({ min: 1, max: shape.length }).chain((k) =>
    fc.tuple(
      tensorArb(shape, { requiresGrad: true }),
      fc
        .tuple(...Array.from({ length: k }, (_, j) => {
          const n = shape[shape.length - 1 - j]!;
          // before ≥ −n; after ≥ −(n + before) when before crops, so at most the whole dim is cropped
          return fc.integer({ min: -n, max: 2 }).chain((b) => fc.tuple(fc.constant(b), fc.integer({ min: -(n - Math.max(0, -b)), max: 2 })));
        }))
        .map((pairs) => pairs.flat()),
      fc.double({ min: -3, max: 3, noNaN: true }),
    ),
  ),
);

describe('cat, stack, pad: gradients (gradcheck over random shapes)', () => {
  it('cat', () => {
    fc.assert(
      fc.property(catArb, ([xs, dim]) => gradcheck((...ts) => cat(ts, dim), xs, { name: `cat(dim ${dim})` })),
      { numRuns: RUNS },
    );
  });

  it('stack', () => {
    const arb = shapeArb({ maxRank: 3, maxDim: 4 }).chain((shape) =>
      fc.tuple(
        fc.array(tensorArb(shape, { requiresGrad: true }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: -shape.length - 1, max: shape.length }),
      ),
    );
    fc.assert(fc.property(arb, ([xs, dim]) => gradcheck((...ts) => stack(ts, dim), xs, { name: `stack(dim ${dim})` })), {
      numRuns: RUNS,
    });
  });

  it('pad (constant, with crops)', () => {
    fc.assert(
      fc.property(padArb, ([x, amounts, value]) => gradcheck((t) => pad(t, amounts, { value }), [x], { name: `pad(${JSON.stringify(amounts)})` })),
      { numRuns: RUNS },
    );
  });
});

describe('cat, stack, pad: invariants', () => {
  it('cat then narrow recovers every input', () => {
    fc.assert(
      fc.property(catArb, ([xs, dim]) => {
        const d = (dim + xs[0]!.ndim) % xs[0]!.ndim;
        const y = cat(xs, dim);
        expect(y.shape[d]).toBe(xs.reduce((s, t) => s + t.shape[d]!, 0));
        let offset = 0;
        for (const t of xs) {
          const part = narrow(y, d, offset, t.shape[d]!);
          expect(part.shape).toEqual(t.shape);
          expect(flat(part)).toEqual(flat(t));
          offset += t.shape[d]!;
        }
      }),
      { numRuns: 50 },
    );
  });

  it('stack is cat of the inputs unsqueezed at dim', () => {
    const arb = shapeArb({ maxRank: 3, maxDim: 3 }).chain((shape) =>
      fc.tuple(fc.array(tensorArb(shape), { minLength: 1, maxLength: 3 }), fc.integer({ min: 0, max: shape.length })),
    );
    fc.assert(
      fc.property(arb, ([xs, dim]) => {
        const s = stack(xs, dim);
        const c = cat(xs.map((t) => unsqueeze(t, dim)), dim);
        expect(s.shape).toEqual(c.shape);
        expect(flat(s)).toEqual(flat(c));
      }),
      { numRuns: 50 },
    );
  });

  it('pad with non-negative amounts, then narrow the interior, recovers the input; the border is the value', () => {
    fc.assert(
      fc.property(padArb, ([x, amounts, value]) => {
        const nonNeg = amounts.map((a) => Math.abs(a));
        const y = pad(x, nonNeg, { value });
        let inner: Tensor = y;
        for (let k = 0; k < nonNeg.length / 2; k++) {
          const d = x.ndim - 1 - k;
          inner = narrow(inner, d, nonNeg[2 * k]!, x.shape[d]!);
        }
        expect(flat(inner)).toEqual(flat(x));
        const total = flat(y).reduce((s, v) => s + v, 0) - flat(x).reduce((s, v) => s + v, 0);
        expect(total).toBeCloseTo((y.size - x.size) * value, 8);
      }),
      { numRuns: 50 },
    );
  });
});

describe('cat, stack: values', () => {
  it('join along an existing dim, or a new one', () => {
    const a = f64([[1, 2]]);
    const b = f64([[3, 4], [5, 6]]);
    // along dim 0: the rows of a then b
    expectClose(cat([a, b], 0), [[1, 2], [3, 4], [5, 6]]);
    // along dim 1: [[1, 2], [3, 4]] | [[5], [6]]
    expectClose(cat([f64([[1, 2], [3, 4]]), f64([[5], [6]])], -1), [[1, 2, 5], [3, 4, 6]]);
    // an empty part takes no room
    expectClose(cat([a, f64([[], []]).reshape([0, 2]), a], 0), [[1, 2], [1, 2]]);
    // stack [1, 2] and [3, 4] along 0: [[1, 2], [3, 4]]; along 1: [[1, 3], [2, 4]]
    expectClose(stack([f64([1, 2]), f64([3, 4])]), [[1, 2], [3, 4]]);
    expectClose(stack([f64([1, 2]), f64([3, 4])], 1), [[1, 3], [2, 4]]);
    expectClose(stack([f64(1), f64(2)]), [1, 2]);
  });

  it('promote dtypes and split the gradient by part', () => {
    expect(cat([tensor([1], { dtype: 'int32' }), tensor([2.5])]).dtype).toBe('float32');
    const a = f64([1, 2], { requiresGrad: true });
    const b = f64([3], { requiresGrad: true });
    cat([a, b]).backward(f64([10, 20, 30]));
    expectClose(a.grad!, [10, 20]);
    expectClose(b.grad!, [30]);
  });
});

describe('pad: values', () => {
  it('pads the last dims first, as F.pad', () => {
    // [[1, 2], [3, 4]] with pad (1, 0, 0, 1) and value 9: last dim 1 before → [[9, 1, 2], [9, 3, 4]];
    // dim 0: 1 after → a row of 9s
    expectClose(pad(f64([[1, 2], [3, 4]]), [1, 0, 0, 1], { value: 9 }), [[9, 1, 2], [9, 3, 4], [9, 9, 9]]);
    // default value 0, both sides
    expectClose(pad(f64([1, 2]), [2, 1]), [0, 0, 1, 2, 0]);
  });

  it('crops with negative amounts', () => {
    // [[1, 2, 3]] with (−1, 1): drop the first column, add a 0 column at the end → [[2, 3, 0]]
    expectClose(pad(f64([[1, 2, 3]]), [-1, 1]), [[2, 3, 0]]);
    expectClose(pad(f64([1, 2, 3]), [-1, -2]), [], { shape: [0] });
  });

  it('passes the gradient of the interior and drops the border', () => {
    const x = f64([1, 2], { requiresGrad: true });
    pad(x, [1, 1], { value: 5 }).backward(f64([10, 20, 30, 40]));
    expectClose(x.grad!, [20, 30]);
    const y = f64([1, 2, 3], { requiresGrad: true });
    pad(y, [-1, 0]).backward(f64([7, 8]));
    expectClose(y.grad!, [0, 7, 8]);
  });

  it('returns a copy when nothing changes, in the input dtype', () => {
    const x = tensor([1, 2]);
    const y = pad(x, [0, 0]);
    expect(y).not.toBe(x);
    expect(y.dtype).toBe('float32');
    expect(pad(tensor([1], { dtype: 'int32' }), [1, 0]).dtype).toBe('int32');
  });
});

describe('cat, stack, pad: errors', () => {
  it('cat names the mismatched input and both shapes', () => {
    expect(() => cat([f64([[1, 2, 3]]), f64([[1, 2, 3, 4]])], 0)).toThrow(
      /cat: tensors\[1\] has shape \[1, 4\], which does not match tensors\[0\]'s \[1, 3\] outside dim 0/,
    );
    expect(() => cat([f64([[1]]), f64([1])], 0)).toThrow(/cat: tensors\[1\] has shape \[1\]/);
    expect(() => cat([], 0)).toThrow(/cat: expected a non-empty list of tensors/);
    expect(() => cat([f64(1)], 0)).toThrow(/cat: zero-dimensional tensors cannot be concatenated; use stack/);
    expect(() => cat([f64([1])], 1)).toThrow(/cat: dim 1 is out of range for a tensor of rank 1/);
    expect(() => cat([f64([1]), 5 as never])).toThrow(/cat: tensors\[1\] must be a Tensor, got 5/);
  });

  it('stack names the mismatched input', () => {
    expect(() => stack([f64([1, 2]), f64([1, 2, 3])])).toThrow(/stack: tensors\[1\] has shape \[3\], expected \[2\] like tensors\[0\]/);
    expect(() => stack([f64([1])], 2)).toThrow(/stack: dim 2 is out of range for a tensor of rank 2/);
  });

  it('pad names the amounts at fault', () => {
    expect(() => pad(f64([1]), [1])).toThrow(/pad: amounts must have an even length of at most 2 × rank \(2\), got \[1\]/);
    expect(() => pad(f64([1]), [1, 1, 1, 1])).toThrow(/pad: amounts must have an even length/);
    expect(() => pad(f64([1, 2]), [-2, -1])).toThrow(/pad: amounts \[-2,-1\] crop 2 \+ 1 from dim 0 of size 2/);
    expect(() => pad(f64([1]), [0.5, 0])).toThrow(/pad: amounts\[0\] must be an integer, got 0.5/);
  });
});
