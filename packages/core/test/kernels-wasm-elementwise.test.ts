/**
 * The wasm backend's memory-bound float32 kernels (relu, neg, abs, sign, reluBackward, add/sub/mul,
 * nearest resampling, 2×2 max pooling and its backward) against the js kernels: they compute the same f32
 * operations in the same order, so results must be bit-identical — on odd lengths (vector tails),
 * with NaN, ±0 and ±∞ in the data, and when a call is split into items on the worker pool.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { firstDifference } from './helpers.js';

const wasm = createWasmKernels({ threads: 1 });
// minParallelFlops 0: every call of several items runs on both threads.
const two = createWasmKernels({ threads: 2, minParallelFlops: 0 });
afterAll(() => Promise.all([wasm.dispose(), two.dispose()]));

/** Values in [-1, 1) with some specials, from a seed (xorshift32). */
function values(n: number, seed: number): Float32Array {
  const specials = [NaN, 0, -0, Infinity, -Infinity];
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    const u = (s >>> 0) / 2 ** 32;
    out[i] = u < 0.01 ? specials[Math.floor(u * 500)]! : 2 * u - 1;
  }
  return out;
}

// Lengths around the 2048-element threshold below which the js kernels run, and odd tails.
const lengthArb = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 2040, max: 5000 }));

