/**
 * The wasm backend's fused convolution kernels (conv2dForward / conv2dBackward) against the js
 * kernels (the reference) on random geometries — odd sizes, strides, padding (also larger than the
 * kernel reach), dilation, groups, bias — and across thread counts: 1 and 2 threads (and the
 * relaxed-SIMD build) must give bit-identical results.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import type { Conv2dGeometry } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';

const one = createWasmKernels({ threads: 1, relaxed: false });
// minParallelFlops 0 and minItemExtent 8: even tiny convs are cut into items run by the pool.
const two = createWasmKernels({ threads: 2, minParallelFlops: 0, minItemExtent: 8, relaxed: false });
const fusedOne = createWasmKernels({ threads: 1, relaxed: true });
const fusedTwo = createWasmKernels({ threads: 2, minParallelFlops: 0, minItemExtent: 8, relaxed: true });
afterAll(async () => {
  await Promise.all([one.dispose(), two.dispose(), fusedOne.dispose(), fusedTwo.dispose()]);
});

/** Deterministic values in [-1, 1) from a seed (xorshift32). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

interface Case { g: Conv2dGeometry; bias: boolean; seed: number }

const outSize = (size: number, k: number, s: number, p: number, d: number, extra: number): number =>
  Math.floor((size + 2 * p + extra - d * (k - 1) - 1) / s) + 1;

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }), groups: fc.integer({ min: 1, max: 3 }),
    cInG: fc.integer({ min: 1, max: 4 }), cOutG: fc.integer({ min: 1, max: 6 }),
    h: fc.integer({ min: 1, max: 13 }), w: fc.integer({ min: 1, max: 13 }),
    kH: fc.integer({ min: 1, max: 4 }), kW: fc.integer({ min: 1, max: 4 }),
    sH: fc.integer({ min: 1, max: 3 }), sW: fc.integer({ min: 1, max: 3 }),
    pH: fc.integer({ min: 0, max: 3 }), pW: fc.integer({ min: 0, max: 3 }),
    dH: fc.integer({ min: 1, max: 2 }), dW: fc.integer({ min: 1, max: 2 }),
    // An extra bottom/right padding row/column (asymmetric, as padding 'same' with an even kernel).
    extraH: fc.integer({ min: 0, max: 1 }), extraW: fc.integer({ min: 0, max: 1 }),
    bias: fc.boolean(), seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .map((r) => {
    const outH = outSize(r.h, r.kH, r.sH, r.pH, r.dH, r.extraH);
    const outW = outSize(r.w, r.kW, r.sW, r.pW, r.dW, r.extraW);
    const g: Conv2dGeometry = {
      n: r.n, c: r.cInG * r.groups, h: r.h, w: r.w, cOut: r.cOutG * r.groups, groups: r.groups,
      kH: r.kH, kW: r.kW, sH: r.sH, sW: r.sW, pH: r.pH, pW: r.pW, dH: r.dH, dW: r.dW, outH, outW,
    };
    return { g, bias: r.bias, seed: r.seed };
  })
  .filter((c) => c.g.outH >= 1 && c.g.outW >= 1);

interface Result { y: Float32Array; dx: Float32Array; dw: Float32Array; db: Float32Array }

function operands(c: Case): { x: Float32Array; w: Float32Array; b: Float32Array | null; gy: Float32Array } {
  const { g } = c;
  return {
    x: values(g.n * g.c * g.h * g.w, c.seed),
    w: values(g.cOut * (g.c / g.groups) * g.kH * g.kW, c.seed + 1),
    b: c.bias ? values(g.cOut, c.seed + 2) : null,
    gy: values(g.n * g.cOut * g.outH * g.outW, c.seed + 3),
  };
}

function run(k: Pick<typeof jsKernels, 'conv2dForward' | 'conv2dBackward'>, c: Case): Result {
  const { g } = c;
  const { x, w, b, gy } = operands(c);
  // Outputs start as NaN: a kernel must write every element.
  const y = new Float32Array(gy.length).fill(NaN);
  const dx = new Float32Array(x.length).fill(NaN);
  const dw = new Float32Array(w.length).fill(NaN);
  const db = new Float32Array(g.cOut).fill(NaN);
  k.conv2dForward(x, w, b, g, y);
  k.conv2dBackward(gy, x, w, g, dx, dw, db);
  return { y, dx, dw, db };
}

/** |got − want| ≤ 1e-5·√terms·scale, scale the same result computed on |operands| in float64. */
function expectClose(c: Case, got: Result): void {
  const want = run(jsKernels, c);
  const { g } = c;
  const { x, w, b, gy } = operands(c);
  const abs = (a: Float32Array): Float64Array => Float64Array.from(a, Math.abs);
  const f64 = (n: number): Float64Array => new Float64Array(n);
  const scale = { y: f64(gy.length), dx: f64(x.length), dw: f64(w.length), db: f64(g.cOut) };
  jsKernels.conv2dForward(abs(x), abs(w), b ? abs(b) : null, g, scale.y);
  jsKernels.conv2dBackward(abs(gy), abs(x), abs(w), g, scale.dx, scale.dw, scale.db);
  const terms = { y: (g.c / g.groups) * g.kH * g.kW, dx: g.cOut * g.kH * g.kW, dw: g.n * g.outH * g.outW, db: g.n * g.outH * g.outW };
  for (const key of ['y', 'dx', 'dw', 'db'] as const) {
    const a = got[key], e = want[key], s = scale[key];
    for (let i = 0; i < a.length; i++) {
      const err = Math.abs(a[i]! - e[i]!);
      if (!(err <= 1e-5 * Math.sqrt(terms[key]) * s[i]! + 1e-30)) {
        throw new Error(`${key}[${i}] = ${a[i]} vs js ${e[i]} (scale ${s[i]}) in ${JSON.stringify(c)}`);
      }
    }
  }
}

