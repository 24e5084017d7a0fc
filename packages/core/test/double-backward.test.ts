/**
 * Gradients of gradients for every differentiable op: gradgradcheck (float64, PyTorch's tolerances)
 * of each op on small inputs kept away from kinks and ties, on whichever backend this pass runs.
 */
import { describe, expect, it } from 'vitest';
import {
  abs, add, avgPool2d, batchNorm, batchNormRelu, binaryCrossEntropyWithLogits, cat, clamp, conv2d, conv2dRelu, convTranspose2d,
  crossEntropy, diceLoss, div, dropout, exp, expand, focalLoss, gather, Generator, grad, indexSelect, interpolate, leakyRelu, log,
  logSoftmax, matmul, max, maximum, maxPool2d, mean, min, minimum, mul, narrow, neg, nllLoss, pad, permute, pow, relu, reshape,
  sigmoid, slice, softmax, sqrt, stack, sub, sum, tanh, tensor, where, gt, type Tensor,
} from '../src/index.js';
import { gradgradcheck } from '../src/testing/index.js';

const gen = new Generator(2024);
/** A float64 leaf of `shape` with values in [lo, hi) away from `avoid` (by 0.05), requiring grad. */
function leaf(shape: number[], lo = -1, hi = 1, avoid: number[] = []): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v: number[] = [];
  while (v.length < n) {
    const x = lo + (hi - lo) * gen.uniform();
    if (avoid.every((p) => Math.abs(x - p) > 0.05)) v.push(x);
  }
  return tensor(v, { dtype: 'float64', shape, requiresGrad: true });
}
/** Distinct values (no ties for max/maxPool/maximum), shuffled, at least 0.1 apart. */
function distinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => 0.1 * (i - n / 2) + 0.03 * gen.uniform());
  for (let i = n - 1; i > 0; i--) { const j = gen.integer(0, i + 1); [v[i], v[j]] = [v[j]!, v[i]!]; }
  return tensor(v, { dtype: 'float64', shape, requiresGrad: true });
}
const idx = (values: number[], shape = [values.length]): Tensor => tensor(values, { dtype: 'int32', shape });

type Case = [string, (...xs: Tensor[]) => Tensor | Tensor[], () => Tensor[]];

const elementwise: Case[] = [
  ['add (broadcast)', (a, b) => add(a, b), () => [leaf([2, 3]), leaf([3])]],
  ['sub (broadcast)', (a, b) => sub(a, b), () => [leaf([2, 1]), leaf([2, 3])]],
  ['mul (broadcast)', (a, b) => mul(a, b), () => [leaf([2, 3]), leaf([1, 3])]],
  ['div', (a, b) => div(a, b), () => [leaf([2, 3]), leaf([2, 3], 0.5, 2)]],
  ['neg', (a) => neg(a), () => [leaf([3])]],
  ['pow (both)', (a, b) => pow(a, b), () => [leaf([4], 0.5, 2), leaf([4], -1.5, 2)]],
  ['exp', (a) => exp(a), () => [leaf([2, 2])]],
  ['log', (a) => log(a), () => [leaf([4], 0.3, 2)]],
  ['sqrt', (a) => sqrt(a), () => [leaf([4], 0.3, 2)]],
  ['abs', (a) => abs(a), () => [leaf([4], -1, 1, [0])]],
  ['relu', (a) => relu(a), () => [leaf([5], -1, 1, [0])]],
  ['leakyRelu', (a) => leakyRelu(a, { negativeSlope: 0.2 }), () => [leaf([5], -1, 1, [0])]],
  ['sigmoid', (a) => sigmoid(a), () => [leaf([4], -3, 3)]],
  ['tanh', (a) => tanh(a), () => [leaf([4], -2, 2)]],
  ['clamp', (a) => clamp(a, { min: -0.5, max: 0.5 }), () => [leaf([6], -1, 1, [-0.5, 0.5])]],
  ['where', (a, b) => where(gt(a, 0), mul(a, a), b), () => [leaf([4], -1, 1, [0]), leaf([4])]],
  ['maximum', (a, b) => maximum(a, b), () => [distinct([6]), leaf([6], 2, 3)].map((t, i) => (i === 1 ? t.sub(2.3).detach().requiresGrad_() : t))],
  ['minimum', (a, b) => minimum(mul(a, a), b), () => [distinct([5]), leaf([5], 0, 0.05)]],
];

