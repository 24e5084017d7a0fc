/**
 * The f32x4 math of the fused cross-entropy kernels (cross-entropy.ts for two classes,
 * cross-entropy-multi.ts for up to 64): e^x for x ≤ 0 and logarithms, as polynomials with relative
 * error ≈ 1e-7. Their coefficients and other constants are written to scratch (fillConstants) and
 * loaded from there: v128 constants inside a loop would be rebuilt on every iteration.
 */

// Byte offsets in the scratch (each constant a splatted f32x4 or i32x4).
export const K_LOG2E = 0, K_MAGIC = 16, K_LN2HI = 32, K_LN2LO = 48, K_LIM = 64, K_INF = 80, K_NAN = 96, K_ONE = 112;
export const K_TWO = 128, K_I127 = 144, K_IONE = 160, K_SIGN = 176;
export const K_E = 192; // Taylor coefficients of e^f (|f| ≤ ln2/2, error < 2e-7): 1/720, 1/120, 1/24, 1/6, 1/2
export const K_L = 272; // atanh series 2s·(1 + z/3 + … + z^6/13), z = s²: 1/13 … 1/3
export const K_SQRT2 = 368, K_MANT = 384;
/** First scratch byte after the constants (free for the kernels' tails). */
export const K_TMP = 400;

// @ts-ignore: decorator
@inline
function put(at: usize, v: f32): void {
  v128.store(at, f32x4.splat(v));
}

export function fillConstants(k: usize): void {
  put(k + K_LOG2E, 1.44269504); put(k + K_MAGIC, 12582912); put(k + K_LN2HI, 0.693359375);
  put(k + K_LN2LO, -2.12194440e-4); put(k + K_LIM, -87.0); put(k + K_INF, Infinity); put(k + K_NAN, NaN);
  put(k + K_ONE, 1); put(k + K_TWO, 2);
  v128.store(k + K_I127, i32x4.splat(127));
  v128.store(k + K_IONE, i32x4.splat(1));
  v128.store(k + K_SIGN, i32x4.splat(0x80000000));
  put(k + K_E, 1.0 / 720); put(k + K_E + 16, 1.0 / 120); put(k + K_E + 32, 1.0 / 24); put(k + K_E + 48, 1.0 / 6); put(k + K_E + 64, 0.5);
  put(k + K_L, 1.0 / 13); put(k + K_L + 16, 1.0 / 11); put(k + K_L + 32, 1.0 / 9); put(k + K_L + 48, 1.0 / 7);
  put(k + K_L + 64, 1.0 / 5); put(k + K_L + 80, 1.0 / 3);
  put(k + K_SQRT2, 1.41421356);
  v128.store(k + K_MANT, i32x4.splat(0x7fffff));
}

/** e^x for x ≤ 0 (below −87 as e^−87 ≈ 1.6e−38; −∞ too; NaN stays NaN). k: the constants. */
// @ts-ignore: decorator
@inline
export function expNeg(x0: v128, k: usize): v128 {
  // k = round(x·log2 e) by the 1.5·2^23 trick, f = x − k·ln2, 2^k from k's bits.
  const x = f32x4.pmax(x0, v128.load(k, K_LIM)); // NaN: pmax keeps the first
  const kf = f32x4.add(f32x4.mul(x, v128.load(k, K_LOG2E)), v128.load(k, K_MAGIC));
  const kr = f32x4.sub(kf, v128.load(k, K_MAGIC));
  const f = f32x4.sub(f32x4.sub(x, f32x4.mul(kr, v128.load(k, K_LN2HI))), f32x4.mul(kr, v128.load(k, K_LN2LO)));
  // Estrin: p = (1 + f) + f²·((1/2 + f/6) + f²·((1/24 + f/120) + f²/720)), short dependency chains.
  const f2 = f32x4.mul(f, f);
  const q0 = f32x4.add(v128.load(k, K_ONE), f);
  const q1 = f32x4.add(v128.load(k, K_E + 64), f32x4.mul(f, v128.load(k, K_E + 48)));
  const q2 = f32x4.add(v128.load(k, K_E + 32), f32x4.mul(f, v128.load(k, K_E + 16)));
  const q3 = f32x4.add(q2, f32x4.mul(f2, v128.load(k, K_E)));
  const p = f32x4.add(q0, f32x4.mul(f2, f32x4.add(q1, f32x4.mul(f2, q3))));
  return f32x4.mul(p, i32x4.shl(i32x4.add(kf, v128.load(k, K_I127)), 23));
}

