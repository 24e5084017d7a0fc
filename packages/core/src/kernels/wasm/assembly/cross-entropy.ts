/**
 * Fused two-class softmax cross-entropy for Tessera's WebAssembly backend (f32x4 over positions;
 * see kernels/cross-entropy.ts for the general definition). Logits x are [n, 2, S], targets t are
 * i32 [n, S] class indices (or ignoreIndex), w is the class weight (f32 × 2) or 0 for none.
 * Per position, with u = x_0, v = x_1, m = max(u, v), r = e^{−|u − v|} (the other class's share):
 *   loss = w_y·(m − x_y + log1p(r))                       (0 where y = ignoreIndex)
 *   ∂loss/∂x_c = ±a·q_c,  a = w_y·G,  q_c = 1/(1 + r) when c is the larger logit XOR c = y, else r/(1 + r),
 *                          negated where c = y: a·(p_c − [c = y]) without the cancellation of p_c − 1.
 * Non-finite logits follow the js kernel: a +∞ max or a NaN gives r = NaN (so NaN loss and
 * gradient), one −∞ gives r ≈ 0. exp and log1p are f32 polynomials (relative error ≈ 1e-7); the
 * loss is summed in f64 (the f32x4 math: cross-entropy-math.ts).
 */
import { expNeg, fillConstants, K_INF, K_IONE, K_NAN, K_ONE, K_SIGN, K_TMP, log1p01 } from './cross-entropy-math';

/** The rest r = e^{−ad} of four positions (ad = |u − v|), NaN where the max m is +∞. k: the constants. */
// @ts-ignore: decorator
@inline
function rest(ad: v128, m: v128, k: usize): v128 {
  const r = expNeg(v128.xor(ad, v128.load(k, K_SIGN)), k);
  return v128.bitselect(v128.load(k, K_NAN), r, f32x4.eq(m, v128.load(k, K_INF)));
}

/** Copies a tail of `left` < 4 positions (u, v, y) to tmp, padded with zeros and ignoreIndex. */
function tail(x: usize, t: usize, S: i32, j: i32, left: i32, ignore: i32, tmp: usize): void {
  for (let l = 0; l < 4; l++) {
    const ok = l < left;
    store<f32>(tmp + (<usize>l << 2), ok ? load<f32>(x + (<usize>(j + l) << 2)) : 0);
    store<f32>(tmp + (<usize>l << 2), ok ? load<f32>(x + (<usize>(S + j + l) << 2)) : 0, 16);
    store<i32>(tmp + (<usize>l << 2), ok ? load<i32>(t + (<usize>(j + l) << 2)) : ignore, 32);
  }
}

/**
 * Stores the gradient of four positions at g0 (class 0) and g1 (class 1): class c gets a·q, q = 1/(1 + r)
 * when (x_c is the max) XOR (y = c), else r/(1 + r); 0 − a·q where y = c (so +0, not −0, for a·q = 0).
 */
// @ts-ignore: decorator
@inline
function storeGrad(u: v128, v: v128, m: v128, r: v128, y: v128, G: v128, w0: v128, w1: v128, ign: v128, k: usize, g0: usize, g1: usize): void {
  const isOne = i32x4.eq(y, v128.load(k, K_IONE)), isZero = i32x4.eq(y, i32x4.splat(0));
  const a = v128.andnot(f32x4.mul(v128.bitselect(w1, w0, isOne), G), i32x4.eq(y, ign));
  const inv = f32x4.div(v128.load(k, K_ONE), f32x4.add(v128.load(k, K_ONE), r));
  const rinv = f32x4.mul(r, inv);
  const t0 = f32x4.mul(a, v128.bitselect(inv, rinv, v128.xor(f32x4.eq(u, m), isZero)));
  const t1 = f32x4.mul(a, v128.bitselect(inv, rinv, v128.xor(f32x4.eq(v, m), isOne)));
  v128.store(g0, v128.bitselect(f32x4.sub(i32x4.splat(0), t0), t0, isZero));
  v128.store(g1, v128.bitselect(f32x4.sub(i32x4.splat(0), t1), t1, isOne));
}