const shapes: Case[] = [
  ['sum and mean', (a) => [sum(mul(a, a), 1), mean(mul(a, a))], () => [leaf([2, 3])]],
  ['max over a dim and over all', (a) => [max(mul(a, a), 1), min(mul(a, a))], () => [distinct([3, 4])]],
  ['reshape, permute, expand', (a) => mul(expand(permute(reshape(a, [3, 2]), [1, 0]), [2, 2, 3]), a.reshape([2, 3])), () => [leaf([6])]],
  ['narrow and a stepped slice', (a) => [mul(narrow(a, 1, 1, 2), narrow(a, 1, 0, 2)), mul(slice(a, 1, { step: 2 }), 2)], () => [leaf([2, 4])]],
  ['indexSelect', (a) => mul(indexSelect(a, 0, idx([2, 0, 2])), indexSelect(a, 0, idx([1, 1, 0]))), () => [leaf([3, 2])]],
  ['gather', (a) => mul(gather(a, 1, idx([1, 0, 0, 2, 2, 1], [2, 3])), a), () => [leaf([2, 3])]],
  ['cat, stack, pad', (a, b) => [mul(cat([a, b], 0), cat([b, a], 0)), stack([a, mul(a, b)]), pad(mul(a, a), [1, 2], { value: 3 })], () => [leaf([2, 2]), leaf([2, 2])]],
  ['matmul (batched, broadcast, 1-D)', (a, b, v) => [matmul(a, b), matmul(matmul(a, b), v)], () => [leaf([2, 2, 3]), leaf([3, 2]), leaf([2])]],
  ['softmax', (a) => softmax(a, 1), () => [leaf([2, 3])]],
  ['logSoftmax', (a) => logSoftmax(a, 0), () => [leaf([3, 2])]],
  ['cast (float64 to float64: float32 rounding would swamp the differences)', (a) => mul(a, a).to('float64'), () => [leaf([3])]],
];

const spatial: Case[] = [
  ['conv2d (stride, padding, dilation, groups, bias)', (x, w, b) => conv2d(x, w, b, { stride: [2, 1], padding: 1, dilation: [1, 2], groups: 2 }),
    () => [leaf([1, 2, 4, 5]), leaf([2, 1, 2, 2]), leaf([2])]],
  ['conv2d (3×3, padding 1: the Winograd shape)', (x, w) => conv2d(x, w, null, { padding: 1 }), () => [leaf([1, 1, 4, 4]), leaf([1, 1, 3, 3])]],
  ['conv2dRelu', (x, w, b) => conv2dRelu(x, w, b, { padding: 1 }), () => [leaf([1, 1, 3, 3]), leaf([2, 1, 3, 3]), leaf([2], 0.3, 0.6)]],
  ['convTranspose2d (stride 2, outputPadding, groups, bias)', (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1, groups: 2 }),
    () => [leaf([1, 2, 2, 3]), leaf([2, 1, 3, 3]), leaf([2])]],
  ['maxPool2d (padding, dilation, ceilMode)', (x) => maxPool2d(mul(x, x), { kernelSize: 2, stride: 2, padding: 1, ceilMode: true }), () => [distinct([1, 2, 3, 3]).add(2).detach().requiresGrad_()]],
  ['avgPool2d (padding, countIncludePad false)', (x) => avgPool2d(mul(x, x), { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }), () => [leaf([1, 1, 4, 5])]],
  ['avgPool2d (divisorOverride, ceilMode)', (x) => avgPool2d(x, { kernelSize: 2, ceilMode: true, divisorOverride: 3 }), () => [leaf([2, 1, 3, 3])]],
  ['interpolate nearest (scale 1.5)', (x) => interpolate(mul(x, x), { scaleFactor: 1.5 }), () => [leaf([1, 2, 2, 3])]],
  ['interpolate bilinear (size, alignCorners)', (x) => interpolate(mul(x, x), { size: [3, 5], mode: 'bilinear', alignCorners: true }), () => [leaf([1, 1, 2, 3])]],
  ['interpolate bilinear (scale 2)', (x) => interpolate(x, { scaleFactor: 2, mode: 'bilinear' }), () => [leaf([1, 1, 2, 2])]],
  ['batchNorm training (weight, bias)', (x, w, b) => batchNorm(x, null, null, { training: true, weight: w, bias: b }), () => [leaf([3, 2, 2]), leaf([2]), leaf([2])]],
  ['batchNorm eval', (x, w, b) => batchNorm(mul(x, x), tensor([0.1, -0.2], { dtype: 'float64' }), tensor([0.5, 2], { dtype: 'float64' }), { weight: w, bias: b }),
    () => [leaf([2, 2, 2]), leaf([2]), leaf([2])]],
  ['batchNormRelu training', (x, w, b) => batchNormRelu(x, null, null, { training: true, weight: w, bias: b }), () => [leaf([4, 2]), leaf([2]), leaf([2], 0.2, 0.4)]],
  ['dropout (a fixed mask)', (x) => dropout(mul(x, x), { p: 0.4, generator: new Generator(5) }), () => [leaf([6])]],
];

