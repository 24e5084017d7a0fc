/**
 * batchNormRelu, the fused relu(batchNorm(…)): PyTorch's values (fixtures/bn-relu.torch.json, with
 * the running statistics after the call), equality with the unfused composition bit for bit in
 * float32 on the active backend (forward, gradients, running statistics; training and eval), a
 * float64 gradcheck away from relu's kink, a golden case, the grad-mode backward, and its errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchNorm, batchNormRelu, enableGrad, Generator, rand, randn, relu, Tensor, type BatchNormOptions } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { assertCloseToReference, fixtureTensor, loadFixture, type FixtureFile, type FixtureTensor, type OpCase } from './fixtures/load.js';
import { f64, RUNS } from './helpers.js';

interface BnCase extends OpCase { note: string; after?: Record<string, FixtureTensor> }
const cases = loadFixture<FixtureFile<BnCase>>('bn-relu.torch.json').cases;

describe('batchNormRelu matches PyTorch (F.relu(F.batch_norm(…)), float64)', () => {
  it.each(cases.map((c) => [c.note, c] as const))('%s', (_, c) => {
    const t = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, fixtureTensor(v, { requiresGrad: k in c.grads })]));
    const y = batchNormRelu(t.input!, t.runningMean ?? null, t.runningVar ?? null, { ...(c.options as BatchNormOptions), weight: t.weight ?? null, bias: t.bias ?? null });
    assertCloseToReference(y, c.output, `${c.note}: output`);
    y.backward(fixtureTensor(c.upstream));
    for (const [name, g] of Object.entries(c.grads)) assertCloseToReference(t[name]!.grad, g, `${c.note}: grad of ${name}`);
    for (const [name, v] of Object.entries(c.after ?? {})) assertCloseToReference(t[name]!, v, `${c.note}: ${name} after the call`);
  });
});

type Fn = (x: Tensor, rm: Tensor, rv: Tensor, o: BatchNormOptions) => Tensor;

/** Output, gradients of input, weight and bias, and running statistics after the call, in float32. */
function run(f: Fn, x: Tensor, w: Tensor, b: Tensor, rm: Tensor, rv: Tensor, training: boolean, gy: Tensor): Float32Array[] {
  const [xi, wi, bi] = [x, w, b].map((t) => new Tensor(t.data.slice(), t.shape, true)) as [Tensor, Tensor, Tensor];
  const [m, v] = [rm, rv].map((t) => new Tensor(t.data.slice(), t.shape)) as [Tensor, Tensor];
  const y = f(xi, m, v, { weight: wi, bias: bi, training });
  y.backward(gy);
  return [y, xi.grad!, wi.grad!, bi.grad!, m, v].map((t) => t.data as Float32Array);
}

const shapeArb = fc.record({
  n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 6 }), h: fc.integer({ min: 1, max: 40 }), w: fc.integer({ min: 1, max: 40 }),
  training: fc.boolean(), seed: fc.integer({ min: 0, max: 1e6 }),
}).filter((a) => a.n * a.h * a.w >= 2);

describe('batchNormRelu equals relu(batchNorm(…)) bit for bit (float32, this backend)', () => {
  it('on random shapes (up to the wasm kernels\' sizes), training and eval', () => {
    fc.assert(fc.property(shapeArb, (a) => {
      const g = new Generator(a.seed);
      const x = randn([a.n, a.c, a.h, a.w], { generator: g }), w = rand([a.c], { generator: g }), b = randn([a.c], { generator: g });
      const rm = randn([a.c], { generator: g }), rv = rand([a.c], { generator: g }).add(0.5), gy = randn(x.shape, { generator: g });
      const fused = run((xi, m, v, o) => batchNormRelu(xi, m, v, o), x, w, b, rm, rv, a.training, gy);
      const apart = run((xi, m, v, o) => relu(batchNorm(xi, m, v, o)), x, w, b, rm, rv, a.training, gy);
      expect(fused).toEqual(apart);
    }), { numRuns: RUNS });
  });
});

