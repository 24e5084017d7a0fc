import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, exp, log, logSoftmax, softmax, sum, tensor } from '../src/index.js';
import { gradcheck, shapeArb, tensorArb } from '../src/testing/index.js';
import { assertCloseToReference, fixtureTensor, opCases } from './fixtures/load.js';
import { expectClose, f64, RUNS } from './helpers.js';

/** A tensor (any rank, 0-d included) of logits in [-5, 5] and a dim of it (maybe negative). */
const logitsArb = (options: { requiresGrad?: boolean } = {}) =>
  shapeArb().chain((shape) =>
    fc.tuple(
      tensorArb(shape, { min: -5, max: 5, ...options }),
      fc.integer({ min: -Math.max(shape.length, 1), max: Math.max(shape.length - 1, 0) }),
    ),
  );

describe('softmax, logSoftmax: gradients (gradcheck over random shapes and dims)', () => {
  it('softmax', () => {
    fc.assert(fc.property(logitsArb({ requiresGrad: true }), ([x, dim]) => gradcheck((t) => softmax(t, dim), [x], { name: `softmax(${dim})` })), {
      numRuns: RUNS,
    });
  });
  it('logSoftmax', () => {
    fc.assert(
      fc.property(logitsArb({ requiresGrad: true }), ([x, dim]) => gradcheck((t) => logSoftmax(t, dim), [x], { name: `logSoftmax(${dim})` })),
      { numRuns: RUNS },
    );
  });
});

describe('softmax, logSoftmax: invariants', () => {
  it('softmax is in (0, 1] and sums to 1 along dim', () => {
    fc.assert(
      fc.property(logitsArb(), ([x, dim]) => {
        const y = softmax(x, dim);
        expect(y.data.every((v) => v > 0 && v <= 1)).toBe(true);
        const s = sum(y, x.ndim === 0 ? undefined : dim);
        expectClose(s, Array.from(s.data).map(() => 1), { shape: s.shape, atol: 1e-14 });
      }),
      { numRuns: 50 },
    );
  });

  it('both are invariant to adding a constant along dim (shift), even a huge one', () => {
    fc.assert(
      fc.property(logitsArb(), fc.double({ min: -1e4, max: 1e4, noNaN: true }), ([x, dim], c) => {
        expectClose(softmax(add(x, c), dim), softmax(x, dim).toArray(), { atol: 1e-12, rtol: 1e-9 });
        // log-softmax is shift-invariant up to the rounding of x + c (|c|·2^-52 ≈ 2e-12 for c = 1e4)
        expectClose(logSoftmax(add(x, c), dim), logSoftmax(x, dim).toArray(), { atol: 1e-11, rtol: 1e-9 });
      }),
      { numRuns: 50 },
    );
  });

  it('logSoftmax = log(softmax) and exp(logSoftmax) = softmax', () => {
    fc.assert(
      fc.property(logitsArb(), ([x, dim]) => {
        expectClose(logSoftmax(x, dim), log(softmax(x, dim)).toArray(), { atol: 1e-13, rtol: 1e-13 });
        expectClose(exp(logSoftmax(x, dim)), softmax(x, dim).toArray(), { atol: 1e-15, rtol: 1e-13 });
      }),
      { numRuns: 50 },
    );
  });
});

