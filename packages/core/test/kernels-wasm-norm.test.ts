/**
 * The wasm backend's batch-normalisation kernels against the js kernels: affine and combine bit
 * for bit (the same float64 expression, rounded once), moments and gradient sums to float64
 * rounding (a different summation order); the same bits on the worker pool as on one thread (and
 * for 2×2 max pooling, whose planes are items too).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { firstDifference } from './helpers.js';

const wasm = createWasmKernels({ threads: 1 });
// minParallelFlops 0: every call runs its items on both threads.
const two = createWasmKernels({ threads: 2, minParallelFlops: 0 });
afterAll(() => Promise.all([wasm.dispose(), two.dispose()]));

function values(n: number, seed: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = offset + 3 * ((s >>> 0) / 2 ** 32) - 1;
  }
  return out;
}
const f64s = (c: number, seed: number): Float64Array => Float64Array.from(values(c, seed), (v) => v * 1.37);

const caseArb = fc.record({
  n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 5 }), inner: fc.integer({ min: 1400, max: 2100 }), seed: fc.integer(),
});

function expectClose(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(b[i]!)));
}

describe('wasm batch-norm kernels (float32)', () => {
  it('moments and affine: the forward pair', () => {
    fc.assert(fc.property(caseArb, ({ n, c, inner, seed }) => {
      const x = values(n * c * inner, seed, 5); // an offset mean: the two-pass variance matters
      const [m1, v1, m2, v2] = [new Float64Array(c), new Float64Array(c), new Float64Array(c), new Float64Array(c)];
      wasm.channelMoments(x, m1, v1, { n, c, inner });
      jsKernels.channelMoments(x, m2, v2, { n, c, inner });
      expectClose(m1, m2);
      expectClose(v1, v2);
      const [scale, shift] = [f64s(c, seed + 1), f64s(c, seed + 2)];
      const [a, b] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasm.channelAffine(x, scale, shift, a, { n, c, inner });
      jsKernels.channelAffine(x, scale, shift, b, { n, c, inner });
      expect(a).toEqual(b);
    }), { numRuns: 25 });
  });

  it('gradient sums and combine: the backward pair', () => {
    fc.assert(fc.property(caseArb, ({ n, c, inner, seed }) => {
      const g = values(n * c * inner, seed), x = values(n * c * inner, seed + 1);
      const center = f64s(c, seed + 2);
      const [s1, t1, s2, t2] = [new Float64Array(c), new Float64Array(c), new Float64Array(c), new Float64Array(c)];
      wasm.channelGradSums(g, x, center, s1, t1, { n, c, inner });
      jsKernels.channelGradSums(g, x, center, s2, t2, { n, c, inner });
      expectClose(s1, s2);
      expectClose(t1, t2);
      const [a, b, shift] = [f64s(c, seed + 3), f64s(c, seed + 4), f64s(c, seed + 5)];
      const [o1, o2] = [new Float32Array(x.length), new Float32Array(x.length)];
      wasm.channelCombine(g, x, a, b, center, shift, o1, { n, c, inner });
      jsKernels.channelCombine(g, x, a, b, center, shift, o2, { n, c, inner });
      expect(o1).toEqual(o2);
    }), { numRuns: 25 });
  });

  it('on the worker pool: the same bits as on one thread, whatever the split into items', () => {
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 5 }), inner: fc.integer({ min: 1400, max: 5000 }),
      relu: fc.boolean(), masked: fc.boolean(), seed: fc.integer(),
    });
    fc.assert(fc.property(arb, ({ n, c, inner, relu, masked, seed }) => {
      const size = n * c * inner;
      const x = values(size, seed, 5), g = values(size, seed + 1);
      const v = { n, c, inner, relu, reluMask: masked ? values(size, seed + 2) : null };
      const both = <T>(f: (k: typeof wasm) => T): [T, T] => [f(wasm), f(two)];
      const [[m1, v1], [m2, v2]] = both((k) => {
        const [m, va] = [new Float64Array(c), new Float64Array(c)];
        k.channelMoments(x, m, va, v);
        return [m, va];
      });
      expect(m2).toEqual(m1);
      expect(v2).toEqual(v1);
      const [scale, shift, b] = [f64s(c, seed + 3), f64s(c, seed + 4), f64s(c, seed + 5)];
      const affine = both((k) => { const o = new Float32Array(size); k.channelAffine(x, scale, shift, o, v); return o; });
      expect(firstDifference(affine[1], affine[0])).toBe(-1);
      const sums = both((k) => {
        const [s, t] = [new Float64Array(c), new Float64Array(c)];
        k.channelGradSums(g, x, m1, s, t, v);
        return [s, t];
      });
      expect(sums[1]).toEqual(sums[0]);
      const combine = both((k) => { const o = new Float32Array(size); k.channelCombine(g, x, scale, b, m1, shift, o, v); return o; });
      expect(firstDifference(combine[1], combine[0])).toBe(-1);
    }), { numRuns: 10 });
  });

  it('2×2 max pooling on the worker pool: the same values and indices as on one thread', () => {
    const arb = fc.record({ planes: fc.integer({ min: 1, max: 9 }), h: fc.integer({ min: 8, max: 70 }), w: fc.integer({ min: 8, max: 70 }), seed: fc.integer() });
    fc.assert(fc.property(arb, ({ planes, h, w, seed }) => {
      fc.pre(planes * h * w >= 4096); // the wasm kernel's smallest input
      const outH = h >> 1, outW = w >> 1;
      const p = { planes, h, w, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1, outH, outW };
      const x = values(planes * h * w, seed);
      const run = (k: typeof wasm): [Float32Array, Int32Array] => {
        const out = new Float32Array(planes * outH * outW), idx = new Int32Array(out.length);
        k.maxPool2d(x, out, idx, p);
        return [out, idx];
      };
      const [o1, i1] = run(wasm), [o2, i2] = run(two);
      const out = new Float32Array(o1.length), idx = new Int32Array(o1.length);
      jsKernels.maxPool2d(x, out, idx, p);
      expect([firstDifference(o2, o1), firstDifference(i2, i1), firstDifference(o1, out), firstDifference(i1, idx)]).toEqual([-1, -1, -1, -1]);
    }), { numRuns: 15 });
  });
});
