/**
 * The wasm backend's batch-normalisation kernels against the js kernels: affine and combine bit
 * for bit (the same float64 expression, rounded once), moments and gradient sums to float64
 * rounding (a different summation order); and the reuse of staged arrays between the two calls of
 * a pair, which must never pick up another array.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';

const wasm = createWasmKernels({ threads: 1 });
afterAll(() => wasm.dispose());

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

});
