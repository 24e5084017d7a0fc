/**
 * The wasm backend's general cross-entropy kernels (assembly/cross-entropy-multi.ts: up to 64
 * classes, index or probability targets, class weights, ignoreIndex, label smoothing, every
 * reduction) against the js kernels: losses and gradients within float32 rounding (f32 polynomials
 * for exp and log), the weight sum W exactly, NaN and infinities where the js kernel has them; bit
 * for bit on 1 and 2 threads; and either backend's forward followed by the other's backward.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import type { CrossEntropyParams, Kernels, LossReduction } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { xorshiftValues } from './helpers.js';

const one = createWasmKernels({ threads: 1 });
const two = createWasmKernels({ threads: 2, minParallelFlops: 0 });
afterAll(() => Promise.all([one.dispose(), two.dispose()]));

type CE = Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward'>;

interface Case {
  p: CrossEntropyParams;
  x: Float32Array; t: Int32Array | Float32Array; weight: Float32Array | null; up: Float32Array;
}

// The arbitrary draws the parameters; `build` makes the arrays (so a counterexample prints short).
const caseArb = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    c: fc.constantFrom(2, 3, 4, 5, 8, 13, 64),
    // Past the 1024-position threshold of the wasm path, past a work item (4096 positions) and with tails.
    S: fc.oneof(fc.integer({ min: 1100, max: 1110 }), fc.integer({ min: 4093, max: 4101 }), fc.integer({ min: 600, max: 700 })),
    probabilities: fc.boolean(), weighted: fc.boolean(), ignoreIndex: fc.constantFrom(-100, 0, 1),
    labelSmoothing: fc.constantFrom(0, 0, 0.1, 1), reduction: fc.constantFrom<LossReduction>('mean', 'sum', 'none'),
    scale: fc.constantFrom(1, 8, 60), specials: fc.boolean(), seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .filter((r) => r.n * r.S >= 1024 && !(r.c === 2 && !r.probabilities && r.labelSmoothing === 0)); // else the two-class kernel

type Draw = typeof caseArb extends fc.Arbitrary<infer R> ? R : never;

function build(r: Draw): Case {
  const P = r.n * r.S;
  const x = xorshiftValues(r.c * P, r.seed, r.scale, r.specials);
  const raw = xorshiftValues(P, r.seed + 1, 1, false);
  let t: Int32Array | Float32Array;
  if (r.probabilities) {
    // Non-negative rows summing to 1 (ignoreIndex must be -100 with probabilities).
    t = xorshiftValues(r.c * P, r.seed + 3, 1, false).map(Math.abs);
    for (let i = 0; i < r.n; i++) {
      for (let j = 0; j < r.S; j++) {
        let s = 0;
        for (let k = 0; k < r.c; k++) s += t[(i * r.c + k) * r.S + j]!;
        for (let k = 0; k < r.c; k++) t[(i * r.c + k) * r.S + j]! /= s;
      }
    }
  } else {
    // Every class, some ignored (-100 here even when ignoreIndex is a class).
    t = Int32Array.from(raw, (u) => (u < -0.9 ? -100 : Math.min(r.c - 1, Math.floor(((u + 0.9) / 1.9) * r.c))));
    if (r.ignoreIndex !== -100) t.forEach((v, i) => { if (v === -100) t[i] = r.ignoreIndex; });
  }
  const weight = r.weighted ? Float32Array.from({ length: r.c }, (_, k) => 0.5 + ((k * 7) % 5)) : null;
  const p = { n: r.n, c: r.c, spatial: r.S, ignoreIndex: r.probabilities ? -100 : r.ignoreIndex, labelSmoothing: r.labelSmoothing, reduction: r.reduction };
  return { p, x, t, weight, up: r.reduction === 'none' ? xorshiftValues(P, r.seed + 2, 2, false) : Float32Array.of(1.5) };
}

interface Result { loss: Float32Array; W: number; grad: Float32Array }

function run(forward: CE, c: Case, backward: CE = forward): Result {
  const P = c.p.n * c.p.spatial;
  const loss = new Float32Array(c.p.reduction === 'none' ? P : 1);
  const saved = forward.crossEntropyForward(c.x, c.t, c.weight, loss, null, c.p);
  const grad = new Float32Array(c.p.c * P).fill(7);
  const scale = c.p.reduction === 'mean' ? 1 / saved.denominator : 1;
  backward.crossEntropyBackward(c.x, c.t, c.weight, saved, c.up, grad, { ...c.p, reduction: 'mean', scale });
  return { loss, W: saved.denominator, grad };
}

/**
 * |a − b| ≤ rel·|b| + abs·max|b|, NaN where the other is NaN, equal infinities. The abs term: at the
 * target class the gradient is A·p_y − a with p_y near 1, computed in float32.
 */
