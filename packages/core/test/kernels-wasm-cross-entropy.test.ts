/**
 * The wasm backend's two-class cross-entropy kernels against the js kernels: losses and gradients
 * within float32 rounding (f32 polynomials for exp and log1p), the weight sum W exactly, NaN and
 * infinities where the js kernel has them; across thread counts bit for bit; and a wasm forward
 * (which saves no stats) followed by the js backward (which then computes them).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { jsKernels } from '../src/kernels/js.js';
import type { LossReduction } from '../src/kernels/types.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';
import { xorshiftValues } from './helpers.js';

const one = createWasmKernels({ threads: 1 });
const two = createWasmKernels({ threads: 2, minParallelFlops: 0 });
afterAll(() => Promise.all([one.dispose(), two.dispose()]));

interface Case {
  n: number; S: number; weight: Float32Array | null; ignoreIndex: number; reduction: LossReduction;
  x: Float32Array; t: Int32Array; up: Float32Array;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    // Past the 1024-position threshold of the wasm path, past a work item (8192) and with tails.
    S: fc.oneof(fc.integer({ min: 1100, max: 1200 }), fc.integer({ min: 8190, max: 8200 }), fc.integer({ min: 300, max: 700 })),
    weighted: fc.boolean(), ignoreIndex: fc.constantFrom(-100, 0, 1), reduction: fc.constantFrom<LossReduction>('mean', 'sum', 'none'),
    scale: fc.constantFrom(1, 8, 60), specials: fc.boolean(), seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .map((r) => {
    const P = r.n * r.S;
    const x = xorshiftValues(2 * P, r.seed, r.scale, r.specials);
    const raw = xorshiftValues(P, r.seed + 1, 1, false);
    // Targets: mostly 0, some 1, some ignored (-100 here even when ignoreIndex is a class).
    const t = Int32Array.from(raw, (u) => (u > 0.8 ? 1 : u < -0.9 ? -100 : 0));
    if (r.ignoreIndex !== -100) t.forEach((v, i) => { if (v === -100) t[i] = r.ignoreIndex; });
    return {
      n: r.n, S: r.S, weight: r.weighted ? Float32Array.of(0.7, 3.5) : null, ignoreIndex: r.ignoreIndex,
      reduction: r.reduction, x, t, up: r.reduction === 'none' ? xorshiftValues(P, r.seed + 2, 2, false) : Float32Array.of(1.5),
    };
  });

interface Result { loss: Float32Array; W: number; grad: Float32Array }

function run(k: Pick<typeof jsKernels, 'crossEntropyForward' | 'crossEntropyBackward'>, c: Case, backward = k): Result {
  const P = c.n * c.S;
  const loss = new Float32Array(c.reduction === 'none' ? P : 1);
  const saved = k.crossEntropyForward(c.x, c.t, c.weight, loss, null, { n: c.n, c: 2, spatial: c.S, ignoreIndex: c.ignoreIndex, labelSmoothing: 0, reduction: c.reduction });
  const grad = new Float32Array(2 * P).fill(7);
  const W = saved.denominator;
  backward.crossEntropyBackward(c.x, c.t, c.weight, saved, c.up, grad, { n: c.n, c: 2, spatial: c.S, ignoreIndex: c.ignoreIndex, labelSmoothing: 0, reduction: 'mean', scale: c.reduction === 'mean' ? 1 / W : 1 });
  return { loss, W, grad };
}

/** |a − b| ≤ rel·|b| + abs, NaN where the other is NaN, equal infinities. */
function expectClose(a: Float32Array, b: Float32Array, rel: number, abs: number, what: string): void {
  for (let i = 0; i < a.length; i++) {
    const [u, v] = [a[i]!, b[i]!];
    if (Number.isNaN(v) || !Number.isFinite(v)) {
      if (!Object.is(u, v)) throw new Error(`${what}[${i}] = ${u}, js ${v}`);
    } else if (!(Math.abs(u - v) <= rel * Math.abs(v) + abs)) {
      throw new Error(`${what}[${i}] = ${u}, js ${v}`);
    }
  }
}