describe('batchNormRelu: gradients', () => {
  it('pass gradcheck in float64, training and eval (outputs kept away from 0)', () => {
    fc.assert(fc.property(shapeArb, (a) => {
      const g = new Generator(a.seed);
      const shape = [a.n, Math.min(a.c, 3), Math.min(a.h, 3), Math.min(a.w, 3)];
      if (shape[0]! * shape[2]! * shape[3]! < 2) return;
      const x = randn(shape, { dtype: 'float64', generator: g, requiresGrad: true });
      const w = rand([shape[1]!], { dtype: 'float64', generator: g, requiresGrad: true });
      const b = randn([shape[1]!], { dtype: 'float64', generator: g, requiresGrad: true });
      const rm = randn([shape[1]!], { dtype: 'float64', generator: g }), rv = rand([shape[1]!], { dtype: 'float64', generator: g }).add(0.5);
      const f = (xi: Tensor, wi: Tensor, bi: Tensor): Tensor => batchNormRelu(xi, rm.detach(), rv.detach(), { weight: wi, bias: bi, training: a.training, momentum: 0 });
      if (batchNorm(x, rm, rv, { weight: w, bias: b, training: a.training, momentum: 0 }).data.some((v) => Math.abs(v) < 1e-3)) return;
      gradcheck((xi, wi, bi) => f(xi!, wi!, bi!), [x, w, b], { name: 'batchNormRelu' });
    }), { numRuns: 10 });
  });

  it('golden: eval mode, one channel, one value clamped', () => {
    // Eval with mean 1, var 4, eps 0, weight 3, bias −1: z = (x − 1)/2·3 − 1 for x = [1, 3, 5] → [−1, 2, 5];
    //   y = relu(z) = [0, 2, 5]. Upstream [1, 1, 1]: ∂L/∂z = [0, 1, 1] (mask y > 0);
    //   dx = 3/2·∂L/∂z = [0, 1.5, 1.5]; dbias = Σ ∂L/∂z = 2; dweight = Σ ∂L/∂z·x̂ = 1 + 2 = 3 (x̂ = [0, 1, 2]).
    const x = f64([[[1, 3, 5]]], { requiresGrad: true });
    const w = f64([3], { requiresGrad: true }), b = f64([-1], { requiresGrad: true });
    const y = batchNormRelu(x, f64([1]), f64([4]), { weight: w, bias: b, eps: 0 });
    expect(Array.from(y.data)).toEqual([0, 2, 5]);
    y.sum().backward();
    expect([x.grad!, w.grad!, b.grad!].map((t) => Array.from(t.data))).toEqual([[0, 1.5, 1.5], [3], [2]]);
  });

  it('under grad mode (createGraph) builds its backward from differentiable ops, with the same values', () => {
    const g = new Generator(5);
    const x = randn([2, 3, 4, 4], { dtype: 'float64', generator: g, requiresGrad: true });
    const y = batchNormRelu(x, null, null, { training: true });
    const gy = randn(y.shape, { dtype: 'float64', generator: g, requiresGrad: true });
    const fast = y.gradFn!.backward!(gy, [true]);
    const graphed = enableGrad(() => y.gradFn!.backward!(gy, [true]));
    expect(graphed.map((t) => Array.from(t!.data))).toEqual(fast.map((t) => Array.from(t!.data)));
  });
});

describe('batchNormRelu: errors name the op', () => {
  it('reports bad shapes and missing statistics as batchNormRelu', () => {
    expect(() => batchNormRelu(randn([3]))).toThrow(/^batchNormRelu: input must have at least 2 dims/);
    expect(() => batchNormRelu(randn([2, 3, 4]), randn([2]), randn([3]))).toThrow(/^batchNormRelu: runningMean must have shape \[3\]/);
    expect(() => batchNormRelu(randn([2, 3, 4]))).toThrow(/^batchNormRelu: runningMean and runningVar are required when not training/);
  });
});
