/**
 * NaN semantics as PyTorch's (issue 10), on whichever backend this pass runs.
 *
 * 1. nan.torch.json (fixtures/generate_nan.py, PyTorch 1.13): outputs and gradients of each op whose
 *    NaN behaviour is a choice, on inputs holding NaN and ±inf, in float64 and in float32. Among them:
 *    relu(NaN) = NaN and its gradient passes at NaN (threshold_backward: result ≤ 0 ? 0 : grad);
 *    maximum/minimum propagate NaN; clamp keeps NaN (gradient 0); max/min/argmax along a dim take
 *    the first NaN; max-pool's gradient goes to the window's last NaN; bilinear interpolation reads
 *    both taps, so NaN · 0 = NaN where a tap has weight 0.
 * 2. A fast-check property: NaN inputs give NaN outputs exactly where PyTorch does, over random
 *    shapes and NaN positions in float32, with sizes that reach the wasm kernels (elementwise from
 *    2,048 elements, pooling from 4,096, Winograd from 4 channels). PyTorch's rule, which the cases
 *    of (1) check against PyTorch itself: an output is NaN iff a NaN is among the inputs it reads —
 *    its element (activations, clamp), the pair (maximum, minimum, add), the slice along the dim
 *    (max, min, sum, mean; softmax and logSoftmax: the whole slice), the window's taps inside the
 *    image (max-pool, avg-pool; conv2d over all input channels), the two taps per axis (bilinear;
 *    an axis that keeps its size is copied), the row of a and the column of b (matmul); argmax and
 *    argmin give the first NaN's index.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { Tensor } from '../src/index.js';
import { checkOpCase, type RefCase } from './fixtures/calls.js';
import { loadFixture, type FixtureFile } from './fixtures/load.js';

const cases = loadFixture<FixtureFile<RefCase>>('nan.torch.json').cases.map((c, i) => [i, c.op, c.note ?? '', c] as const);

describe('NaN and ±inf as PyTorch 1.13 gives them (nan.torch.json)', () => {
  it.each(cases)('case %i: %s (%s), float64', (i, op, _note, c) => checkOpCase(c, `nan case ${i} (${op})`));
  it.each(cases)('case %i: %s (%s), float32', (i, op, _note, c) => checkOpCase(c, `nan case ${i} (${op}, float32)`, 'float32'));
});

/** A seeded uniform generator in [0, 1) (mulberry32), so big inputs cost fast-check one integer. */
function uniform(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A float32 tensor of values in [−0.5, 1.5) with NaN at each element with probability `density`. */
function withNaN(shape: number[], seed: number, density: number): Tensor {
  const r = uniform(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return new Tensor(Float32Array.from({ length: n }, () => (r() < density ? Number.NaN : 2 * r() - 0.5)), shape);
}

/** Throws unless out is NaN exactly where `expected` says (null: either), naming the first element that differs. */
function expectNaNAt(out: Tensor, expected: (boolean | null)[], what: string): void {
  expect(out.size, `${what}: size`).toBe(expected.length);
  const bad = expected.findIndex((e, i) => e !== null && e !== Number.isNaN(out.data[i]!));
  if (bad >= 0) throw new Error(`${what}: element ${bad} of shape [${out.shape.join(', ')}] is ${out.data[bad]}, PyTorch gives ${expected[bad] ? 'NaN' : 'a number'}`);
}

const nanMask = (t: Tensor): boolean[] => Array.from(t.data, (v) => Number.isNaN(v));
const small = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });
/** [N, C, H, W] images: small, or big enough for the wasm kernels. */
const image = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 3, max: 7 }), fc.integer({ min: 3, max: 7 })),
  fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 8, max: 16 }), fc.integer({ min: 8, max: 14 }), fc.integer({ min: 8, max: 14 })),
).map((s) => [...s]);
const shape = fc.oneof(small, image);
const seed = fc.integer();
const density = fc.constantFrom(0, 0.001, 0.02, 0.3);
const RUNS = 25;

const UNARY: Record<string, (x: Tensor) => Tensor> = {
  relu: T.relu, leakyRelu: (x) => T.leakyRelu(x), sigmoid: T.sigmoid, tanh: T.tanh, abs: T.abs, neg: T.neg, exp: T.exp,
  log1p: T.log1p, sin: T.sin, cos: T.cos, erf: T.erf, gelu: (x) => T.gelu(x), softplus: (x) => T.softplus(x),
  clamp: (x) => T.clamp(x, { min: -0.2, max: 0.3 }), 'clamp min > max': (x) => T.clamp(x, { min: 0.3, max: -0.2 }),
};

