import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crossEntropy, logSoftmax, nllLoss, Tensor, tensor } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { assertCloseToReference, fixtureNumber, fixtureTensor, loadFixture, type CrossEntropyCase, type FixtureFile } from './fixtures/load.js';
import { f64, re, RUNS } from './helpers.js';
import { caseTensors, lossCaseArb } from './loss-helpers.js';

// F.cross_entropy(x) is F.nll_loss(F.log_softmax(x)) for index targets without label smoothing, so
// those reference cases check nllLoss (and its backward through logSoftmax) against PyTorch too.
const cases = loadFixture<FixtureFile<CrossEntropyCase>>('cross_entropy.torch.json').cases
  .map((c, i) => [i, c] as const)
  .filter(([, c]) => c.target.kind === 'indices' && c.options.labelSmoothing === 0);

describe('nllLoss: PyTorch reference cases through logSoftmax', () => {
  it('uses a good share of the cross-entropy cases', () => {
    expect(cases.length).toBeGreaterThan(50);
  });

  it.each(cases)('case %i: nllLoss(logSoftmax(x)) and its gradient match F.cross_entropy', (i, c) => {
    const x = fixtureTensor(c.input, { requiresGrad: true });
    const target = new Tensor(Int32Array.from(c.target.data, fixtureNumber), c.target.shape);
    const { reduction, weight, ignoreIndex } = c.options;
    const loss = nllLoss(logSoftmax(x, x.ndim === 1 ? 0 : 1), target, { reduction, ignoreIndex, ...(weight ? { weight: f64(weight) } : {}) });
    loss.backward(fixtureTensor(c.upstream));
    assertCloseToReference(loss, c.loss, `case ${i} loss`);
    assertCloseToReference(x.grad, c.gradInput, `case ${i} gradInput`);
  });
});

describe('nllLoss: values and semantics', () => {
  // loss_i = −w[y_i]·lp[i, y_i]: row 0 (class 0) gives −2·(−0.5) = 1, row 1 (class 2) −1·(−1.5) = 1.5,
  // row 2 is ignored. mean = (1 + 1.5) / (w[0] + w[2]) = 2.5 / 3; sum = 2.5.
  const lp = f64([[-0.5, -1.2, -3], [-2, -0.4, -1.5], [-1, -1, -1.1]]);
  const t = tensor([0, 2, -100], { dtype: 'int32' });
  const w = f64([2, 4, 1]);

  it('weighted mean, sum and none, hand-derived', () => {
    expect(nllLoss(lp, t, { weight: w }).item()).toBeCloseTo(2.5 / 3, 15);
    expect(nllLoss(lp, t, { weight: w, reduction: 'sum' }).item()).toBeCloseTo(2.5, 15);
    expect(Array.from(nllLoss(lp, t, { weight: w, reduction: 'none' }).data)).toEqual([1, 1.5, 0]);
  });

  it('gradient: −w[y]/W at each target, 0 elsewhere and at ignored rows', () => {
    const x = f64([[-0.5, -1.2, -3], [-2, -0.4, -1.5], [-1, -1, -1.1]], { requiresGrad: true });
    nllLoss(x, t, { weight: w }).backward();
    expect(Array.from(x.grad!.data)).toEqual([-2 / 3, 0, 0, 0, 0, -1 / 3, 0, 0, 0]);
  });

  it('all ignored under mean: NaN and zero gradient; zero weights on present classes: NaN at the targets only (PyTorch)', () => {
    const x = f64([[-1, -2], [-3, -4]], { requiresGrad: true });
    const l = nllLoss(x, tensor([-100, -100], { dtype: 'int32' }));
    expect(l.item()).toBeNaN();
    l.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0]);
    x.grad = null;
    const z = nllLoss(x, tensor([0, 0], { dtype: 'int32' }), { weight: f64([0, 1]) });
    expect(z.item()).toBeNaN();
    z.backward();
    expect(Array.from(x.grad!.data).map(Number.isNaN)).toEqual([true, false, true, false]);
  });

  it('equals crossEntropy of the log-probabilities (log-softmax is idempotent)', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false }), (k) => {
        const { x, target, options } = caseTensors(k);
        const lp2 = logSoftmax(x, k.shape.length === 1 ? 0 : 1);
        const { labelSmoothing: _ls, ...nllOptions } = options; // nllLoss has no labelSmoothing (an unknown option throws, as in PyTorch)
        const a = nllLoss(lp2, target, nllOptions);
        const b = crossEntropy(lp2, target, options);
        return Array.from(a.data).every((v, i) => Math.abs(v - b.data[i]!) <= 1e-12 * (1 + Math.abs(v)));
      }),
      { numRuns: 25 },
    );
  });

  it('gradcheck over random shapes, weights, ignoreIndex and reductions', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false }), (k) => {
        const { x, target, options } = caseTensors(k);
        const { labelSmoothing: _ls, ...nllOptions } = options;
        return gradcheck((t2) => nllLoss(t2, target, nllOptions), [x], { name: 'nllLoss' });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('nllLoss: bad input', () => {
  const lp = f64([[-1, -2], [-3, -4]]);
  it('float targets, out-of-range targets, wrong weight and shapes name the op and the values', () => {
    expect(() => nllLoss(lp, f64([0, 1]))).toThrow(re('nllLoss: class-index targets must be int32 of shape [2], got float64 of shape [2] (input shape [2, 2])'));
    expect(() => nllLoss(lp, tensor([0, 2], { dtype: 'int32' }))).toThrow(re('nllLoss: target value 2 at position [1] is out of range: classes are 0..1 (C = 2)'));
    expect(() => nllLoss(lp, tensor([0, 1], { dtype: 'int32' }), { weight: f64([1]) })).toThrow(re('nllLoss: weight must be a float tensor of shape [2]'));
    expect(() => nllLoss(lp, tensor([[0, 1]], { dtype: 'int32' }))).toThrow(re('nllLoss: target shape [1, 2] does not match input shape [2, 2]'));
    expect(() => nllLoss(lp, tensor([0, 1], { dtype: 'int32' }), { reduction: 'max' as 'sum' })).toThrow(re("nllLoss: reduction must be 'mean', 'sum' or 'none'"));
  });
});
