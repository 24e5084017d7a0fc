/**
 * Shared helpers of the core tests: float64 tensors, closeness checks, and arbitraries the tests need
 * beyond those of @tessera/core/testing (tensors without ties, permutations, expandable shapes).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { Tensor, tensor, type NestedArray } from '../src/index.js';
import { sizeOf } from '../src/shape.js';

/** fast-check run count for gradcheck properties: enough to cover ranks 0-4, fast enough for CI. */
export const RUNS = 25;

/** Run count and shapes of gradgradcheck properties (the second-order check costs about size² backwards). */
export const GRADGRAD_RUNS = 8;
export const GRADGRAD_SHAPES = { maxRank: 3, maxDim: 3 } as const;

/** A float64 tensor (the dtype of every gradcheck). */
export function f64(data: NestedArray, options: { requiresGrad?: boolean; shape?: readonly number[] } = {}): Tensor {
  return tensor(data, { dtype: 'float64', ...options });
}

/** Marks a tensor as a fresh float64 leaf that requires grad (a copy, so properties do not share state). */
export function leaf(t: Tensor): Tensor {
  return new Tensor(Float64Array.from(t.data), t.shape, true);
}

/**
 * Expects `actual` to have the shape of `expected` (or `options.shape`, for a flat `expected`) and
 * elements within atol + rtol·|expected| of it (NaN matches NaN, infinities match exactly).
 */
export function expectClose(
  actual: Tensor,
  expected: NestedArray,
  options: { atol?: number; rtol?: number; shape?: readonly number[] } = {},
): void {
  const { atol = 1e-12, rtol = 1e-12 } = options;
  const exp = tensor(expected, { dtype: 'float64' });
  expect(actual.shape).toEqual(options.shape ?? exp.shape);
  expect(actual.size).toBe(exp.size);
  for (let i = 0; i < exp.size; i++) {
    const a = actual.data[i]!;
    const b = exp.data[i]!;
    if (Number.isNaN(b)) {
      expect(a, `element ${i}`).toBeNaN();
    } else if (!Number.isFinite(b)) {
      expect(a, `element ${i}`).toBe(b);
    } else if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      expect.fail(`element ${i}: got ${a}, expected ${b} (|diff| ${Math.abs(a - b)} > ${atol} + ${rtol}·|expected|)`);
    }
  }
}

/** Elements of `t` as a plain array (flat, row-major). */
export function flat(t: Tensor): number[] {
  return Array.from(t.data);
}

/**
 * A float64 tensor of `shape` whose elements are all distinct, at least 0.1 apart (no ties for
 * max/min/maximum/sort-like ops, even after a central-difference step), in about [-n/20, n/20].
 */
export function distinctTensorArb(shape: readonly number[]): fc.Arbitrary<Tensor> {
  const n = sizeOf(shape);
  return fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n })
    .map((keys) => {
      const order = keys.map((k, i) => [k, i] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      const data = new Float64Array(n);
      // rank r gets 0.1·r + 0.05·key, increasing in r by at least 0.1
      order.forEach(([k, i], r) => { data[i] = 0.1 * (r - n / 2) + 0.05 * k; });
      return new Tensor(data, shape);
    });
}

/** A permutation of 0..n-1. */
export function permutationArb(n: number): fc.Arbitrary<number[]> {
  const all = Array.from({ length: n }, (_, i) => i);
  return fc.shuffledSubarray(all, { minLength: n, maxLength: n });
}

/**
 * A target shape and a shape that expands to it: some leading dims dropped, some dims set to 1.
 */
export function expandableShapesArb(maxRank = 4, maxDim = 4): fc.Arbitrary<{ from: number[]; to: number[] }> {
  return fc
    .array(fc.integer({ min: 1, max: maxDim }), { minLength: 0, maxLength: maxRank })
    .chain((to) =>
      fc
        .tuple(fc.integer({ min: 0, max: to.length }), fc.array(fc.boolean(), { minLength: to.length, maxLength: to.length }))
        .map(([drop, ones]) => ({ to, from: to.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)) })),
    );
}

/** Escapes a literal for use in a RegExp (shapes like [2, 3] have brackets). */
export function re(literal: string): RegExp {
  return new RegExp(literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

/**
 * n deterministic float32 values (xorshift32 from `seed`) in [−scale, scale), with about 0.3%
 * infinities and NaNs when `specials` (the wasm kernel tests feed them to both backends).
 */
export function xorshiftValues(n: number, seed: number, scale: number, specials: boolean): Float32Array {
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    const u = (s >>> 0) / 2 ** 32;
    out[i] = specials && u < 0.003 ? [Infinity, -Infinity, NaN][Math.floor(u * 1000)]! : scale * (2 * u - 1);
  }
  return out;
}

/**
 * The first index at which two arrays differ bit for bit (NaN payloads and −0 included), or −1 when
 * they are identical; for large arrays, where `toEqual` takes seconds. The lengths must match.
 */
export function firstDifference(a: Float32Array | Float64Array | Int32Array, b: Float32Array | Float64Array | Int32Array): number {
  if (a.length !== b.length || a.BYTES_PER_ELEMENT !== b.BYTES_PER_ELEMENT) throw new Error(`firstDifference: ${a.length} vs ${b.length} elements`);
  const words = (t: typeof a): Int32Array => new Int32Array(t.buffer, t.byteOffset, t.byteLength / 4);
  const [x, y] = [words(a), words(b)];
  const per = a.BYTES_PER_ELEMENT / 4;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return Math.floor(i / per);
  return -1;
}