/** log(1 + r) for r in [0, 1] (NaN stays NaN). */
// @ts-ignore: decorator
@inline
export function log1p01(r: v128, k: usize): v128 {
  const s = f32x4.div(r, f32x4.add(v128.load(k, K_TWO), r));
  const z = f32x4.mul(s, s);
  // Estrin in z: p = (1 + z/3) + z²·((1/5 + z/7) + z²·((1/9 + z/11) + z²/13)).
  const z2 = f32x4.mul(z, z);
  const a0 = f32x4.add(v128.load(k, K_ONE), f32x4.mul(z, v128.load(k, K_L + 80)));
  const a1 = f32x4.add(v128.load(k, K_L + 64), f32x4.mul(z, v128.load(k, K_L + 48)));
  const a2 = f32x4.add(f32x4.add(v128.load(k, K_L + 32), f32x4.mul(z, v128.load(k, K_L + 16))), f32x4.mul(z2, v128.load(k, K_L)));
  const p = f32x4.add(a0, f32x4.mul(z2, f32x4.add(a1, f32x4.mul(z2, a2))));
  return f32x4.mul(f32x4.add(s, s), p);
}

/**
 * log(s) for finite s ≥ 1 (a sum of exponentials whose largest is 1; NaN stays NaN): s = 2^e·f with
 * f in [√½, √2), log f = 2·atanh(z) = 2z·(1 + z²/3 + z⁴/5 + z⁶/7 + z⁸/9), z = (f − 1)/(f + 1), |z| ≤ 0.172.
 */
// @ts-ignore: decorator
@inline
export function logGe1(s: v128, k: usize): v128 {
  let e = i32x4.sub(i32x4.shr_u(s, 23), v128.load(k, K_I127));
  let f = v128.or(v128.and(s, v128.load(k, K_MANT)), v128.load(k, K_ONE)); // [1, 2)
  const big = f32x4.gt(f, v128.load(k, K_SQRT2));
  f = v128.bitselect(f32x4.mul(f, v128.load(k, K_E + 64)), f, big);
  e = i32x4.sub(e, big); // big is −1 where f was halved
  const one = v128.load(k, K_ONE);
  const z = f32x4.div(f32x4.sub(f, one), f32x4.add(f, one));
  const z2 = f32x4.mul(z, z), z4 = f32x4.mul(z2, z2);
  const a0 = f32x4.add(one, f32x4.mul(z2, v128.load(k, K_L + 80)));
  const a1 = f32x4.add(v128.load(k, K_L + 64), f32x4.mul(z2, v128.load(k, K_L + 48)));
  const p = f32x4.add(a0, f32x4.mul(z4, f32x4.add(a1, f32x4.mul(z4, v128.load(k, K_L + 32)))));
  const ef = f32x4.convert_i32x4_s(e);
  const r = f32x4.add(f32x4.mul(ef, v128.load(k, K_LN2HI)), f32x4.add(f32x4.mul(f32x4.add(z, z), p), f32x4.mul(ef, v128.load(k, K_LN2LO))));
  return v128.bitselect(s, r, f32x4.ne(s, s));
}

/**
 * log(1 + r) for finite r ≥ 0 (NaN stays NaN): log u for u = 1 + r rounded, plus the rounding's
 * correction (r − (u − 1))/u, so a small r keeps its relative precision (log1p(1e-5) to ~1e-7).
 */
// @ts-ignore: decorator
@inline
export function log1pRest(r: v128, k: usize): v128 {
  const u = f32x4.add(v128.load(k, K_ONE), r);
  return f32x4.add(logGe1(u, k), f32x4.div(f32x4.sub(r, f32x4.sub(u, v128.load(k, K_ONE))), u));
}
