import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, Tensor } from '../src/index.js';
import { gradcheck, tensorArb } from '../src/testing/index.js';
import { assertCloseToReference, fixtureTensor, opCases } from './fixtures/load.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

const cases = opCases('binaryCrossEntropyWithLogits');

function run(c: (typeof cases)[number], dtype: 'float32' | 'float64') {
  const x = fixtureTensor(c.inputs.input!).to(dtype).detach().requiresGrad_();
  const t = fixtureTensor(c.inputs.target!).to(dtype);
  const pw = c.options.posWeight as number[] | null;
  const out = binaryCrossEntropyWithLogits(x, t, {
    reduction: c.options.reduction as 'mean' | 'sum' | 'none',
    ...(pw ? { posWeight: new Tensor(Float64Array.from(pw), [pw.length]).to(dtype) } : {}),
  });
  out.backward(fixtureTensor(c.upstream).to(dtype));
  return { out, grad: x.grad };
}

describe('binaryCrossEntropyWithLogits: PyTorch reference cases (ops.torch.json)', () => {
  it('has the cases', () => expect(cases.length).toBeGreaterThanOrEqual(12));

  it.each(cases.map((c, i) => [i, c] as const))('case %i: output and input gradient in float64', (i, c) => {
    const { out, grad } = run(c, 'float64');
    assertCloseToReference(out, c.output, `case ${i} output`);
    assertCloseToReference(grad, c.grads.input!, `case ${i} grad`);
  });

  it('float32 agrees to 1e-4 relative', () => {
    cases.forEach((c, i) => {
      const { out, grad } = run(c, 'float32');
      assertCloseToReference(out, c.output, `case ${i} float32 output`, 1e-7, 1e-4);
      assertCloseToReference(grad, c.grads.input!, `case ${i} float32 grad`, 1e-7, 1e-4);
    });
  });
});

describe('binaryCrossEntropyWithLogits: values', () => {
  // ℓ = t·softplus(−x) + (1 − t)·softplus(x), softplus(z) = log(1 + e^z):
  //   x = 0.5, t = 1: log(1 + e^−0.5) = 0.474077;  x = −1, t = 0: log(1 + e^−1) = 0.313262;
  //   x = 2, t = 1: log(1 + e^−2) = 0.126928.  mean = 0.914267 / 3 = 0.304756.
  // posWeight 3 multiplies the t = 1 terms: (3·0.474077 + 0.313262 + 3·0.126928) / 3 = 2.116277 / 3 = 0.705426.
  const x = f64([0.5, -1, 2]);
  const t = f64([1, 0, 1]);
  const sp = (z: number) => Math.log1p(Math.exp(z));

  it('mean, sum, none and posWeight, hand-derived', () => {
    expect(binaryCrossEntropyWithLogits(x, t).item()).toBeCloseTo((sp(-0.5) + sp(-1) + sp(-2)) / 3, 14);
    expect(binaryCrossEntropyWithLogits(x, t).item()).toBeCloseTo(0.304756, 6);
    expect(binaryCrossEntropyWithLogits(x, t, { reduction: 'sum' }).item()).toBeCloseTo(0.914267, 6);
    expectClose(binaryCrossEntropyWithLogits(x, t, { reduction: 'none' }), [sp(-0.5), sp(-1), sp(-2)]);
    expect(binaryCrossEntropyWithLogits(x, t, { posWeight: f64([3]) }).item()).toBeCloseTo((3 * sp(-0.5) + sp(-1) + 3 * sp(-2)) / 3, 14);
    expect(binaryCrossEntropyWithLogits(x, t, { posWeight: f64([3]) }).item()).toBeCloseTo(0.705426, 6);
    expectClose(binaryCrossEntropyWithLogits(x, t, { weight: f64([1, 2, 0]), reduction: 'none' }), [sp(-0.5), 2 * sp(-1), 0]);
  });

  it('gradient σ(x) − t, and (1 + (pw − 1)t)·σ(x) − pw·t with posWeight', () => {
    const s = (z: number) => 1 / (1 + Math.exp(-z));
    const a = f64([0.5, -1, 2], { requiresGrad: true });
    binaryCrossEntropyWithLogits(a, t, { reduction: 'sum' }).backward();
    expectClose(a.grad!, [s(0.5) - 1, s(-1), s(2) - 1]);
    a.grad = null;
    binaryCrossEntropyWithLogits(a, t, { reduction: 'sum', posWeight: f64([3]) }).backward();
    expectClose(a.grad!, [3 * s(0.5) - 3, s(-1), 3 * s(2) - 3]);
  });

  it('stays finite for logits of ±1e4', () => {
    const big = f64([1e4, -1e4, 1e4], { requiresGrad: true });
    const l = binaryCrossEntropyWithLogits(big, f64([1, 1, 0]), { reduction: 'none' });
    expectClose(l, [0, 1e4, 1e4]);
    l.backward(f64([1, 1, 1]));
    expectClose(big.grad!, [0, -1, 1]);
  });
});

describe('binaryCrossEntropyWithLogits: gradcheck (input and target, weight and posWeight broadcasting)', () => {
  it('over random shapes and options', () => {
    const arb = fc
      .tuple(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.constantFrom('mean', 'sum', 'none'), fc.boolean(), fc.boolean())
      .chain(([shape, reduction, weighted, positive]) =>
        fc.tuple(
          tensorArb(shape, { requiresGrad: true, min: -4, max: 4 }),
          tensorArb(shape, { requiresGrad: true, min: 0, max: 1 }),
          weighted ? tensorArb(shape.slice(1), { min: 0.1, max: 2 }) : fc.constant(null),
          positive ? tensorArb([shape[shape.length - 1]!], { min: 0.1, max: 5 }) : fc.constant(null),
          fc.constant(reduction as 'mean' | 'sum' | 'none'),
        ),
      );
    fc.assert(
      fc.property(arb, ([x, t, w, pw, reduction]) =>
        gradcheck((a, b) => binaryCrossEntropyWithLogits(a, b, { reduction, ...(w ? { weight: w } : {}), ...(pw ? { posWeight: pw } : {}) }), [x, t], { name: 'binaryCrossEntropyWithLogits' }),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('binaryCrossEntropyWithLogits: bad input', () => {
  it('names the op, the argument and the shapes', () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(() => binaryCrossEntropyWithLogits(x, f64([1, 0]))).toThrow(re('binaryCrossEntropyWithLogits: target shape [2] must be the same as input shape [2, 2]'));
    expect(() => binaryCrossEntropyWithLogits(x, x, { weight: f64([1, 2, 3]) })).toThrow(re("binaryCrossEntropyWithLogits: weight must be a float tensor that broadcasts to the input's shape [2, 2], got float64 of shape [3]"));
    expect(() => binaryCrossEntropyWithLogits(x, x, { posWeight: f64([[1], [2], [3]]) })).toThrow(re('posWeight must be a float tensor that broadcasts'));
    expect(() => binaryCrossEntropyWithLogits(x, new Tensor(Int32Array.from([1, 0, 1, 0]), [2, 2]))).toThrow(re('binaryCrossEntropyWithLogits: target must be a float tensor'));
    expect(() => binaryCrossEntropyWithLogits(x, x, { reduction: 'avg' as 'sum' })).toThrow(re('binaryCrossEntropyWithLogits: reduction must be'));
  });
});