describe('wasm conv2d kernels (float32)', () => {
  it('zero-pad taps that reach past the image with no padding (the extra row of \'same\' with an even kernel)', () => {
    // Found by the property below: the unpadded fast paths read past the image rows, at unit and
    // at larger stride, instead of zeros (dw[0] 2.366 vs 0.805; y[7] 1.429 vs 0.797).
    const cases: Conv2dGeometry[] = [
      { n: 1, c: 4, h: 1, w: 13, cOut: 1, groups: 1, kH: 1, kW: 2, sH: 1, sW: 1, pH: 0, pW: 0, dH: 1, dW: 1, outH: 2, outW: 12 },
      { n: 1, c: 1, h: 1, w: 9, cOut: 1, groups: 1, kH: 1, kW: 2, sH: 2, sW: 1, pH: 0, pW: 0, dH: 1, dW: 2, outH: 1, outW: 8 },
    ];
    for (const g of cases) for (const k of [one, two]) expectClose({ g, bias: false, seed: 1 }, run(k, { g, bias: false, seed: 1 }));
  });

  it('match the js kernels on random geometries (strides, padding, dilation, groups, bias)', () => {
    fc.assert(fc.property(caseArb, (c) => expectClose(c, run(one, c))), { numRuns: 80 });
  });

  it('give bit-identical results on 1 and 2 threads, in both builds', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(two, c)).toEqual(run(one, c));
        expect(run(fusedTwo, c)).toEqual(run(fusedOne, c));
      }),
      { numRuns: 30 },
    );
  });

  // Past the cache blocks: kg = 29·3·3 = 261 > KC (two k-blocks), OH·OW = 20·17 = 340 > NC, M = 130 > MC.
  const big: [string, Partial<Conv2dGeometry>][] = [
    ['wide and deep', { n: 1, c: 29, h: 20, w: 17, cOut: 130, kH: 3, kW: 3, pH: 1, pW: 1 }],
    ['a decoder conv 48→16 at 32×32, two images', { n: 2, c: 48, h: 32, w: 32, cOut: 16, kH: 3, kW: 3, pH: 1, pW: 1 }],
    ['strided and dilated 5×5', { n: 2, c: 7, h: 23, w: 19, cOut: 9, kH: 5, kW: 5, sH: 2, sW: 3, pH: 4, pW: 2, dH: 2, dW: 1 }],
    // Unit stride with output widths of whole 8-column panels: the image is padded once and packed
    // straight from its rows (the fast path), with dilation, groups and a pointwise kernel.
    ["'same' 3×3 dilated by 2, 2 groups, 24 wide", { n: 2, c: 6, h: 9, w: 24, cOut: 10, groups: 2, kH: 3, kW: 3, pH: 2, pW: 2, dH: 2, dW: 2 }],
    ['pointwise 1×1 at 16 wide', { n: 3, c: 5, h: 7, w: 16, cOut: 11, kH: 1, kW: 1 }],
    ["'same' 5×3 (asymmetric kernel), 8 wide", { n: 1, c: 3, h: 12, w: 8, cOut: 4, kH: 5, kW: 3, pH: 2, pW: 1 }],
  ];
  it.each(big)('match js and are thread-count independent: %s', (_, partial) => {
    const base = { n: 1, c: 1, h: 1, w: 1, cOut: 1, groups: 1, kH: 1, kW: 1, sH: 1, sW: 1, pH: 0, pW: 0, dH: 1, dW: 1, ...partial };
    const g: Conv2dGeometry = {
      ...base,
      outH: outSize(base.h, base.kH, base.sH, base.pH, base.dH, 0),
      outW: outSize(base.w, base.kW, base.sW, base.pW, base.dW, 0),
    };
    const c: Case = { g, bias: true, seed: g.c * 31 + g.cOut };
    const single = run(one, c);
    expectClose(c, single);
    expect(run(two, c)).toEqual(single);
    expect(run(fusedTwo, c)).toEqual(run(fusedOne, c));
  });

  it('falls back to the js kernels for float64 (bit-identical)', () => {
    const g: Conv2dGeometry = { n: 2, c: 3, h: 5, w: 4, cOut: 2, groups: 1, kH: 3, kW: 2, sH: 1, sW: 1, pH: 1, pW: 0, dH: 1, dW: 1, outH: 5, outW: 3 };
    const x = Float64Array.from(values(120, 4)), w = Float64Array.from(values(36, 5)), gy = Float64Array.from(values(60, 6));
    const mine = { y: new Float64Array(60), dx: new Float64Array(120), dw: new Float64Array(36) };
    const ref = { y: new Float64Array(60), dx: new Float64Array(120), dw: new Float64Array(36) };
    one.conv2dForward(x, w, null, g, mine.y);
    one.conv2dBackward(gy, x, w, g, mine.dx, mine.dw, null);
    jsKernels.conv2dForward(x, w, null, g, ref.y);
    jsKernels.conv2dBackward(gy, x, w, g, ref.dx, ref.dw, null);
    expect(mine).toEqual(ref);
  });
});