function expectClose(a: Float32Array, b: Float32Array, rel: number, abs: number, what: string): void {
  let top = 0;
  for (const v of b) if (Number.isFinite(v)) top = Math.max(top, Math.abs(v));
  for (let i = 0; i < a.length; i++) {
    const [u, v] = [a[i]!, b[i]!];
    if (!Number.isFinite(v)) {
      if (!Object.is(u, v)) throw new Error(`${what}[${i}] = ${u}, js ${v}`);
    } else if (!(Math.abs(u - v) <= rel * Math.abs(v) + abs * top)) {
      throw new Error(`${what}[${i}] = ${u}, js ${v} (max |js| ${top})`);
    }
  }
}

/**
 * Where the js gradient has a NaN in a position's row, the wasm row is NaN throughout, as PyTorch's
 * (its log-softmax backward gives 0 − e^{NaN}·0 in every class, ignored positions too; the js kernel
 * leaves the finite classes of an ignored row at 0). Those rows are then copied from js for the comparison.
 */
function nanRows(got: Float32Array, want: Float32Array, p: CrossEntropyParams): void {
  for (let i = 0; i < p.n; i++) {
    for (let j = 0; j < p.spatial; j++) {
      const at = (k: number): number => (i * p.c + k) * p.spatial + j;
      let nan = false;
      for (let k = 0; k < p.c; k++) nan ||= Number.isNaN(want[at(k)]!);
      if (!nan) continue;
      for (let k = 0; k < p.c; k++) {
        if (!Number.isNaN(got[at(k)]!)) throw new Error(`grad (${i}, ${k}, ${j}) = ${got[at(k)]}, NaN expected in that row (js ${want[at(k)]})`);
        got[at(k)] = want[at(k)]!;
      }
    }
  }
}

