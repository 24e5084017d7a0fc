import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2d, Generator, randn, Tensor, type Conv2dOptions } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

/** A random float64 tensor drawn from a seeded generator. */
const rnd = (shape: number[], seed: number, requiresGrad = false): Tensor =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad });

/** Direct 7-loop convolution from the definition, with top/left padding pT and output size out. */
function naiveConv(x: Tensor, w: Tensor, b: Tensor | null, s: number[], pT: number[], d: number[], groups: number, out: number[]): number[] {
  const [n, c, h, wd] = x.shape as number[] as [number, number, number, number];
  const [o, cg, kh, kw] = w.shape as number[] as [number, number, number, number];
  const og = o / groups;
  const y: number[] = [];
  for (let ni = 0; ni < n; ni++) for (let oi = 0; oi < o; oi++) for (let i = 0; i < out[0]!; i++) for (let j = 0; j < out[1]!; j++) {
    let acc = b ? b.data[oi]! : 0;
    const g = Math.floor(oi / og);
    for (let ci = 0; ci < cg; ci++) for (let p = 0; p < kh; p++) for (let q = 0; q < kw; q++) {
      const ih = i * s[0]! - pT[0]! + p * d[0]!;
      const iw = j * s[1]! - pT[1]! + q * d[1]!;
      if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
      acc += w.data[((oi * cg + ci) * kh + p) * kw + q]! * x.data[((ni * c + g * cg + ci) * h + ih) * wd + iw]!;
    }
    y.push(acc);
  }
  return y;
}

/** Random conv geometry with a valid output: sizes, strides, padding (number, pair or 'same'), dilation, groups. */
const convArb = (maxN = 2, maxC = 2) =>
  fc.record({
    n: fc.integer({ min: 1, max: maxN }),
    groups: fc.integer({ min: 1, max: 2 }),
    cg: fc.integer({ min: 1, max: maxC }),
    og: fc.integer({ min: 1, max: maxC }),
    k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    s: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    p: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
    same: fc.boolean(),
    bias: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1e6 }),
  }).map((a) => {
    const same = a.same && a.s[0] === 1 && a.s[1] === 1;
    const span = [a.d[0] * (a.k[0] - 1) + 1, a.d[1] * (a.k[1] - 1) + 1];
    const size = [0, 1].map((i) => Math.max(1, span[i]! - (same ? 0 : 2 * a.p[i]!)) + a.extra[i]!);
    const total = same ? span.map((v) => v - 1) : a.p.map((v) => 2 * v);
    const pT = same ? total.map((v) => Math.floor(v / 2)) : [...a.p];
    const out = [0, 1].map((i) => Math.floor((size[i]! + total[i]! - span[i]!) / a.s[i]!) + 1);
    const options: Conv2dOptions = { stride: a.s, padding: same ? 'same' : a.p, dilation: a.d, groups: a.groups };
    return { ...a, size, pT, out, options, xShape: [a.n, a.cg * a.groups, size[0]!, size[1]!], wShape: [a.og * a.groups, a.cg, ...a.k] };
  });

