import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { conv2d, convTranspose2d, Generator, mul, randn, sum, Tensor } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

const rnd = (shape: number[], seed: number, requiresGrad = false): Tensor =>
  randn(shape, { dtype: 'float64', generator: new Generator(seed), requiresGrad });

/** Random transposed-conv geometry; outputPadding stays below the stride so conv2d maps the output size back. */
const geometryArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  groups: fc.integer({ min: 1, max: 2 }),
  cg: fc.integer({ min: 1, max: 2 }),
  og: fc.integer({ min: 1, max: 2 }),
  h: fc.integer({ min: 1, max: 3 }),
  w: fc.integer({ min: 1, max: 3 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  p: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  opad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
  bias: fc.boolean(),
  seed: fc.integer({ min: 0, max: 1e6 }),
}).map((a) => {
  const outputPadding = [Math.min(a.opad[0], a.s[0] - 1), Math.min(a.opad[1], a.s[1] - 1)] as [number, number];
  const out = [0, 1].map((i) => ([a.h, a.w][i]! - 1) * a.s[i]! - 2 * a.p[i]! + a.d[i]! * (a.k[i]! - 1) + outputPadding[i]! + 1);
  return {
    ...a, out, options: { stride: a.s, padding: a.p, dilation: a.d, groups: a.groups, outputPadding },
    xShape: [a.n, a.cg * a.groups, a.h, a.w], wShape: [a.cg * a.groups, a.og, ...a.k],
  };
}).filter((a) => a.out[0]! >= 1 && a.out[1]! >= 1);