describe('wasm cross-entropy kernels (two classes, float32)', () => {
  it('match the js kernels: loss, W and gradient (weights, ignoreIndex, reductions, tails, non-finite logits)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const got = run(one, c), want = run(jsKernels, c);
      expect(got.W).toBe(want.W);
      // abs 1e-12: where r = e^−|u − v| < 1e-16 the js kernel's float64 (m + log1p(r)) − x_y and
      // a/(1 + r) − a round to 0; wasm gives r and −a·r/(1 + r).
      expectClose(got.loss, want.loss, 2e-6, 1e-12, 'loss');
      expectClose(got.grad, want.grad, 1e-6, 1e-12, 'grad');
    }), { numRuns: 40 });
  });

  it('give bit-identical results on 1 and 2 threads', () => {
    fc.assert(fc.property(caseArb, (c) => {
      expect(run(two, c)).toEqual(run(one, c));
    }), { numRuns: 15 });
  });

  it('save no stats; the js backward then computes them (forward on wasm, backward on js)', () => {
    fc.assert(fc.property(caseArb, (c) => {
      const P = c.n * c.S;
      // Below 1024 positions the js kernels run (and save their stats).
      const saved = one.crossEntropyForward(c.x, c.t, c.weight, new Float32Array(c.reduction === 'none' ? P : 1), null, { n: c.n, c: 2, spatial: c.S, ignoreIndex: c.ignoreIndex, labelSmoothing: 0, reduction: c.reduction });
      expect(saved.stats === null).toBe(P >= 1024);
      const mixed = run(one, c, jsKernels), want = run(jsKernels, c);
      expect(mixed.grad).toEqual(want.grad);
    }), { numRuns: 10 });
  });

  it("write, when asked, the backward's gradient for upstream 1 in the forward: the same bits, on 1 and 2 threads", () => {
    fc.assert(fc.property(caseArb.filter((c) => c.reduction !== 'none'), (c) => {
      const want = run(one, { ...c, up: Float32Array.of(1) });
      const p = { n: c.n, c: 2, spatial: c.S, ignoreIndex: c.ignoreIndex, labelSmoothing: 0, reduction: c.reduction };
      for (const k of [one, two]) {
        const [loss, grad] = [new Float32Array(1), new Float32Array(2 * c.n * c.S).fill(7)];
        expect(k.crossEntropyForward(c.x, c.t, c.weight, loss, grad, p).denominator).toBe(want.W);
        expect(loss).toEqual(want.loss);
        expect(grad).toEqual(want.grad);
      }
    }), { numRuns: 10 });
  });

  it('leave more classes and label smoothing to the general kernel and float64 to the js one', () => {
    // The js kernel returns its statistics; the wasm kernels return none (stats null).
    const n = 1, S = 2000;
    const x3 = xorshiftValues(3 * S, 5, 3, false), t = Int32Array.from({ length: S }, (_, i) => i % 3);
    const a = new Float32Array(1);
    const p3 = { n, c: 3, spatial: S, ignoreIndex: -100, labelSmoothing: 0, reduction: 'mean' } as const;
    expect(one.crossEntropyForward(x3, t, null, a, null, p3).stats).toBeNull();
    const x2 = xorshiftValues(2 * S, 6, 3, false), t2 = Int32Array.from({ length: S }, (_, i) => i % 2);
    const p2 = { n, c: 2, spatial: S, ignoreIndex: -100, labelSmoothing: 0.1, reduction: 'sum' } as const;
    expect(one.crossEntropyForward(x2, t2, null, a, null, p2).stats).toBeNull();
    const x64 = Float64Array.from(x2), [c, d] = [new Float64Array(1), new Float64Array(1)];
    const p64 = { ...p2, labelSmoothing: 0, reduction: 'mean' } as const;
    expect(one.crossEntropyForward(x64, t2, null, c, null, p64).stats).not.toBeNull();
    jsKernels.crossEntropyForward(x64, t2, null, d, null, p64);
    expect(c).toEqual(d);
  });
});