/** Whether slice (o, ·, j) of x, viewed as [outer, size, inner] along `dim`, holds a NaN; and the first NaN's index. */
function slices(x: Tensor, dim: number): { outer: number; inner: number; has: boolean[]; first: number[] } {
  const size = x.shape[dim]!;
  const outer = x.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const first = Array.from({ length: outer * inner }, (_, s) => {
    const [o, j] = [Math.floor(s / inner), s % inner];
    for (let k = 0; k < size; k++) if (Number.isNaN(x.data[(o * size + k) * inner + j]!)) return k;
    return -1;
  });
  return { outer, inner, has: first.map((k) => k >= 0), first };
}

describe('property: NaN inputs give NaN outputs exactly where PyTorch does (float32)', () => {
  it.each(Object.keys(UNARY))('%s: where the input is NaN', (name) => {
    fc.assert(fc.property(shape, seed, density, (s, sd, p) => {
      const x = withNaN(s, sd, p);
      expectNaNAt(UNARY[name]!(x), nanMask(x), name);
    }), { numRuns: RUNS });
  });

  it.each([['maximum', T.maximum], ['minimum', T.minimum], ['add', T.add], ['mul', T.mul]] as const)('%s: where either operand is NaN (b broadcast along the last dim)', (name, f) => {
    fc.assert(fc.property(shape, seed, density, fc.boolean(), (s, sd, p, broadcast) => {
      const a = withNaN(s, sd, p);
      const b = withNaN(broadcast ? [s.at(-1)!] : s, sd + 1, p);
      const bm = nanMask(b);
      expectNaNAt(f(a, b), nanMask(a).map((v, i) => v || bm[broadcast ? i % b.size : i]!), name);
    }), { numRuns: RUNS });
  });

  it('max, min, sum, mean along a dim: where the slice holds a NaN; softmax, logSoftmax: the whole slice; argmax, argmin: the first NaN', () => {
    fc.assert(fc.property(shape, seed, density, fc.nat(), (s, sd, p, d0) => {
      const x = withNaN(s, sd, p);
      const dim = d0 % s.length;
      const { outer, inner, has, first } = slices(x, dim);
      for (const [name, f] of [['max', T.max], ['min', T.min], ['sum', T.sum], ['mean', T.mean]] as const) expectNaNAt(f(x, dim), has, name);
      const whole = Array.from({ length: x.size }, (_, i) => has[Math.floor(i / (s[dim]! * inner)) * inner + (i % inner)]!);
      expectNaNAt(T.softmax(x, dim), whole, 'softmax');
      expectNaNAt(T.logSoftmax(x, dim), whole, 'logSoftmax');
      for (const arg of [T.argmax(x, dim), T.argmin(x, dim)]) {
        const got = Array.from(arg.data);
        const bad = first.findIndex((k, i) => k >= 0 && got[i] !== k);
        if (bad >= 0) throw new Error(`argmax/argmin along dim ${dim}: slice ${bad} of ${outer * inner} has its first NaN at ${first[bad]}, got ${got[bad]}`);
      }
    }), { numRuns: RUNS });
  });

  const POOLS = [
    { kernelSize: 2 }, { kernelSize: 3, stride: 1, padding: 1 }, { kernelSize: 2, stride: 1, dilation: 2 }, { kernelSize: 3, stride: 2, ceilMode: true },
  ] as const;
  it('maxPool2d, avgPool2d: where a tap of the window inside the image is NaN', () => {
    fc.assert(fc.property(image, seed, density, fc.constantFrom(...POOLS), (s, sd, p, o) => {
      const x = withNaN(s, sd, p);
      for (const [name, y] of [['maxPool2d', T.maxPool2d(x, o)], ['avgPool2d', 'dilation' in o ? null : T.avgPool2d(x, o)]] as const) {
        if (!y) continue;
        const [st, pad, dil] = ['stride' in o ? o.stride : o.kernelSize, 'padding' in o ? o.padding : 0, 'dilation' in o ? o.dilation : 1];
        expectNaNAt(y, windows(x, y, o.kernelSize, st, pad, dil, false), `${name} ${JSON.stringify(o)}`);
      }
    }), { numRuns: RUNS });
  });

  it('conv2d (3×3, finite weights; Winograd, GEMM and strided paths): where the window holds a NaN in any input channel', () => {
    fc.assert(fc.property(image, seed, density, fc.constantFrom(1, 2), (s, sd, p, stride) => {
      const x = withNaN(s, sd, p);
      const w = withNaN([4, s[1]!, 3, 3], sd + 1, 0);
      const y = T.conv2d(x, w, null, { padding: 1, stride });
      expectNaNAt(y, windows(x, y, 3, stride, 1, 1, true), `conv2d stride ${stride}`);
    }), { numRuns: RUNS });
  });

  it('bilinear interpolate: where one of the two taps per axis is NaN (PyTorch reads both, weight 0 or not)', () => {
    fc.assert(fc.property(image, seed, density, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.boolean(), (s, sd, p, oh, ow, alignCorners) => {
      const x = withNaN(s, sd, p);
      const y = T.interpolate(x, { size: [oh, ow], mode: 'bilinear', alignCorners });
      const [n, c, h, w] = s as [number, number, number, number];
      const rows = taps(h, oh, alignCorners);
      const cols = taps(w, ow, alignCorners);
      const expected: (boolean | null)[] = [];
      for (let pl = 0; pl < n * c; pl++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            const nan = rows[i]!.some((r) => cols[j]!.some((q) => Number.isNaN(x.data[(pl * h + r) * w + q]!)));
            expected.push(rows[i] === AMBIGUOUS || cols[j] === AMBIGUOUS ? null : nan);
          }
        }
      }
      expectNaNAt(y, expected, `interpolate to ${oh}×${ow}${alignCorners ? ', alignCorners' : ''}`);
    }), { numRuns: RUNS });
  });

  it('matmul: where the row of a or the column of b holds a NaN', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), seed, density, (m, k, n, sd, p) => {
      const a = withNaN([m, k], sd, p);
      const b = withNaN([k, n], sd + 1, p);
      const rowNaN = Array.from({ length: m }, (_, i) => a.data.subarray(i * k, (i + 1) * k).some(Number.isNaN));
      const colNaN = Array.from({ length: n }, (_, j) => Array.from({ length: k }, (_, q) => b.data[q * n + j]!).some(Number.isNaN));
      expectNaNAt(T.matmul(a, b), Array.from({ length: m * n }, (_, i) => rowNaN[Math.floor(i / n)]! || colNaN[i % n]!), 'matmul');
    }), { numRuns: RUNS });
  });
});

