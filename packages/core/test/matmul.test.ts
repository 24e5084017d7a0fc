import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matmul, tensor } from '../src/index.js';
import { broadcastableShapesArb, gradcheck, tensorArb } from '../src/testing/index.js';
import { assertCloseToReference, fixtureTensor, opCases } from './fixtures/load.js';
import { expectClose, f64, flat, RUNS } from './helpers.js';

const dimArb = fc.integer({ min: 1, max: 4 });

/** a: [...batchA, m, k], b: [...batchB, k, n] with broadcastable batch dims; or 1-D operands. */
const matmulArb = fc
  .tuple(broadcastableShapesArb({ maxRank: 2, maxDim: 3 }), dimArb, dimArb, dimArb, fc.constantFrom('mat', 'vecA', 'vecB', 'dot'))
  .chain(([[ba, bb], m, k, n, kind]) => {
    const sa = kind === 'vecA' || kind === 'dot' ? [k] : [...ba, m, k];
    const sb = kind === 'vecB' || kind === 'dot' ? [k] : [...bb, k, n];
    return fc.tuple(tensorArb(sa, { requiresGrad: true }), tensorArb(sb, { requiresGrad: true }));
  });

/** Plain triple loop over one [m, k]·[k, n] pair, the definition. */
function naive(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, p) => s + v * b[p]![j]!, 0)));
}

describe('matmul: gradients (gradcheck, batched with broadcast batch dims, and 1-D operands)', () => {
  it('matmul', () => {
    fc.assert(
      fc.property(matmulArb, ([a, b]) => gradcheck(matmul, [a, b], { name: `matmul ${JSON.stringify(a.shape)}·${JSON.stringify(b.shape)}` })),
      { numRuns: RUNS },
    );
  });
});

describe('matmul: invariants', () => {
  it('each batch entry is the plain triple-loop product of its broadcast operands', () => {
    const arb = fc
      .tuple(dimArb, dimArb, dimArb, fc.integer({ min: 1, max: 3 }))
      .chain(([m, k, n, batch]) => fc.tuple(tensorArb([batch, m, k]), tensorArb([1, k, n])));
    fc.assert(
      fc.property(arb, ([a, b]) => {
        const y = matmul(a, b);
        const as = a.toArray() as number[][][];
        const bs = b.toArray() as number[][][];
        expect(y.shape).toEqual([a.shape[0], a.shape[1], b.shape[2]]);
        expectClose(y, as.map((ai) => naive(ai, bs[0]!)), { atol: 1e-12 });
      }),
      { numRuns: 30 },
    );
  });
});

describe('matmul: values', () => {
  it('2-D, 1-D and batched products', () => {
    // [[1, 2], [3, 4]]·[[5, 6], [7, 8]] = [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]] = [[19, 22], [43, 50]]
    const a = f64([[1, 2], [3, 4]]);
    const b = f64([[5, 6], [7, 8]]);
    expectClose(matmul(a, b), [[19, 22], [43, 50]]);
    // dot: [1, 2, 3]·[4, 5, 6] = 4 + 10 + 18 = 32, a 0-d result
    expectClose(matmul(f64([1, 2, 3]), f64([4, 5, 6])), 32);
    // matrix·vector: [[1, 2], [3, 4]]·[1, 1] = [3, 7]; vector·matrix: [1, 1]·[[1, 2], [3, 4]] = [4, 6]
    expectClose(matmul(a, f64([1, 1])), [3, 7]);
    expectClose(matmul(f64([1, 1]), a), [4, 6]);
    // batch of two [1, 2] rows times one [2, 2] matrix: [1, 0]·b = [5, 6]; [0, 1]·b = [7, 8]
    expectClose(matmul(f64([[[1, 0]], [[0, 1]]]), b), [[[5, 6]], [[7, 8]]]);
    expectClose(a.matmul(b), [[19, 22], [43, 50]]);
    // k = 0: an empty sum is 0
    expectClose(matmul(tensor([[], []], { dtype: 'float64' }), f64([[]]).reshape([0, 3])), [[0, 0, 0], [0, 0, 0]]);
  });

  it('gradients: dA = grad·Bᵀ, dB = Aᵀ·grad, summed over broadcast batch dims', () => {
    // y = sum(A·B) with A = [[1, 2]], B = [[3], [4]]: dA = [[3, 4]] (= Bᵀ), dB = [[1], [2]] (= Aᵀ)
    const A = f64([[1, 2]], { requiresGrad: true });
    const B = f64([[3], [4]], { requiresGrad: true });
    matmul(A, B).sum().backward();
    expectClose(A.grad!, [[3, 4]]);
    expectClose(B.grad!, [[1], [2]]);
    // B shared by a batch of 3 copies of A: its gradient is 3 × Aᵀ
    const C = f64([[[1, 2]], [[1, 2]], [[1, 2]]], { requiresGrad: true });
    const D = f64([[3], [4]], { requiresGrad: true });
    matmul(C, D).sum().backward();
    expectClose(D.grad!, [[3], [6]]);
  });

  it('propagates NaN from 0·inf, as PyTorch (no skipping of zeros)', () => {
    // [0, 1]·[inf, 1]ᵀ = 0·inf + 1 = NaN
    expect(flat(matmul(f64([[0, 1]]), f64([[Infinity], [1]])))).toEqual([Number.NaN]);
  });
});

describe('matmul: the PyTorch reference cases (fixtures/ops.torch.json)', () => {
  const cases = opCases('matmul');
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });
  cases.forEach((c, i) => {
    it(`case ${i}: ${JSON.stringify(c.inputs.a!.shape)}·${JSON.stringify(c.inputs.b!.shape)}`, () => {
      const a = fixtureTensor(c.inputs.a!, { requiresGrad: true });
      const b = fixtureTensor(c.inputs.b!, { requiresGrad: true });
      const y = matmul(a, b);
      assertCloseToReference(y, c.output, `matmul case ${i} output`);
      y.backward(fixtureTensor(c.upstream));
      assertCloseToReference(a.grad, c.grads.a!, `matmul case ${i} grad a`);
      assertCloseToReference(b.grad, c.grads.b!, `matmul case ${i} grad b`);
    });
  });
});

describe('matmul: errors', () => {
  it('an inner-dim mismatch names both shapes and the sizes', () => {
    expect(() => matmul(f64([[1, 2, 3], [4, 5, 6]]), f64([[1, 2], [3, 4], [5, 6], [7, 8]]))).toThrow(
      /matmul: shapes \[2, 3\] and \[4, 2\] cannot be multiplied \(a has 3 columns, b has 4 rows\)/,
    );
    expect(() => matmul(f64([1, 2]), f64([1, 2, 3]))).toThrow(/matmul: shapes \[1, 2\] and \[3, 1\] cannot be multiplied/);
  });

  it('batch dims that do not broadcast are named', () => {
    expect(() => matmul(f64([[[1]], [[2]]]), f64([[[1]], [[2]], [[3]]]))).toThrow(/matmul: shapes \[2\] and \[3\] cannot be broadcast/);
  });

  it('refuses int32, mixed dtypes and 0-d operands', () => {
    expect(() => matmul(tensor([[1]], { dtype: 'int32' }), f64([[1]]))).toThrow(/matmul: a must be a float tensor \(float32 or float64\), got int32 of shape \[1, 1\]/);
    expect(() => matmul(f64([[1]]), tensor([[1]]))).toThrow(/matmul: a is float64 but b is float32; convert one with \.to\(\)/);
    expect(() => matmul(f64(1), f64([1]))).toThrow(/matmul: a and b need at least 1 dim each, got shapes \[\] and \[1\]/);
  });
});
