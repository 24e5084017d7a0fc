/**
 * conv2dRelu, the fused relu(conv2d(…)): PyTorch's values (fixtures/conv-relu.torch.json), equality
 * with the unfused composition bit for bit in float32 on the active backend (forward and every
 * gradient, random shapes including the Winograd ones), a float64 gradcheck away from relu's kink,
 * a golden case, the grad-mode (createGraph) backward, and its error messages.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2d, conv2dRelu, enableGrad, Generator, randn, relu, Tensor, tensor, type Conv2dOptions } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { assertCloseToReference, fixtureTensor, loadFixture, type FixtureFile, type OpCase } from './fixtures/load.js';
import { RUNS } from './helpers.js';

interface ReluCase extends OpCase { note: string }
const cases = loadFixture<FixtureFile<ReluCase>>('conv-relu.torch.json').cases;

describe('conv2dRelu matches PyTorch (F.relu(F.conv2d(…)), float64)', () => {
  it.each(cases.map((c) => [c.note, c] as const))('%s', (_, c) => {
    const t = Object.fromEntries(Object.entries(c.inputs).map(([k, v]) => [k, fixtureTensor(v, { requiresGrad: true })]));
    const y = conv2dRelu(t.input!, t.weight!, t.bias ?? null, c.options as Conv2dOptions);
    assertCloseToReference(y, c.output, `${c.note}: output`);
    y.backward(fixtureTensor(c.upstream));
    for (const [name, g] of Object.entries(c.grads)) assertCloseToReference(t[name]!.grad, g, `${c.note}: grad of ${name}`);
  });
});

/** Forward and gradients of f(x, w, b) for the upstream gy, in float32. */
function grads(f: (x: Tensor, w: Tensor, b: Tensor | null) => Tensor, x: Tensor, w: Tensor, b: Tensor | null, gy: Tensor): Float32Array[] {
  const leaves = [x, w, b].filter((t): t is Tensor => t !== null).map((t) => new Tensor(t.data.slice(), t.shape, true));
  const y = f(leaves[0]!, leaves[1]!, leaves[2] ?? null);
  y.backward(gy);
  return [y.data as Float32Array, ...leaves.map((t) => t.grad!.data as Float32Array)];
}

const shapeArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 9 }), k: fc.integer({ min: 1, max: 9 }),
  h: fc.integer({ min: 3, max: 12 }), w: fc.integer({ min: 3, max: 12 }), kernel: fc.constantFrom(1, 2, 3),
  stride: fc.constantFrom(1, 1, 2), padding: fc.integer({ min: 0, max: 2 }), bias: fc.boolean(), seed: fc.integer({ min: 0, max: 1e6 }),
});

describe('conv2dRelu equals relu(conv2d(…)) bit for bit (float32, this backend)', () => {
  it('on random shapes, forward and the gradients of input, weight and bias', () => {
    fc.assert(fc.property(shapeArb, (a) => {
      const gen = new Generator(a.seed);
      const x = randn([a.n, a.c, a.h, a.w], { generator: gen });
      const w = randn([a.k, a.c, a.kernel, a.kernel], { generator: gen });
      const b = a.bias ? randn([a.k], { generator: gen }) : null;
      const o: Conv2dOptions = { stride: a.stride, padding: a.padding };
      const y = conv2d(x, w, b, o);
      const gy = randn(y.shape, { generator: gen });
      const fused = grads((xi, wi, bi) => conv2dRelu(xi, wi, bi, o), x, w, b, gy);
      const unfused = grads((xi, wi, bi) => relu(conv2d(xi, wi, bi, o)), x, w, b, gy);
      expect(fused).toEqual(unfused);
    }), { numRuns: RUNS });
  });

  it('on a segmenter-sized layer (16 → 16 channels, 3×3, padding 1, 24 × 24)', () => {
    const gen = new Generator(7);
    const x = randn([2, 16, 24, 24], { generator: gen }), w = randn([16, 16, 3, 3], { generator: gen }), b = randn([16], { generator: gen });
    const gy = randn([2, 16, 24, 24], { generator: gen });
    const o = { padding: 1 };
    expect(grads((xi, wi, bi) => conv2dRelu(xi, wi, bi, o), x, w, b, gy)).toEqual(grads((xi, wi, bi) => relu(conv2d(xi, wi, bi, o)), x, w, b, gy));
  });
});