describe('wasm cross-entropy kernels (up to 64 classes, float32)', () => {
  it('match the js kernels: loss, W and gradient (weights, ignoreIndex, smoothing, probabilities, reductions, tails, non-finite logits)', () => {
    fc.assert(fc.property(caseArb, (r) => {
      const c = build(r);
      const got = run(one, c), want = run(jsKernels, c);
      expect(got.W).toBe(want.W);
      expectClose(got.loss, want.loss, 1e-5, 1e-7, 'loss');
      nanRows(got.grad, want.grad, c.p);
      expectClose(got.grad, want.grad, 1e-5, 1e-6, 'grad');
    }), { numRuns: 30 });
  });

  it('give bit-identical results on 1 and 2 threads', () => {
    fc.assert(fc.property(caseArb, (r) => {
      const c = build(r);
      expect(run(two, c)).toEqual(run(one, c));
    }), { numRuns: 8 });
  });

  it("run either backend's backward after the other's forward", () => {
    fc.assert(fc.property(caseArb, (r) => {
      const c = build(r);
      // The js backward ignores the wasm forward's saved log-sum-exp and computes its own statistics.
      expect(run(one, c, jsKernels).grad).toEqual(run(jsKernels, c).grad);
      // The wasm backward ignores the js forward's statistics and computes the log-sum-exp again.
      const mixed = run(jsKernels, c, one), want = run(one, c);
      expect(mixed.loss).toEqual(run(jsKernels, c).loss);
      expect(mixed.grad).toEqual(want.grad);
    }), { numRuns: 4 });
  });

  it("write, when asked, the backward's gradient for upstream 1 in the forward: the same bits, on 1 and 2 threads", () => {
    fc.assert(fc.property(caseArb.filter((r) => r.reduction !== 'none'), (r) => {
      const c = build(r);
      const want = run(one, { ...c, up: Float32Array.of(1) });
      for (const k of [one, two]) {
        const [loss, grad] = [new Float32Array(1), new Float32Array(c.x.length).fill(7)];
        expect(k.crossEntropyForward(c.x, c.t, c.weight, loss, grad, c.p).denominator).toBe(want.W);
        expect(loss).toEqual(want.loss);
        expect(grad).toEqual(want.grad);
      }
    }), { numRuns: 12 });
  });

  it('find the first index target outside [0, C) that is not ignoreIndex, as the js kernel, on 1 and 2 threads', () => {
    const arb = fc.record({
      length: fc.oneof(fc.integer({ min: 1024, max: 1040 }), fc.integer({ min: 4090, max: 9000 }), fc.integer({ min: 1, max: 1023 })),
      c: fc.constantFrom(2, 3, 8, 64), ignoreIndex: fc.constantFrom(-100, 0, 255),
      bad: fc.array(fc.tuple(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.constantFrom(-1, -101, 64, 65, 2 ** 31 - 1, -(2 ** 31))), { maxLength: 3 }),
      seed: fc.integer({ min: 1, max: 1 << 30 }),
    });
    fc.assert(fc.property(arb, (r) => {
      const t = Int32Array.from(xorshiftValues(r.length, r.seed, 1, false), (u) => (u < -0.9 ? r.ignoreIndex : Math.min(r.c - 1, Math.floor(((u + 1) / 2) * r.c))));
      for (const [at, v] of r.bad) if (v >= r.c && v !== r.ignoreIndex || v < 0 && v !== r.ignoreIndex) t[Math.floor(at * r.length)] = v;
      const p = { c: r.c, ignoreIndex: r.ignoreIndex };
      const want = jsKernels.firstInvalidTarget(t, p);
      expect(one.firstInvalidTarget(t, p)).toBe(want);
      expect(two.firstInvalidTarget(t, p)).toBe(want);
    }), { numRuns: 60 });
  });

  it('hand more than 64 classes, float64 logits and small inputs to the js kernels', () => {
    const p = { n: 1, c: 65, spatial: 1200, ignoreIndex: -100, labelSmoothing: 0, reduction: 'mean' as const };
    const x = xorshiftValues(p.c * p.spatial, 5, 3, false), t = Int32Array.from({ length: p.spatial }, (_, i) => i % p.c);
    const [a, b] = [new Float32Array(1), new Float32Array(1)];
    expect(one.crossEntropyForward(x, t, null, a, null, p).stats).not.toBeNull();
    jsKernels.crossEntropyForward(x, t, null, b, null, p);
    expect(a).toEqual(b);
    const q = { ...p, c: 3, spatial: 2000 };
    const x64 = Float64Array.from(xorshiftValues(3 * 2000, 6, 3, false)), [c, d] = [new Float64Array(1), new Float64Array(1)];
    expect(one.crossEntropyForward(x64, t.subarray(0, 2000).map((v) => v % 3), null, c, null, q).stats).not.toBeNull();
    jsKernels.crossEntropyForward(x64, t.subarray(0, 2000).map((v) => v % 3), null, d, null, q);
    expect(c).toEqual(d);
    const small = { ...q, spatial: 1000 };
    expect(one.crossEntropyForward(x.subarray(0, 3000), t.subarray(0, 1000).map((v) => v % 3), null, a, null, small).stats).not.toBeNull();
  });
});
