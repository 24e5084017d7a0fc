/**
 * The extra PyTorch reference cases of fixtures/extra-cross-entropy.torch.json and
 * fixtures/extra-ops.torch.json (PyTorch 1.13, float64, written by fixtures/generate_extra.py): random
 * calls from the space of cross_entropy.torch.json and ops.torch.json and beyond it, picked to cover
 * many distinct option combinations, plus calls on which Tessera once differed from PyTorch. They are
 * run exactly as the tests of the original files run theirs, with the same tolerance
 * |a − b| ≤ 1e-7 + 1e-6·|b|.
 */
import { describe, expect, it } from 'vitest';
import { logSoftmax, nllLoss, Tensor, tensor } from '../src/index.js';
import { checkOpCase, type RefCase } from './fixtures/calls.js';
import { assertCloseToReference, fixtureNumber, fixtureTensor, loadFixture, runCrossEntropyCase, type CrossEntropyCase, type FixtureFile } from './fixtures/load.js';

interface ExtraOpCase extends RefCase {
  family: string;
}

/** The ops of ops.torch.json, each with at least 10 extra cases. */
const OPS_TORCH_JSON = ['conv2d', 'convTranspose2d', 'maxPool2d', 'avgPool2d', 'interpolate', 'batchNorm', 'logSoftmax', 'softmax', 'binaryCrossEntropyWithLogits', 'matmul'];
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

describe('ops: extra PyTorch reference cases (extra-ops.torch.json)', () => {
  it('has at least 10 cases of every op of ops.torch.json, and the regression cases', () => {
    for (const op of OPS_TORCH_JSON) expect(opCases.filter((c) => c.op === op).length).toBeGreaterThanOrEqual(10);
    expect(new Set(opCases.filter((c) => c.family === 'regression').map((c) => c.op))).toEqual(new Set(['interpolate', 'conv2d']));
  });

  it.each(opCases.map((c, i) => [i, c.op, c.family, c] as const))('case %i: %s (%s), output and every gradient', (i, op, _family, c) =>
    checkOpCase(c, `${op}[${i}]`),
  );
});