describe('wasm elementwise kernels (float32) equal the js kernels bit for bit', () => {
  it('relu, neg, abs, sign and relu\'s backward', () => {
    fc.assert(fc.property(lengthArb, fc.integer(), (n, seed) => {
      const x = values(n, seed), g = values(n, seed + 1);
      const [a, b] = [new Float32Array(n).fill(7), new Float32Array(n).fill(7)];
      for (const op of ['relu', 'neg', 'abs', 'sign'] as const) {
        wasm.unary(op, x, a);
        jsKernels.unary(op, x, b);
        expect(a).toEqual(b);
      }
      wasm.reluBackward(g, x, a);
      jsKernels.reluBackward(g, x, b);
      expect(a).toEqual(b);
    }), { numRuns: 30 });
  });

  it('same-shape add, sub and mul, and the broadcasting and other ops it hands to js', () => {
    fc.assert(fc.property(lengthArb, fc.integer(), (n, seed) => {
      const x = values(n, seed), y = values(n, seed + 1);
      const [a, b] = [new Float32Array(n), new Float32Array(n)];
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        wasm.binary(op, x, [n], y, [n], a, [n]);
        jsKernels.binary(op, x, [n], y, [n], b, [n]);
        expect(a).toEqual(b);
      }
      wasm.binary('mul', x, [n], y.subarray(0, 1), [1], a, [n]);
      jsKernels.binary('mul', x, [n], y.subarray(0, 1), [1], b, [n]);
      expect(a).toEqual(b);
    }), { numRuns: 30 });
  });

  it('nearest resampling forward and backward (×2 pattern, general indices, rows of any width)', () => {
    const caseArb = fc.record({
      outer: fc.integer({ min: 1, max: 40 }), inSize: fc.integer({ min: 1, max: 70 }), inner: fc.integer({ min: 1, max: 9 }),
      mode: fc.constantFrom('double', 'random', 'same'), seed: fc.integer(),
    });
    fc.assert(fc.property(caseArb, ({ outer, inSize, inner, mode, seed }) => {
      const outSize = mode === 'double' ? 2 * inSize : mode === 'same' ? inSize : 1 + (Math.abs(seed) % 90);
      const i0 = Int32Array.from({ length: outSize }, (_, j) => (mode === 'double' ? j >> 1 : mode === 'same' ? j : Math.abs(seed * (j + 3)) % inSize));
      const w0 = new Float64Array(outSize).fill(1), w1 = new Float64Array(outSize);
      const x = values(outer * inSize * inner, seed);
      const [a, b] = [new Float32Array(outer * outSize * inner), new Float32Array(outer * outSize * inner)];
      wasm.resample1d(x, a, { outer: outer, inSize: inSize, inner: inner, outSize: outSize, i0: i0, i1: i0, w0: w0, w1: w1 });
      jsKernels.resample1d(x, b, { outer: outer, inSize: inSize, inner: inner, outSize: outSize, i0: i0, i1: i0, w0: w0, w1: w1 });
      expect(a).toEqual(b);
      // Backward accumulates into dx: start from the same non-zero values.
      const g = values(a.length, seed + 1);
      const dx0 = values(x.length, seed + 2);
      const [da, db] = [dx0.slice(), dx0.slice()];
      wasm.resample1dBackward(g, da, { outer: outer, inSize: inSize, inner: inner, outSize: outSize, i0: i0, i1: i0, w0: w0, w1: w1 });
      jsKernels.resample1dBackward(g, db, { outer: outer, inSize: inSize, inner: inner, outSize: outSize, i0: i0, i1: i0, w0: w0, w1: w1 });
      expect(da).toEqual(db);
    }), { numRuns: 60 });
  });

  it('2×2 stride-2 max pooling: values and indices (ties: first wins; NaN wins), odd sizes and row tails', () => {
    const caseArb = fc.record({
      planes: fc.integer({ min: 1, max: 6 }), h: fc.integer({ min: 2, max: 40 }), w: fc.integer({ min: 2, max: 70 }),
      ties: fc.boolean(), seed: fc.integer(),
    });
    fc.assert(fc.property(caseArb, ({ planes, h, w, ties, seed }) => {
      const [outH, outW] = [h >> 1, w >> 1];
      // With ties, values on a coarse grid so that windows often hold equal maxima.
      const x = values(planes * h * w, seed).map((v) => (ties ? Math.round(v * 2) / 2 : v));
      const m = planes * outH * outW;
      const [a, b] = [new Float32Array(m), new Float32Array(m)];
      const [ia, ib] = [new Int32Array(m), new Int32Array(m)];
      wasm.maxPool2d(x, a, ia, { planes: planes, h: h, w: w, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1, outH: outH, outW: outW });
      jsKernels.maxPool2d(x, b, ib, { planes: planes, h: h, w: w, kH: 2, kW: 2, sH: 2, sW: 2, pH: 0, pW: 0, dH: 1, dW: 1, outH: outH, outW: outW });
      expect(a).toEqual(b);
      expect(ia).toEqual(ib);
    }), { numRuns: 40 });
    // Other geometries (stride 1, padding) are the js kernel's.
    const x = values(3 * 20 * 30, 9), [a, b] = [new Float32Array(3 * 20 * 30), new Float32Array(3 * 20 * 30)];
    const [ia, ib] = [new Int32Array(a.length), new Int32Array(a.length)];
    wasm.maxPool2d(x, a, ia, { planes: 3, h: 20, w: 30, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1, outH: 20, outW: 30 });
    jsKernels.maxPool2d(x, b, ib, { planes: 3, h: 20, w: 30, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1, outH: 20, outW: 30 });
    expect([a, ia]).toEqual([b, ib]);
  });

  it("max pooling's backward scatter (any geometry: overlapping 3×3 windows, stride 1, padding) on 1 and 2 threads", () => {
    const caseArb = fc.record({ planes: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 8, max: 50 }), w: fc.integer({ min: 8, max: 50 }), seed: fc.integer() });
    fc.assert(fc.property(caseArb, ({ planes, h, w, seed }) => {
      fc.pre(planes * h * w >= 4096);
      const p = { planes, h, w, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1, outH: h, outW: w };
      const x = values(planes * h * w, seed);
      const [out, idx] = [new Float32Array(x.length), new Int32Array(x.length)];
      jsKernels.maxPool2d(x, out, idx, p);
      idx[seed & 1023] = -1; // an index outside the plane is skipped
      const g = values(out.length, seed + 1);
      const sizes = { planes, inPlane: h * w, outPlane: h * w };
      const [d1, d2, d3] = [values(x.length, seed + 2), values(x.length, seed + 2), values(x.length, seed + 2)]; // accumulates into dx
      wasm.maxPool2dBackward(g, idx, d1, sizes);
      two.maxPool2dBackward(g, idx, d2, sizes);
      jsKernels.maxPool2dBackward(g, idx, d3, sizes);
      expect([firstDifference(d1, d3), firstDifference(d2, d3)]).toEqual([-1, -1]);
    }), { numRuns: 15 });
  });

  it('split into items on the worker pool (lengths of several items): still the js kernels\' bits', () => {
    const arb = fc.record({ n: fc.integer({ min: 65537, max: 140000 }), outer: fc.integer({ min: 300, max: 500 }), seed: fc.integer() });
    fc.assert(fc.property(arb, ({ n, outer, seed }) => {
      const x = values(n, seed), y = values(n, seed + 1);
      const [a, b] = [new Float32Array(n), new Float32Array(n)];
      for (const op of ['relu', 'abs'] as const) {
        two.unary(op, x, a);
        jsKernels.unary(op, x, b);
        expect(firstDifference(a, b)).toBe(-1);
      }
      two.reluBackward(y, x, a);
      jsKernels.reluBackward(y, x, b);
      expect(firstDifference(a, b)).toBe(-1);
      two.binary('sub', x, [n], y, [n], a, [n]);
      jsKernels.binary('sub', x, [n], y, [n], b, [n]);
      expect(firstDifference(a, b)).toBe(-1);
      // ×2 nearest resampling of rows of 64 (inner 1) and of 8 × 16 rows (inner 16): several slices per item, several items.
      for (const [inSize, inner] of [[64, 1], [8, 16]] as const) {
        const outSize = 2 * inSize;
        const i0 = Int32Array.from({ length: outSize }, (_, j) => j >> 1);
        const p = { outer, inSize, inner, outSize, i0, i1: i0, w0: new Float64Array(outSize).fill(1), w1: new Float64Array(outSize) };
        const src = x.subarray(0, outer * inSize * inner);
        const [ra, rb] = [new Float32Array(outer * outSize * inner), new Float32Array(outer * outSize * inner)];
        two.resample1d(src, ra, p);
        jsKernels.resample1d(src, rb, p);
        expect(firstDifference(ra, rb)).toBe(-1);
        const [da, db] = [y.slice(0, src.length), y.slice(0, src.length)];
        two.resample1dBackward(ra, da, p);
        jsKernels.resample1dBackward(ra, db, p);
        expect(firstDifference(da, db)).toBe(-1);
      }
    }), { numRuns: 5 });
  });

  it('leaves bilinear weights and float64 to the js kernels', () => {
    const x = values(4096, 3);
    const i0 = Int32Array.from({ length: 128 }, (_, j) => j >> 1), i1 = Int32Array.from(i0, (v) => Math.min(v + 1, 63));
    const w0 = new Float64Array(128).fill(0.75), w1 = new Float64Array(128).fill(0.25);
    const [a, b] = [new Float32Array(8192), new Float32Array(8192)];
    wasm.resample1d(x, a, { outer: 64, inSize: 64, inner: 1, outSize: 128, i0: i0, i1: i1, w0: w0, w1: w1 });
    jsKernels.resample1d(x, b, { outer: 64, inSize: 64, inner: 1, outSize: 128, i0: i0, i1: i1, w0: w0, w1: w1 });
    expect(a).toEqual(b);
    const x64 = Float64Array.from(x), [c, d] = [new Float64Array(4096), new Float64Array(4096)];
    wasm.unary('relu', x64, c);
    jsKernels.unary('relu', x64, d);
    expect(c).toEqual(d);
  });
});
