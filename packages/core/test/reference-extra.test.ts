/**
 * The extra PyTorch reference cases of fixtures/extra-cross-entropy.torch.json and
 * fixtures/extra-ops.torch.json (PyTorch 1.13, float64, written by fixtures/generate_extra.py): random
 * calls from the space of cross_entropy.torch.json and ops.torch.json and beyond it, picked to cover
 * many distinct option combinations, plus calls on which Tessera once differed from PyTorch. They are
 * run exactly as the tests of the original files run theirs, with the same tolerance
 * |a − b| ≤ 1e-7 + 1e-6·|b|.
 */
import { describe, expect, it } from 'vitest';
import {
  avgPool2d, batchNorm, binaryCrossEntropyWithLogits, conv2d, convTranspose2d, interpolate, logSoftmax,
  matmul, maxPool2d, nllLoss, softmax, Tensor, tensor,
} from '../src/index.js';
import { assertCloseToReference, fixtureNumber, fixtureTensor, loadFixture, runCrossEntropyCase, type CrossEntropyCase, type FixtureFile, type FixtureTensor, type OpCase } from './fixtures/load.js';

interface ExtraOpCase extends OpCase {
  family: string;
  after?: Record<string, FixtureTensor>;
}

const ceCases = loadFixture<FixtureFile<CrossEntropyCase>>('extra-cross-entropy.torch.json').cases;
const opCases = loadFixture<FixtureFile<ExtraOpCase>>('extra-ops.torch.json').cases;

describe('crossEntropy: extra PyTorch reference cases (extra-cross-entropy.torch.json)', () => {
  it('covers both families, both target kinds, every reduction and the unbatched layout', () => {
    expect(ceCases.length).toBeGreaterThanOrEqual(100);
    expect(new Set(ceCases.map((c) => c.family))).toEqual(new Set(['base', 'edge']));
    expect(new Set(ceCases.map((c) => c.target.kind))).toEqual(new Set(['indices', 'probabilities']));
    expect(new Set(ceCases.map((c) => c.options.reduction))).toEqual(new Set(['mean', 'sum', 'none']));
    expect(ceCases.some((c) => c.input.shape.length === 1)).toBe(true);
  });

  it.each(ceCases.map((c, i) => [i, c.family, c] as const))('case %i (%s): loss and gradInput in float64', (i, _family, c) => {
    const { loss, grad } = runCrossEntropyCase(c, 'float64');
    assertCloseToReference(loss, c.loss, `extra case ${i} loss`);
    assertCloseToReference(grad, c.gradInput, `extra case ${i} gradInput`);
  });

  it('float32 agrees to 1e-4 relative where float32 holds the logits closely (|x| < 40: beyond, their rounding alone moves p)', () => {
    const small = ceCases.filter((c) => c.input.data.every((v) => !Number.isFinite(fixtureNumber(v)) || Math.abs(fixtureNumber(v)) < 40));
    expect(small.length).toBeGreaterThan(50);
    for (const c of small) {
      const { loss, grad } = runCrossEntropyCase(c, 'float32');
      assertCloseToReference(loss, c.loss, `extra case ${ceCases.indexOf(c)} float32 loss`, 1e-7, 1e-4);
      assertCloseToReference(grad, c.gradInput, `extra case ${ceCases.indexOf(c)} float32 gradInput`, 1e-7, 1e-4);
    }
  });

  it('nllLoss(logSoftmax(x)) matches on the index-target cases without label smoothing', () => {
    const nll = ceCases.filter((c) => c.target.kind === 'indices' && c.options.labelSmoothing === 0);
    expect(nll.length).toBeGreaterThan(20);
    for (const c of nll) {
      const x = fixtureTensor(c.input, { requiresGrad: true });
      const target = new Tensor(Int32Array.from(c.target.data, fixtureNumber), c.target.shape);
      const { reduction, weight, ignoreIndex } = c.options;
      const loss = nllLoss(logSoftmax(x, x.ndim === 1 ? 0 : 1), target, { reduction, ignoreIndex, ...(weight ? { weight: tensor(weight, { dtype: 'float64' }) } : {}) });
      loss.backward(fixtureTensor(c.upstream));
      assertCloseToReference(loss, c.loss, `extra case ${ceCases.indexOf(c)} nll loss`);
      assertCloseToReference(x.grad, c.gradInput, `extra case ${ceCases.indexOf(c)} nll gradInput`);
    }
  });
});