describe('softmax, logSoftmax: values', () => {
  it('softmax([1, 2, 3])', () => {
    // e^k / (e + e² + e³), k = 1, 2, 3
    const z = Math.E + Math.E ** 2 + Math.E ** 3;
    expectClose(softmax(f64([1, 2, 3]), 0), [Math.E / z, Math.E ** 2 / z, Math.E ** 3 / z], { atol: 1e-15 });
    // logSoftmax = x − ln z
    expectClose(logSoftmax(f64([1, 2, 3]), 0), [1 - Math.log(z), 2 - Math.log(z), 3 - Math.log(z)], { atol: 1e-15 });
  });

  it('along the dim asked: columns of [[0, 0], [ln 3, 0]]', () => {
    // column 0: e^0 / (1 + 3) = 1/4, 3/4; column 1: 1/2, 1/2
    expectClose(softmax(f64([[0, 0], [Math.log(3), 0]]), 0), [[0.25, 0.5], [0.75, 0.5]], { atol: 1e-15 });
    // rows (dim −1): row 0: 1/2, 1/2; row 1: 3/4, 1/4
    expectClose(softmax(f64([[0, 0], [Math.log(3), 0]]), -1), [[0.5, 0.5], [0.75, 0.25]], { atol: 1e-15 });
  });

  it('is stable for logits of ±1e4', () => {
    // the max is subtracted first: [1e4, −1e4, 0] − 1e4 = [0, −2e4, −1e4]; e^−1e4 underflows to 0
    expectClose(softmax(f64([1e4, -1e4, 0]), 0), [1, 0, 0]);
    expectClose(logSoftmax(f64([1e4, -1e4, 0]), 0), [0, -2e4, -1e4]);
    // equal huge logits: [1/2, 1/2] and −ln 2 (no inf − inf)
    expectClose(softmax(f64([1e4, 1e4]), 0), [0.5, 0.5]);
    expectClose(logSoftmax(f64([-1e4, -1e4]), 0), [-Math.LN2, -Math.LN2], { atol: 1e-15 });
    // and in float32
    expectClose(softmax(tensor([1e4, 0]), 0), [1, 0]);
  });

  it('of a 0-d tensor and a size-1 dim is 1 (log 0)', () => {
    expectClose(softmax(f64(3), 0), 1);
    expectClose(logSoftmax(f64([[7]]), 1), [[0]]);
  });

  it('gradients: softmax dx = y·(g − Σ g·y); logSoftmax dx = g − softmax·Σ g', () => {
    // x = [0, ln 3] → y = [1/4, 3/4]; g = [1, 0]: Σ g·y = 1/4, dx = [1/4·3/4, 3/4·(−1/4)] = [3/16, −3/16]
    const x = f64([0, Math.log(3)], { requiresGrad: true });
    softmax(x, 0).backward(f64([1, 0]));
    expectClose(x.grad!, [3 / 16, -3 / 16], { atol: 1e-15 });
    // logSoftmax with g = [1, 0]: Σ g = 1, dx = [1 − 1/4, 0 − 3/4]
    const z = f64([0, Math.log(3)], { requiresGrad: true });
    logSoftmax(z, 0).backward(f64([1, 0]));
    expectClose(z.grad!, [0.75, -0.75], { atol: 1e-15 });
  });

  it('are methods on Tensor', () => {
    expectClose(f64([0, 0]).softmax(0), [0.5, 0.5]);
    expectClose(f64([0, 0]).logSoftmax(-1), [-Math.LN2, -Math.LN2], { atol: 1e-15 });
  });
});

describe('softmax, logSoftmax: the PyTorch reference cases (fixtures/ops.torch.json)', () => {
  for (const op of ['softmax', 'logSoftmax'] as const) {
    const cases = opCases(op);
    const fn = op === 'softmax' ? softmax : logSoftmax;
    it(`has ${op} cases to check`, () => {
      expect(cases.length).toBeGreaterThanOrEqual(12);
    });
    cases.forEach((c, i) => {
      const dim = c.options.dim as number;
      it(`${op} case ${i}: shape ${JSON.stringify(c.inputs.input!.shape)}, dim ${dim}`, () => {
        const x = fixtureTensor(c.inputs.input!, { requiresGrad: true });
        const y = fn(x, dim);
        assertCloseToReference(y, c.output, `${op} case ${i} output`);
        y.backward(fixtureTensor(c.upstream));
        assertCloseToReference(x.grad, c.grads.input!, `${op} case ${i} grad input`);
      });
    });
  }
});

describe('softmax, logSoftmax: errors', () => {
  it('a dim out of range names the op and the rank', () => {
    expect(() => softmax(f64([[1, 2]]), 2)).toThrow(/softmax: dim 2 is out of range for a tensor of rank 2 \(expected -2\.\.1\)/);
    expect(() => logSoftmax(f64([1, 2]), -2)).toThrow(/logSoftmax: dim -2 is out of range for a tensor of rank 1/);
  });
  it('int32 input is refused', () => {
    expect(() => softmax(tensor([1, 2], { dtype: 'int32' }), 0)).toThrow(/softmax: input must be a float tensor \(float32 or float64\), got int32 of shape \[2\]/);
  });
});
