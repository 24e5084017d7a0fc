/**
 * The wasm backend's Winograd F(2×2, 3×3) convolutions (forward, input gradient, weight gradient of
 * 3×3 stride-1 convs): their error against float64 — on PyTorch's reference cases (fixtures, float64
 * values run in float32 here) and on random shapes — and their independence of the thread count.
 * The bound is normwise: max |got − want| ≤ 1e-5 · max |want| over each result tensor (elementwise
 * relative error means nothing next to a zero output; see docs/performance.md for the trade-off).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import type { Conv2dGeometry } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { fixtureNumber, loadFixture, type FixtureFile, type OpCase } from './fixtures/load.js';

// Winograd for every conv it can run (the default skips small ones where the direct GEMM is faster).
const options = { winograd: 'always', minParallelFlops: 0, minItemExtent: 8 } as const;
const one = createWasmKernels({ ...options, threads: 1, relaxed: false });
const two = createWasmKernels({ ...options, threads: 2, relaxed: false });
const fusedOne = createWasmKernels({ ...options, threads: 1, relaxed: true });
const fusedTwo = createWasmKernels({ ...options, threads: 2, relaxed: true });
afterAll(async () => {
  await Promise.all([one, two, fusedOne, fusedTwo].map((k) => k.dispose()));
});

type Kernels = typeof one;
interface Grads { y: Float32Array; dx: Float32Array; dw: Float32Array }
interface Exact { y: Float64Array; dx: Float64Array; dw: Float64Array }

function run(k: Kernels, g: Conv2dGeometry, x: Float32Array, w: Float32Array, gy: Float32Array, b: Float32Array | null = null): Grads {
  const r = { y: new Float32Array(gy.length).fill(NaN), dx: new Float32Array(x.length).fill(NaN), dw: new Float32Array(w.length).fill(NaN) };
  k.conv2dForward(x, w, b, g, r.y);
  k.conv2dBackward(gy, x, w, g, r.dx, r.dw, null);
  return r;
}

/** max |got − want| / max |want| (0 for an all-zero want matched exactly). */
function normwise(got: Float32Array, want: Float64Array): number {
  let err = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    err = Math.max(err, Math.abs(got[i]! - want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return scale === 0 ? err : err / scale;
}

function expectWithin(got: Grads, want: Exact, bound: number, what: string): void {
  for (const key of ['y', 'dx', 'dw'] as const) {
    const e = normwise(got[key], want[key]);
    if (!(e <= bound)) throw new Error(`${what}: ${key} normwise relative error ${e.toExponential(2)} > ${bound}`);
  }
}

/** Runs Winograd on every kernel set: within `bound` of want, the same bits on 1 and 2 threads. */
function check(g: Conv2dGeometry, x: Float32Array, w: Float32Array, gy: Float32Array, want: Exact, what: string, b: Float32Array | null = null): void {
  const before = [one, fusedOne].map((k) => k.runtime.jobCount('winogradF32Item') + k.runtime.jobCount('winogradWeightGradF32Item'));
  const plain = run(one, g, x, w, gy, b);
  const fused = run(fusedOne, g, x, w, gy, b);
  // Forward, input gradient and weight gradient: three Winograd jobs each.
  expect([one, fusedOne].map((k, i) => k.runtime.jobCount('winogradF32Item') + k.runtime.jobCount('winogradWeightGradF32Item') - before[i]!)).toEqual([3, 3]);
  expectWithin(plain, want, 1e-5, `${what} (plain SIMD)`);
  expectWithin(fused, want, 1e-5, `${what} (fused multiply-add)`);
  expect(run(two, g, x, w, gy, b)).toEqual(plain);
  expect(run(fusedTwo, g, x, w, gy, b)).toEqual(fused);
}

/** The reference conv2d cases Winograd runs: 3×3, stride 1, no dilation, one group. */
function winogradCases(): { name: string; c: OpCase }[] {
  const files = ['ops.torch.json', 'spatial-extra.torch.json', 'extra-ops.torch.json'];
  return files.flatMap((file) => loadFixture<FixtureFile<OpCase>>(file).cases
    .map((c, i) => ({ name: `${file} case ${i}`, c }))
    .filter(({ c }) => {
      const o = c.options as Record<string, unknown>;
      const ones = (v: unknown): boolean => v === undefined || v === 1 || (Array.isArray(v) && v.every((d) => d === 1));
      const ws = c.inputs.weight?.shape ?? [];
      return c.op === 'conv2d' && ws[2] === 3 && ws[3] === 3 && ones(o.stride) && ones(o.dilation) && ones(o.groups);
    }));
}

const f32 = (t: { data: (number | string)[] }): Float32Array => Float32Array.from(t.data, fixtureNumber);
const f64 = (t: { data: (number | string)[] }): Float64Array => Float64Array.from(t.data, fixtureNumber);

describe('wasm Winograd F(2×2, 3×3) convolutions', () => {
  const cases = winogradCases();
  it('the fixtures have 3×3 stride-1 conv2d cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));

  it.each(cases.map(({ name, c }) => [name, c] as const))('match PyTorch within 1e-5 (normwise) on %s', (name, c) => {
    let xShape = c.inputs.input!.shape;
    if (xShape.length === 3) xShape = [1, ...xShape];
    const [n, ch, h, w] = xShape as [number, number, number, number];
    const [cOut] = c.inputs.weight!.shape as [number];
    const [outH, outW] = (c.output.shape.length === 3 ? c.output.shape.slice(1) : c.output.shape.slice(2)) as [number, number];
    const p = c.options.padding;
    const pad: [number, number] = p === 'valid' || p === undefined ? [0, 0] : p === 'same' ? [1, 1] : typeof p === 'number' ? [p, p] : (p as [number, number]);
    const g: Conv2dGeometry = { n, c: ch, h, w, cOut, groups: 1, kH: 3, kW: 3, sH: 1, sW: 1, pH: pad[0], pW: pad[1], dH: 1, dW: 1, outH, outW };
    const want = { y: f64(c.output), dx: f64(c.grads.input!), dw: f64(c.grads.weight!) };
    const bias = c.inputs.bias ? f32(c.inputs.bias) : null;
    check(g, f32(c.inputs.input!), f32(c.inputs.weight!), f32(c.upstream), want, name, bias);
  });

  /** A random case: shapes up to the tile-grid edges (odd sizes, padding 0–2, up to 12 channels). */
  const caseArb = fc.record({
    n: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 12 }), k: fc.integer({ min: 1, max: 12 }),
    h: fc.integer({ min: 1, max: 14 }), w: fc.integer({ min: 1, max: 14 }),
    pH: fc.integer({ min: 0, max: 2 }), pW: fc.integer({ min: 0, max: 2 }), seed: fc.integer({ min: 1, max: 1 << 30 }),
  }).filter((r) => r.h + 2 * r.pH >= 3 && r.w + 2 * r.pW >= 3);

  it('match float64 within 1e-5 (normwise) on random shapes, the same bits on 1 and 2 threads', () => {
    fc.assert(fc.property(caseArb, (r) => {
      const g: Conv2dGeometry = {
        n: r.n, c: r.c, h: r.h, w: r.w, cOut: r.k, groups: 1, kH: 3, kW: 3, sH: 1, sW: 1, pH: r.pH, pW: r.pW, dH: 1, dW: 1,
        outH: r.h + 2 * r.pH - 2, outW: r.w + 2 * r.pW - 2,
      };
      let s = r.seed;
      const rnd = (len: number): Float32Array => Float32Array.from({ length: len }, () => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        return s / 2 ** 31 - 1;
      });
      const x = rnd(g.n * g.c * g.h * g.w), w = rnd(g.cOut * g.c * 9), gy = rnd(g.n * g.cOut * g.outH * g.outW);
      const want = { y: new Float64Array(gy.length), dx: new Float64Array(x.length), dw: new Float64Array(w.length) };
      jsKernels.conv2dForward(Float64Array.from(x), Float64Array.from(w), null, g, want.y);
      jsKernels.conv2dBackward(Float64Array.from(gy), Float64Array.from(x), Float64Array.from(w), g, want.dx, want.dw, null);
      check(g, x, w, gy, want, JSON.stringify(r));
    }), { numRuns: 40 });
  });

  it("'auto' runs it where it measured faster, 'never' nowhere", async () => {
    const auto = createWasmKernels({ threads: 1 }), never = createWasmKernels({ threads: 1, winograd: 'never' });
    /** Whether the forward and the weight gradient of an n × c → c conv at s × s ran by Winograd. */
    const ran = (k: Kernels, n: number, c: number, s: number): [boolean, boolean] => {
      const jobs = (): [number, number] => [k.runtime.jobCount('winogradF32Item'), k.runtime.jobCount('winogradWeightGradF32Item')];
      const before = jobs();
      const g: Conv2dGeometry = { n, c, h: s, w: s, cOut: c, groups: 1, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1, outH: s, outW: s };
      const x = new Float32Array(n * c * s * s), w = new Float32Array(c * c * 9);
      k.conv2dForward(x, w, null, g, new Float32Array(x.length));
      k.conv2dBackward(new Float32Array(x.length), x, w, g, null, new Float32Array(w.length), null);
      const after = jobs();
      return [after[0] > before[0], after[1] > before[1]];
    };
    // 16 channels at 8 × 8: both; 3 channels (an RGB input): neither; a 4 × 4 output (a tile grid 2× as
    // wide): the forward only (the weight gradient's GEMM is cheaper there); 'never': neither.
    expect([ran(auto, 2, 16, 8), ran(auto, 2, 3, 8), ran(auto, 2, 16, 4), ran(never, 2, 16, 8)])
      .toEqual([[true, true], [false, false], [true, false], [false, false]]);
    await Promise.all([auto.dispose(), never.dispose()]);
  });

  it('run the segmenter-sized layers within 1e-6 (normwise) of float64', () => {
    // 32 → 32 channels at 32 × 32 over 2 images: several blocks of tiles per image, chunked work items.
    const g: Conv2dGeometry = { n: 2, c: 32, h: 32, w: 32, cOut: 32, groups: 1, kH: 3, kW: 3, sH: 1, sW: 1, pH: 1, pW: 1, dH: 1, dW: 1, outH: 32, outW: 32 };
    let s = 99;
    const rnd = (len: number, a: number): Float32Array => Float32Array.from({ length: len }, () => {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      return a * (s / 2 ** 31 - 1);
    });
    const x = rnd(2 * 32 * 32 * 32, 1), w = rnd(32 * 32 * 9, 1 / Math.sqrt(288)), gy = rnd(2 * 32 * 32 * 32, 1);
    const want = { y: new Float64Array(gy.length), dx: new Float64Array(x.length), dw: new Float64Array(w.length) };
    jsKernels.conv2dForward(Float64Array.from(x), Float64Array.from(w), null, g, want.y);
    jsKernels.conv2dBackward(Float64Array.from(gy), Float64Array.from(x), Float64Array.from(w), g, want.dx, want.dw, null);
    check(g, x, w, gy, want, '32 → 32 at 32 × 32');
    expectWithin(run(fusedOne, g, x, w, gy), want, 1e-6, '32 → 32 at 32 × 32');
  });
});