type Inputs = Record<string, Tensor>;
const opt = <T>(c: OpCase): T => c.options as T;
/** posWeight and weight: a list along the last dim (as in ops.torch.json), a fixture tensor, or null. */
const optionalTensor = (v: unknown): Tensor | undefined =>
  v === null || v === undefined ? undefined : Array.isArray(v) ? tensor(v as number[], { dtype: 'float64' }) : fixtureTensor(v as FixtureTensor);

/** Each op called as the tests of ops.torch.json call it; options are Tessera's option names. */
const CALLS: Record<string, (t: Inputs, c: OpCase) => Tensor> = {
  conv2d: (t, c) => conv2d(t.input!, t.weight!, t.bias ?? null, opt(c)),
  convTranspose2d: (t, c) => convTranspose2d(t.input!, t.weight!, t.bias ?? null, opt(c)),
  maxPool2d: (t, c) => maxPool2d(t.input!, opt(c)),
  avgPool2d: (t, c) => avgPool2d(t.input!, opt(c)),
  interpolate: (t, c) => interpolate(t.input!, opt(c)),
  batchNorm: (t, c) =>
    batchNorm(t.input!, t.runningMean ?? null, t.runningVar ?? null, { ...opt<object>(c), weight: t.weight ?? null, bias: t.bias ?? null }),
  logSoftmax: (t, c) => logSoftmax(t.input!, c.options.dim as number),
  softmax: (t, c) => softmax(t.input!, c.options.dim as number),
  matmul: (t) => matmul(t.a!, t.b!),
  binaryCrossEntropyWithLogits: (t, c) => {
    const posWeight = optionalTensor(c.options.posWeight);
    const weight = optionalTensor(c.options.weight);
    return binaryCrossEntropyWithLogits(t.input!, t.target!, {
      reduction: c.options.reduction as 'mean' | 'sum' | 'none', ...(posWeight ? { posWeight } : {}), ...(weight ? { weight } : {}),
    });
  },
};

function checkOp(c: ExtraOpCase, what: string): void {
  const t: Inputs = Object.fromEntries(Object.entries(c.inputs).map(([name, v]) => [name, fixtureTensor(v, { requiresGrad: name in c.grads })]));
  const y = CALLS[c.op]!(t, c);
  assertCloseToReference(y, c.output, `${what} output`);
  y.backward(fixtureTensor(c.upstream));
  for (const [name, g] of Object.entries(c.grads)) assertCloseToReference(t[name]!.grad, g, `${what} grad of ${name}`);
  for (const [name, v] of Object.entries(c.after ?? {})) assertCloseToReference(t[name]!, v, `${what} ${name} after the call`);
}

describe('ops: extra PyTorch reference cases (extra-ops.torch.json)', () => {
  it('has at least 10 cases of every op of ops.torch.json, and the regression cases', () => {
    for (const op of Object.keys(CALLS)) expect(opCases.filter((c) => c.op === op).length).toBeGreaterThanOrEqual(10);
    expect(new Set(opCases.filter((c) => c.family === 'regression').map((c) => c.op))).toEqual(new Set(['interpolate', 'conv2d']));
  });

  it.each(opCases.map((c, i) => [i, c.op, c.family, c] as const))('case %i: %s (%s), output and every gradient', (i, op, _family, c) =>
    checkOp(c, `${op}[${i}]`),
  );
});