/**
 * For each output element of a pooling or convolution y of x (square kernel k, stride, padding,
 * dilation): whether a tap inside the image is NaN, in its plane (pooling) or in any input channel
 * of the image (conv2d, `allChannels`).
 */
function windows(x: Tensor, y: Tensor, k: number, stride: number, pad: number, dil: number, allChannels: boolean): boolean[] {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [, co, oh, ow] = y.shape as [number, number, number, number];
  const out: boolean[] = [];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < co; ch++) {
      const planes = allChannels ? Array.from({ length: c }, (_, q) => b * c + q) : [b * c + ch];
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let nan = false;
          for (let a = 0; a < k && !nan; a++) {
            const r = i * stride - pad + a * dil;
            if (r < 0 || r >= h) continue;
            for (let q = 0; q < k && !nan; q++) {
              const col = j * stride - pad + q * dil;
              if (col >= 0 && col < w) nan = planes.some((pl) => Number.isNaN(x.data[(pl * h + r) * w + col]!));
            }
          }
          out.push(nan);
        }
      }
    }
  }
  return out;
}

/** Taps of an output index whose source position is within rounding of a whole number (see taps). */
const AMBIGUOUS: number[] = [];

/**
 * The input indices PyTorch 1.13's bilinear kernel reads for each output index along one axis:
 * i0 = ⌊s⌋ and i0 + 1 (but not past the end), s = (j + ½)·in/out − ½ clamped at 0, or j·(in − 1)/(out − 1)
 * with alignCorners; an axis that keeps its size is copied (j only). Where s is a whole number > 0,
 * rounding (PyTorch computes s in float32 for float32 input) decides between [s − 1, s] and [s, s + 1]:
 * those outputs are AMBIGUOUS and not checked.
 */
function taps(inSize: number, outSize: number, alignCorners: boolean): number[][] {
  return Array.from({ length: outSize }, (_, j) => {
    if (inSize === outSize) return [j];
    const s = alignCorners ? (outSize > 1 ? (j * (inSize - 1)) / (outSize - 1) : 0) : Math.max(((j + 0.5) * inSize) / outSize - 0.5, 0);
    if (s > 0 && Math.abs(s - Math.round(s)) < 1e-5) return AMBIGUOUS;
    const i0 = Math.floor(s);
    return i0 < inSize - 1 ? [i0, i0 + 1] : [i0];
  });
}
