import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastExp } from '../src/kernels/fast-exp.js';

/** Relative difference from Math.exp; both are correctly rounded to within a few ulp. */
function relErr(x: number): number {
  const e = Math.exp(x);
  return Math.abs(fastExp(x) - e) / e;
}

describe('fastExp (the exp of the loss kernels)', () => {
  it('agrees with Math.exp to 5e-16 relative over the range the kernels use and beyond', () => {
    fc.assert(fc.property(fc.double({ min: -700, max: 700, noNaN: true }), (x) => relErr(x) <= 5e-16), { numRuns: 2000 });
    fc.assert(fc.property(fc.double({ min: -1, max: 1, noNaN: true }), (x) => relErr(x) <= 5e-16), { numRuns: 2000 });
  });

  it('exact at 0, and the edges: −∞ and very negative → 0, NaN → NaN, overflow → ∞', () => {
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
    expect(fastExp(-Infinity)).toBe(0);
    expect(fastExp(-1e5)).toBe(0);
    expect(fastExp(-746)).toBe(0);
    expect(fastExp(Number.NaN)).toBeNaN();
    expect(relErr(709.78)).toBeLessThanOrEqual(5e-16); // e^709.78 = 1.79e308, just below the largest double
    expect(fastExp(710)).toBe(Infinity);
    expect(fastExp(Infinity)).toBe(Infinity);
    // subnormal results are flushed towards 0 at most (never negative, never NaN)
    expect(fastExp(-745)).toBeGreaterThanOrEqual(0);
    expect(fastExp(-745)).toBeLessThan(1e-320);
  });
});