/** Copies the first `left` lanes of the gradients at tmp (class 0) and tmp + 16 (class 1) to g + j (rows S apart). */
function tailOut(tmp: usize, g: usize, S: i32, j: i32, left: i32): void {
  for (let q = 0; q < left; q++) {
    store<f32>(g + (<usize>(j + q) << 2), load<f32>(tmp + (<usize>q << 2)));
    store<f32>(g + (<usize>(S + j + q) << 2), load<f32>(tmp + (<usize>q << 2), 16));
  }
}

// Job descriptor (byte offsets, i32 unless noted). Mirrored in ../cross-entropy.ts.
const D_X = 0, D_T = 4, D_W = 8, D_S = 12, D_IGNORE = 16, D_CHUNKS = 20, D_OUT = 24, D_PARTIAL = 28, D_UP = 32;
const D_SCALE = 36; // f32
const D_GRAD = 40;
/** Positions per work item (a multiple of 4): items depend on the shapes only, never on the threads. */
const CHUNK = 8192;
export function crossEntropyChunk(): i32 {
  return CHUNK;
}

/**
 * Forward item (image i, positions [j0, j0 + CHUNK)). Writes per-position losses to out when
 * D_OUT ≠ 0, and the item's Σ loss, count of non-ignored targets 0 and of 1 as f64 at
 * partial + 24·item; when D_GRAD ≠ 0 also the gradient for G = D_SCALE (fused for speed: one pass
 * over x instead of two, see ops/cross-entropy.ts). scratch: the thread's scratch (the constants, then
 * 96 bytes for the tails).
 */
export function crossEntropy2F32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const k = scratch, tmp = scratch + K_TMP;
  const S = load<i32>(desc, D_S), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const w = <usize>load<i32>(desc, D_W), out = <usize>load<i32>(desc, D_OUT), gr = <usize>load<i32>(desc, D_GRAD);
  const G = f32x4.splat(load<f32>(desc, D_SCALE));
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const xi = <usize>load<i32>(desc, D_X) + (<usize>(2 * i * S) << 2), ti = <usize>load<i32>(desc, D_T) + (<usize>(i * S) << 2);
  const oi = out + (<usize>(i * S) << 2), gi = gr + (<usize>(2 * i * S) << 2);
  const w0 = f32x4.splat(w != 0 ? load<f32>(w) : 1), w1 = f32x4.splat(w != 0 ? load<f32>(w, 4) : 1);
  const ign = i32x4.splat(ignore);
  let sumLo = f64x2.splat(0), sumHi = f64x2.splat(0), n0 = i32x4.splat(0), n1 = i32x4.splat(0);
  for (let j = j0; j < j1; j += 4) {
    const left = j1 - j;
    let u: v128, v: v128, y: v128;
    if (left >= 4) {
      u = v128.load(xi + (<usize>j << 2)); v = v128.load(xi + (<usize>(S + j) << 2)); y = v128.load(ti + (<usize>j << 2));
    } else {
      tail(xi, ti, S, j, left, ignore, tmp);
      u = v128.load(tmp); v = v128.load(tmp, 16); y = v128.load(tmp, 32);
    }
    const ad = f32x4.abs(f32x4.sub(v, u));
    const vgt = f32x4.gt(v, u);
    const m = v128.bitselect(v, u, vgt);
    const r = rest(ad, m, k);
    if (gr != 0) {
      if (left >= 4) storeGrad(u, v, m, r, y, G, w0, w1, ign, k, gi + (<usize>j << 2), gi + (<usize>(S + j) << 2));
      else { storeGrad(u, v, m, r, y, G, w0, w1, ign, k, tmp + 48, tmp + 64); tailOut(tmp + 48, gi, S, j, left); }
    }
    const isOne = i32x4.eq(y, v128.load(k, K_IONE)), skip = i32x4.eq(y, ign);
    // m − x_y is |u − v| where y is not the larger class, else 0.
    const gap = v128.and(ad, v128.xor(isOne, vgt));
    const loss = f32x4.mul(v128.bitselect(w1, w0, isOne), f32x4.add(gap, log1p01(r, k)));
    const l = v128.andnot(loss, skip); // 0 where ignored, even for non-finite logits
    if (out != 0) {
      if (left >= 4) v128.store(oi + (<usize>j << 2), l);
      else {
        v128.store(tmp, l);
        for (let q = 0; q < left; q++) store<f32>(oi + (<usize>(j + q) << 2), load<f32>(tmp + (<usize>q << 2)));
      }
    }
    sumLo = f64x2.add(sumLo, f64x2.promote_low_f32x4(l));
    sumHi = f64x2.add(sumHi, f64x2.promote_low_f32x4(v128.shuffle<f32>(l, l, 2, 3, 0, 1)));
    n1 = i32x4.sub(n1, v128.andnot(isOne, skip));
    n0 = i32x4.sub(n0, v128.andnot(i32x4.eq(y, i32x4.splat(0)), skip));
  }
  const s = f64x2.add(sumLo, sumHi);
  const part = <usize>load<i32>(desc, D_PARTIAL) + <usize>(24 * item);
  store<f64>(part, f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1));
  store<f64>(part, <f64>(i32x4.extract_lane(n0, 0) + i32x4.extract_lane(n0, 1) + i32x4.extract_lane(n0, 2) + i32x4.extract_lane(n0, 3)), 8);
  store<f64>(part, <f64>(i32x4.extract_lane(n1, 0) + i32x4.extract_lane(n1, 1) + i32x4.extract_lane(n1, 2) + i32x4.extract_lane(n1, 3)), 16);
}