describe('conv2d: values', () => {
  it('a 2×2 kernel over a 3×3 image, with bias, and its gradients for an upstream of ones', () => {
    // y[i, j] = Σ w[p, q]·x[i+p, j+q] + 0.5 with w = [[1, 2], [3, 4]], x = 1..9:
    //   y[0,0] = 1·1 + 2·2 + 3·4 + 4·5 = 37, y[0,1] = 2 + 6 + 15 + 24 = 47, y[1,0] = 67, y[1,1] = 77 (+ 0.5)
    // dW[p, q] = Σ_ij x[i+p, j+q]: [[1+2+4+5, 2+3+5+6], [4+5+7+8, 5+6+8+9]] = [[12, 16], [24, 28]]
    // dx[a, b] = Σ of the w entries whose window covers (a, b): [[1, 3, 2], [4, 10, 6], [3, 7, 4]]; db = 4 outputs
    const x = f64([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { requiresGrad: true });
    const w = f64([[[[1, 2], [3, 4]]]], { requiresGrad: true });
    const b = f64([0.5], { requiresGrad: true });
    const y = conv2d(x, w, b);
    expectClose(y, [[[[37.5, 47.5], [67.5, 77.5]]]]);
    y.sum().backward();
    expectClose(w.grad!, [[[[12, 16], [24, 28]]]]);
    expectClose(x.grad!, [[[[1, 3, 2], [4, 10, 6], [3, 7, 4]]]]);
    expectClose(b.grad!, [4]);
  });

  it('padding 1, stride 2: a 3×3 sum kernel over 1..9 picks the corner windows', () => {
    // Padded windows centred at (0,0), (0,2), (2,0), (2,2): 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28
    const x = f64([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    expectClose(conv2d(x, f64([[[[1, 1, 1], [1, 1, 1], [1, 1, 1]]]]), null, { padding: 1, stride: 2 }), [[[[12, 16], [24, 28]]]]);
  });

  it('matches the direct definition over random geometry (im2col block and strided paths, groups, same)', () => {
    fc.assert(
      fc.property(convArb(3, 3), (a) => {
        const x = rnd(a.xShape, a.seed);
        const w = rnd(a.wShape, a.seed + 1);
        const b = a.bias ? rnd([a.wShape[0]!], a.seed + 2) : null;
        const y = conv2d(x, w, b, a.options);
        expect(y.shape).toEqual([a.n, a.wShape[0], ...a.out]);
        expectClose(y, naiveConv(x, w, b, a.s, a.pT, a.d, a.groups, a.out), { shape: y.shape, atol: 1e-12, rtol: 1e-12 });
      }),
      { numRuns: 60 },
    );
  });

  it('takes an unbatched (C, H, W) input and float32', () => {
    const x = rnd([2, 4, 5], 1);
    const w = rnd([3, 2, 3, 3], 2);
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([3, 4, 5]);
    expectClose(y, Array.from(conv2d(x.reshape([1, 2, 4, 5]), w, null, { padding: 1 }).data), { shape: [3, 4, 5] });
    const y32 = conv2d(x.to('float32'), w.to('float32'), null, { padding: 1 });
    expect(y32.dtype).toBe('float32');
    expectClose(y32, Array.from(y.data), { shape: [3, 4, 5], atol: 1e-5, rtol: 1e-5 });
  });
});

describe('conv2d: gradients (gradcheck over random geometry)', () => {
  it('input, weight and bias', () => {
    fc.assert(
      fc.property(convArb(), (a) => {
        const x = rnd(a.xShape, a.seed, true);
        const w = rnd(a.wShape, a.seed + 1, true);
        const inputs = a.bias ? [x, w, rnd([a.wShape[0]!], a.seed + 2, true)] : [x, w];
        return gradcheck((xi, wi, bi) => conv2d(xi!, wi!, bi ?? null, a.options), inputs, { name: 'conv2d' });
      }),
      { numRuns: RUNS },
    );
  });

  it('input gradient when the kernel spans the whole padded input (padding wider than the 1×1 output)', () => {
    // Found by random PyTorch cases: the stride-1 input gradient unfolds the gradient with padding
    // d·(k − 1) − p, here wider than the 1×1 output, which im2col's block copy once got wrong.
    const x = rnd([3, 5, 1], 11, true);
    const w = rnd([3, 3, 5, 5], 12, true);
    gradcheck((xi, wi) => conv2d(xi!, wi!, null, { padding: [0, 2] }), [x, w], { name: 'conv2d wide padding' });
    const xd = rnd([3, 4, 3, 1], 13, true);
    const wd = rnd([4, 1, 4, 5], 14, true);
    gradcheck((xi, wi) => conv2d(xi!, wi!, null, { padding: 2, dilation: [2, 1], groups: 4 }), [xd, wd], { name: 'conv2d depthwise wide padding' });
  });

  it('only the weight (the first layer: the input needs no gradient)', () => {
    const x = rnd([2, 2, 4, 4], 3);
    const w = rnd([2, 2, 3, 3], 4, true);
    gradcheck((wi) => conv2d(x, wi!, null, { padding: 1 }), [w], { name: 'conv2d weight' });
    expect(x.grad).toBeNull();
  });
});

describe('conv2d: errors name the op, the argument and the shapes', () => {
  const x = rnd([1, 3, 5, 5], 0);
  it.each([
    ['groups that do not divide the input channels', () => conv2d(x, rnd([4, 1, 3, 3], 1), null, { groups: 2 }),
      'conv2d: input channels 3 (input shape [1, 3, 5, 5]) are not divisible by groups 2'],
    ['groups that do not divide the output channels', () => conv2d(rnd([1, 4, 5, 5], 0), rnd([3, 2, 3, 3], 1), null, { groups: 2 }),
      'conv2d: out_channels 3 (weight shape [3, 2, 3, 3]) are not divisible by groups 2'],
    ['a kernel larger than the padded input', () => conv2d(rnd([1, 3, 2, 2], 0), rnd([1, 3, 3, 3], 1)),
      'conv2d: the kernel 3×3 (dilation [1, 1]: 3×3) is larger than the padded input 2×2 (input shape [1, 3, 2, 2], weight shape [1, 3, 3, 3], padding [0, 0])'],
    ['a dilated kernel larger than the padded input', () => conv2d(x, rnd([1, 3, 3, 3], 1), null, { dilation: 4, padding: 1 }),
      'conv2d: the kernel 3×3 (dilation [4, 4]: 9×9) is larger than the padded input 7×7'],
    ['a non-positive stride', () => conv2d(x, rnd([1, 3, 3, 3], 1), null, { stride: 0 }),
      'conv2d: stride must be an integer >= 1 or a pair of them, got 0'],
    ['a negative padding', () => conv2d(x, rnd([1, 3, 3, 3], 1), null, { padding: [1, -1] }),
      'conv2d: padding must be an integer >= 0 or a pair of them, got [1,-1]'],
    ['a wrong weight rank', () => conv2d(x, rnd([4, 3, 3], 1)),
      'conv2d: weight must be 4-D (out_channels, in_channels/groups, kH, kW), got shape [4, 3, 3]'],
    ['weight channels that do not match the input', () => conv2d(x, rnd([2, 2, 3, 3], 1)),
      'conv2d: weight of shape [2, 2, 3, 3] expects 2 input channels (weight.shape[1] × groups = 2 × 1 = 2), but input of shape [1, 3, 5, 5] has 3'],
    ['a wrong input rank', () => conv2d(rnd([3, 5], 0), rnd([1, 3, 3, 3], 1)),
      'conv2d: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape [3, 5]'],
    ['a bias of the wrong size', () => conv2d(x, rnd([2, 3, 3, 3], 1), rnd([3], 2)),
      'conv2d: bias must be a 1-D float64 tensor of the 2 output channels, got float64 of shape [3]'],
    ['mixed dtypes', () => conv2d(x.to('float32'), rnd([2, 3, 3, 3], 1)),
      'conv2d: input is float32 but weight is float64'],
    ["padding 'same' with a stride", () => conv2d(x, rnd([2, 3, 3, 3], 1), null, { padding: 'same', stride: 2 }),
      "conv2d: padding 'same' needs stride 1, got stride [2, 2]"],
    ['non-integer groups', () => conv2d(x, rnd([2, 3, 3, 3], 1), null, { groups: 0 }),
      'conv2d: groups must be an integer >= 1, got 0'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
