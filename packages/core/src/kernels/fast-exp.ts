/**
 * A table-driven exp for the hot loss loops. `Math.exp` costs 10–17 ns per call in V8 on the
 * benchmark machine; this one is 3–4 ns once inlined, with relative error below 5e-16 (about 2 ulp,
 * checked against Math.exp in test/fast-exp.test.ts).
 *
 *   x = k·ln2/64 + r,  k = round(64·x/ln2),  |r| ≤ ln2/128
 *   e^x = 2^(k >> 6) · 2^((k & 63)/64) · P(r),   P(r) = Σ_{i≤5} r^i/i!  (truncation < 4e-17)
 *
 * ln2/64 is split into a high part with trailing zero bits (exact products) and a low part, as in
 * fdlibm. NaN gives NaN; x < −746 (and −∞) gives 0; x > 710 (and +∞) gives +∞.
 *
 * @example
 * fastExp(-0.5) // 0.6065306597126334, as Math.exp(-0.5)
 */

// The factor 2 moves from POW2 into TABLE so that 2^q·2^(j/64) near the top of the range does not
// overflow in the intermediate product: TABLE[j] = 2^(1 + j/64), POW2[q + 1077] = 2^(q − 1).
const TABLE = new Float64Array(64);
for (let j = 0; j < 64; j++) TABLE[j] = Math.pow(2, 1 + j / 64);
const POW2 = new Float64Array(2102);
for (let q = -1077; q <= 1024; q++) POW2[q + 1077] = Math.pow(2, q - 1);

const INV_STEP = 64 / Math.LN2;
const STEP_HI = 6.93147180369123816490e-01 / 64; // fdlibm ln2_hi: 32 significant bits
const STEP_LO = 1.90821492927058770002e-10 / 64;
const ROUND = 6755399441055744; // 1.5·2^52: (v + ROUND) − ROUND rounds v to an integer

export function fastExp(x0: number): number {
  const x = x0 < -746 ? -746 : x0 > 710 ? 710 : x0; // NaN passes through and stays NaN
  const kf = x * INV_STEP + ROUND - ROUND;
  const r = x - kf * STEP_HI - kf * STEP_LO;
  const k = kf | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return TABLE[k & 63]! * p * POW2[(k >> 6) + 1077]!;
}