/**
 * Backward item: grad = ∂(Σ G·loss)/∂x over the item's positions, G = up[position]·scale, or
 * G = scale when D_UP = 0. Writes those positions' elements of grad (D_OUT, [n, 2, S]).
 */
export function crossEntropy2BackwardF32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const k = scratch, tmp = scratch + K_TMP;
  const S = load<i32>(desc, D_S), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const w = <usize>load<i32>(desc, D_W), up = <usize>load<i32>(desc, D_UP);
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const xi = <usize>load<i32>(desc, D_X) + (<usize>(2 * i * S) << 2), ti = <usize>load<i32>(desc, D_T) + (<usize>(i * S) << 2);
  const gi = <usize>load<i32>(desc, D_OUT) + (<usize>(2 * i * S) << 2), ui = up + (<usize>(i * S) << 2);
  const w0 = f32x4.splat(w != 0 ? load<f32>(w) : 1), w1 = f32x4.splat(w != 0 ? load<f32>(w, 4) : 1);
  const ign = i32x4.splat(ignore);
  const vs = f32x4.splat(load<f32>(desc, D_SCALE));
  for (let j = j0; j < j1; j += 4) {
    const left = j1 - j;
    let u: v128, v: v128, y: v128, G = vs;
    if (left >= 4) {
      u = v128.load(xi + (<usize>j << 2)); v = v128.load(xi + (<usize>(S + j) << 2)); y = v128.load(ti + (<usize>j << 2));
      if (up != 0) G = f32x4.mul(v128.load(ui + (<usize>j << 2)), vs);
    } else {
      tail(xi, ti, S, j, left, ignore, tmp);
      u = v128.load(tmp); v = v128.load(tmp, 16); y = v128.load(tmp, 32);
      if (up != 0) {
        for (let q = 0; q < 4; q++) store<f32>(tmp + (<usize>q << 2), q < left ? load<f32>(ui + (<usize>(j + q) << 2)) : 0);
        G = f32x4.mul(v128.load(tmp), vs);
      }
    }
    const m = v128.bitselect(v, u, f32x4.gt(v, u));
    const r = rest(f32x4.abs(f32x4.sub(v, u)), m, k);
    if (left >= 4) {
      storeGrad(u, v, m, r, y, G, w0, w1, ign, k, gi + (<usize>j << 2), gi + (<usize>(S + j) << 2));
      continue;
    }
    storeGrad(u, v, m, r, y, G, w0, w1, ign, k, tmp, tmp + 16);
    tailOut(tmp, gi, S, j, left);
  }
}