describe('conv2dRelu: gradients', () => {
  it('pass gradcheck in float64 (pre-activations kept away from 0)', () => {
    fc.assert(fc.property(shapeArb, (a) => {
      const gen = new Generator(a.seed);
      const x = randn([a.n, Math.min(a.c, 3), Math.min(a.h, 5), Math.min(a.w, 5)], { dtype: 'float64', generator: gen, requiresGrad: true });
      const w = randn([Math.min(a.k, 3), x.shape[1]!, a.kernel, a.kernel], { dtype: 'float64', generator: gen, requiresGrad: true });
      const b = randn([w.shape[0]!], { dtype: 'float64', generator: gen, requiresGrad: true });
      const o: Conv2dOptions = { stride: a.stride, padding: a.padding };
      // Away from the kink: skip draws with a pre-activation within 1e-3 of 0 (eps is 1e-6).
      if (conv2d(x, w, b, o).data.some((v) => Math.abs(v) < 1e-3)) return;
      gradcheck((xi, wi, bi) => conv2dRelu(xi!, wi!, bi!, o), [x, w, b], { name: 'conv2dRelu' });
    }), { numRuns: 10 });
  });

  it('golden: a 2×2 kernel over a 3×3 image, one output clamped', () => {
    // x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]], w = [[1, 0], [0, −1.25]], b = 6.125:
    //   z[i, j] = x[i, j] − 1.25·x[i+1, j+1] + 6.125
    //   z = [[1 − 6.25, 2 − 7.5], [4 − 10, 5 − 11.25]] + 6.125 = [[0.875, 0.625], [0.125, −0.125]]
    //   y = relu(z) = [[0.875, 0.625], [0.125, 0]]
    // Upstream ones, so ∂L/∂z = [y > 0] = [[1, 1], [1, 0]]:
    //   db = 3;  dw[p, q] = Σ_unmasked x[i+p, j+q]: dw[0,0] = 1+2+4 = 7, dw[0,1] = 2+3+5 = 10,
    //   dw[1,0] = 4+5+7 = 16, dw[1,1] = 5+6+8 = 19;
    //   dx[a, b] = Σ_unmasked w[a−i, b−j]: z00, z01, z10 each add 1 at x[i, j] and −1.25 at x[i+1, j+1].
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: 'float64', requiresGrad: true });
    const w = tensor([[[[1, 0], [0, -1.25]]]], { dtype: 'float64', requiresGrad: true });
    const b = tensor([6.125], { dtype: 'float64', requiresGrad: true });
    const y = conv2dRelu(x, w, b);
    expect(Array.from(y.data)).toEqual([0.875, 0.625, 0.125, 0]);
    y.sum().backward();
    expect(Array.from(b.grad!.data)).toEqual([3]);
    expect(Array.from(w.grad!.data)).toEqual([7, 10, 16, 19]);
    expect(Array.from(x.grad!.data)).toEqual([1, 1, 0, 1, -1.25, -1.25, 0, -1.25, 0]);
  });

  it('under grad mode (createGraph) builds its backward from differentiable ops, with the same values', () => {
    const gen = new Generator(3);
    const x = randn([1, 2, 4, 4], { dtype: 'float64', generator: gen, requiresGrad: true });
    const w = randn([3, 2, 3, 3], { dtype: 'float64', generator: gen, requiresGrad: true });
    const y = conv2dRelu(x, w, null, { padding: 1 });
    const gy = randn(y.shape, { dtype: 'float64', generator: gen, requiresGrad: true });
    const fast = y.gradFn!.backward!(gy, [true, true]);
    const graphed = enableGrad(() => y.gradFn!.backward!(gy, [true, true]));
    expect(graphed.map((t) => Array.from(t!.data))).toEqual(fast.map((t) => Array.from(t!.data)));
  });
});

describe('conv2dRelu: errors name the op', () => {
  it('reports bad shapes and options as conv2dRelu', () => {
    const x = randn([1, 3, 5, 5]);
    expect(() => conv2dRelu(x, randn([2, 4, 3, 3]))).toThrow(/^conv2dRelu: weight of shape \[2, 4, 3, 3\] expects 4 input channels/);
    expect(() => conv2dRelu(randn([3, 5]), randn([2, 3, 3, 3]))).toThrow(/^conv2dRelu: input must be 3-D/);
    expect(() => conv2dRelu(x, randn([2, 3, 3, 3]), null, { padding: 'same', stride: 2 })).toThrow(/^conv2dRelu: padding 'same' needs stride 1/);
    expect(() => conv2dRelu(x, randn([2, 3, 7, 7]))).toThrow(/^conv2dRelu: the kernel 7×7/);
  });
});