const w3 = (): Tensor => tensor([0.5, 2, 1.5], { dtype: 'float64' });
const losses: Case[] = [
  ['crossEntropy (weight, ignoreIndex, mean)', (x) => crossEntropy(x, idx([0, 2, 1, 2], [2, 2]), { weight: w3(), ignoreIndex: 1 }), () => [leaf([2, 3, 2])]],
  ['crossEntropy (label smoothing, sum)', (x) => crossEntropy(x, idx([2, 0, 1]), { weight: w3(), labelSmoothing: 0.2, reduction: 'sum' }), () => [leaf([3, 3])]],
  ['crossEntropy (none, unbatched)', (x) => crossEntropy(x, idx([1], []), { reduction: 'none', labelSmoothing: 0.1 }), () => [leaf([3])]],
  ['crossEntropy (probability targets)', (x) => crossEntropy(x, softmax(tensor([[1, 2, 0], [0.5, 0, -1]], { dtype: 'float64' }), 1), { weight: w3(), labelSmoothing: 0.1 }),
    () => [leaf([2, 3])]],
  ['nllLoss (weight, ignoreIndex, none)', (x) => nllLoss(logSoftmax(x, 1), idx([0, 1, 2]), { weight: w3(), ignoreIndex: 2, reduction: 'none' }), () => [leaf([3, 3])]],
  ['binaryCrossEntropyWithLogits (weight, posWeight, target grad)', (x, t) =>
    binaryCrossEntropyWithLogits(x, t, { weight: tensor([1, 2, 0.5], { dtype: 'float64' }), posWeight: tensor([3, 1, 0.5], { dtype: 'float64' }) }),
  () => [leaf([2, 3], -2, 2), leaf([2, 3], 0, 1)]],
  ['focalLoss', (x) => focalLoss(x, idx([0, 2, 1]), { alpha: w3(), gamma: 2 }), () => [leaf([3, 3])]],
  ['diceLoss', (x) => diceLoss(x, idx([0, 1, 1, 0, 2, 1], [1, 2, 3]), { ignoreIndex: 2 }), () => [leaf([1, 2, 2, 3])]],
];

describe.each([['elementwise', elementwise], ['shapes and reductions', shapes], ['spatial', spatial], ['losses', losses]] as const)(
  'gradgradcheck: %s',
  (_, cases) => {
    it.each(cases.map((c) => [c[0], c] as const))('%s', (_name, [name, fn, make]) => {
      expect(gradgradcheck(fn, make(), { name })).toBe(true);
    });
  },
);

describe('higher orders', () => {
  it('third derivatives: gradgradcheck of a first gradient (tanh·conv2d, softmax cross-entropy)', () => {
    const w = leaf([1, 1, 2, 2]);
    const firstOfConv = (x: Tensor): Tensor => grad(tanh(conv2d(x, w)).sum(), x, { createGraph: true });
    expect(gradgradcheck(firstOfConv, [leaf([1, 1, 3, 3])], { name: 'd/dx tanh(conv2d)' })).toBe(true);
    const firstOfCe = (x: Tensor): Tensor => grad(crossEntropy(x, idx([1, 0]), { weight: tensor([2, 1, 1], { dtype: 'float64' }) }), x, { createGraph: true });
    expect(gradgradcheck(firstOfCe, [leaf([2, 3])], { name: 'd/dx crossEntropy' })).toBe(true);
  });
});