describe('convTranspose2d: values', () => {
  it('spreads each input pixel over the kernel, stride 1 and stride 2', () => {
    // Stride 1, w = [[1, 2], [3, 4]]: y = Σ_ij x[i, j]·w placed at (i, j), x = [[1, 2], [3, 4]]:
    //   y[0,0] = 1·1 = 1, y[0,1] = 1·2 + 2·1 = 4, y[0,2] = 2·2 = 4,
    //   y[1,0] = 1·3 + 3·1 = 6, y[1,1] = 1·4 + 2·3 + 3·2 + 4·1 = 20, y[1,2] = 2·4 + 4·2 = 16,
    //   y[2,0] = 3·3 = 9, y[2,1] = 3·4 + 4·3 = 24, y[2,2] = 4·4 = 16; plus bias 0.5
    const x = f64([[[[1, 2], [3, 4]]]]);
    const w = f64([[[[1, 2], [3, 4]]]]);
    expectClose(convTranspose2d(x, w, f64([0.5])), [[[[1.5, 4.5, 4.5], [6.5, 20.5, 16.5], [9.5, 24.5, 16.5]]]]);
    // Stride 2 with a ones kernel: every pixel becomes a 2×2 block (nearest upsampling)
    expectClose(convTranspose2d(x, f64([[[[1, 1], [1, 1]]]]), null, { stride: 2 }),
      [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
  });

  it('is the adjoint of conv2d: <convT(x, w), y> = <x, conv2d(y, w)> over random geometry', () => {
    fc.assert(
      fc.property(geometryArb, (a) => {
        const x = rnd(a.xShape, a.seed);
        const w = rnd(a.wShape, a.seed + 1);
        const z = convTranspose2d(x, w, null, a.options);
        expect(z.shape).toEqual([a.n, a.og * a.groups, ...a.out]);
        const y = rnd([...z.shape], a.seed + 2);
        const { stride, padding, dilation, groups } = a.options;
        const lhs = sum(mul(z, y)).item();
        const rhs = sum(mul(x, conv2d(y, w, null, { stride, padding, dilation, groups }))).item();
        expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * (1 + Math.abs(rhs)));
      }),
      { numRuns: 60 },
    );
  });

  it('takes an unbatched (C, H, W) input', () => {
    const x = rnd([2, 3, 3], 1);
    const w = rnd([2, 1, 2, 2], 2);
    const y = convTranspose2d(x, w, null, { stride: 2 });
    expect(y.shape).toEqual([1, 6, 6]);
    expectClose(y, Array.from(convTranspose2d(x.reshape([1, 2, 3, 3]), w, null, { stride: 2 }).data), { shape: [1, 6, 6] });
  });
});

describe('convTranspose2d in float32 (the conv kernels of the active backend)', () => {
  it('matches float64 within rounding, forward and gradients, also with outputPadding ≥ stride (< dilation)', () => {
    const arb = geometryArb.map((a) => ({ ...a, options: { ...a.options, outputPadding: [Math.min(a.opad[0], Math.max(a.s[0], a.d[0]) - 1), Math.min(a.opad[1], Math.max(a.s[1], a.d[1]) - 1)] as [number, number] } }));
    fc.assert(fc.property(arb, (a) => {
      const run = (dtype: 'float32' | 'float64'): Tensor[] => {
        const t = [rnd(a.xShape, a.seed), rnd(a.wShape, a.seed + 1), rnd([a.og * a.groups], a.seed + 2)].map((v) => new Tensor(v.to(dtype).data, v.shape, true));
        const y = convTranspose2d(t[0]!, t[1]!, t[2]!, a.options);
        y.backward(rnd([...y.shape], a.seed + 3).to(dtype));
        return [y, ...t.map((v) => v.grad!)];
      };
      const [single, double] = [run('float32'), run('float64')];
      single.forEach((v, i) => {
        const want = double[i]!.data;
        const scale = Math.max(1, ...Array.from(want, Math.abs));
        v.data.forEach((got, j) => expect(Math.abs(got - want[j]!)).toBeLessThanOrEqual(1e-5 * scale));
      });
    }), { numRuns: RUNS });
  });
});

describe('convTranspose2d: gradients (gradcheck over random geometry)', () => {
  it('input, weight and bias', () => {
    fc.assert(
      fc.property(geometryArb, (a) => {
        const x = rnd(a.xShape, a.seed, true);
        const w = rnd(a.wShape, a.seed + 1, true);
        const inputs = a.bias ? [x, w, rnd([a.og * a.groups], a.seed + 2, true)] : [x, w];
        return gradcheck((xi, wi, bi) => convTranspose2d(xi!, wi!, bi ?? null, a.options), inputs, { name: 'convTranspose2d' });
      }),
      { numRuns: RUNS },
    );
  });
});

describe('convTranspose2d: errors name the op, the argument and the shapes', () => {
  const x = rnd([1, 4, 3, 3], 0);
  it.each([
    ['groups that do not divide the input channels', () => convTranspose2d(x, rnd([4, 1, 2, 2], 1), null, { groups: 3 }),
      'convTranspose2d: input channels 4 (input shape [1, 4, 3, 3]) are not divisible by groups 3'],
    ['a weight whose first dim is not the input channels', () => convTranspose2d(x, rnd([3, 2, 2, 2], 1)),
      'convTranspose2d: weight of shape [3, 2, 2, 2] expects 3 input channels (weight.shape[0] = 3), but input of shape [1, 4, 3, 3] has 4'],
    ['a wrong weight rank', () => convTranspose2d(x, rnd([4, 2, 2], 1)),
      'convTranspose2d: weight must be 4-D (in_channels, out_channels/groups, kH, kW), got shape [4, 2, 2]'],
    ['a non-positive stride', () => convTranspose2d(x, rnd([4, 2, 2, 2], 1), null, { stride: [1, 0] }),
      'convTranspose2d: stride must be an integer >= 1 or a pair of them, got [1,0]'],
    ['an outputPadding as large as both stride and dilation', () => convTranspose2d(x, rnd([4, 2, 2, 2], 1), null, { stride: 2, outputPadding: 2 }),
      'convTranspose2d: outputPadding [2, 2] must be smaller than either stride [2, 2] or dilation [1, 1]'],
    ['padding that leaves no output', () => convTranspose2d(rnd([1, 4, 1, 1], 0), rnd([4, 2, 2, 2], 1), null, { padding: 1 }),
      'convTranspose2d: the output size 0×0 is not positive (input shape [1, 4, 1, 1], weight shape [4, 2, 2, 2], stride [1, 1], padding [1, 1])'],
    ['a bias of the wrong size', () => convTranspose2d(x, rnd([4, 2, 2, 2], 1), rnd([4], 2)),
      'convTranspose2d: bias must be a 1-D float64 tensor of the 2 output channels, got float64 of shape [4]'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
