/**
 * One block of 16 positions of the general cross-entropy kernel (cross-entropy-multi.ts has the
 * formulas): the per-block phases, which read each class row's 64-byte line of x once and write each
 * line of the gradient in one burst. Why blocks (speed): at S = 256² the C class rows are 256 KiB
 * apart and share one L1 set, so a step of 4 positions evicted a row's line before its other 12
 * positions came (cachegrind, C = 8, D1 32K 8-way: 33.3M misses at S = 256² against 20.0M at
 * S = 256² + 16, same work). Here phase A copies the block's x to a contiguous scratch block (other
 * sets), phase B works from it four positions at a time and keeps e^{x_c − m} there, and phase C writes
 * the gradient row by row from the kept exponentials, so each exp is computed once.
 */
import { expNeg, K_ONE, K_TMP, log1pRest } from './cross-entropy-math';

/** Largest class count. */
export const MAX_C = 64;
// Scratch layout (byte offsets from the thread's scratch; the constants come first).
export const J_KEEP = K_TMP, J_EPSC = J_KEEP + 16, J_WSUM = J_KEEP + 32, J_SCALE = J_KEEP + 48, J_IGN = J_KEEP + 64;
/** Σ nll, Σ smooth, Σ w_y: f64x2 pairs (lanes 0–1, lanes 2–3). */
export const SUMS = J_KEEP + 80;
/** Per four positions v: the gradient's coefficients (CO + 128·v + slot). */
const CO = SUMS + 96;
const C_M = 0, C_INV = 16, C_A = 32, C_R = 48, C_Y = 64, C_B = 80, C_BW = 96, C_G = 112;
/** The x block (then e^{x − m}), the probability targets block (then w_c·t'_c): C rows of 64 bytes, line-aligned. */
export const XB = (CO + 512 + 63) & ~63, TB = XB + 64 * MAX_C;
/** Tails (< 16 positions): x, targets, upstream, gradient and losses staged in rows of 16 lanes. */
export const TX = TB + 64 * MAX_C, TT = TX + 64 * MAX_C, TU = TT + 64 * MAX_C, TG = TU + 64, TL = TG + 64 * MAX_C;

// @ts-ignore: decorator
@inline
export function weightOf(w: usize, c: i32, k: usize): v128 {
  return w != 0 ? v128.load32_splat(w + (<usize>c << 2)) : v128.load(k, K_ONE);
}

/** Phase A: copies C rows of 16 floats (stride xs bytes) from xb to dst (stride 64), and the max per position to m. */
export function copyMax(xb: usize, xs: usize, C: i32, dst: usize, m: usize): void {
  let m0 = v128.load(xb), m1 = v128.load(xb, 16), m2 = v128.load(xb, 32), m3 = v128.load(xb, 48);
  v128.store(dst, m0); v128.store(dst, m1, 16); v128.store(dst, m2, 32); v128.store(dst, m3, 48);
  for (let c = 1; c < C; c++) {
    const s = xb + <usize>c * xs, d = dst + (<usize>c << 6);
    const a0 = v128.load(s), a1 = v128.load(s, 16), a2 = v128.load(s, 32), a3 = v128.load(s, 48);
    v128.store(d, a0); v128.store(d, a1, 16); v128.store(d, a2, 32); v128.store(d, a3, 48);
    m0 = f32x4.max(m0, a0); m1 = f32x4.max(m1, a1); m2 = f32x4.max(m2, a2); m3 = f32x4.max(m3, a3);
  }
  v128.store(m, m0, CO + C_M); v128.store(m, m1, CO + 128 + C_M); v128.store(m, m2, CO + 256 + C_M); v128.store(m, m3, CO + 384 + C_M);
}

/** Copies a block of C rows of 16 floats (stride ts) to dst (stride 64): the probability targets. */
export function copyRows(tb: usize, ts: usize, C: i32, dst: usize): void {
  for (let c = 0; c < C; c++) {
    const s = tb + <usize>c * ts, d = dst + (<usize>c << 6);
    v128.store(d, v128.load(s)); v128.store(d, v128.load(s, 16), 16); v128.store(d, v128.load(s, 32), 32); v128.store(d, v128.load(s, 48), 48);
  }
}

/**
 * Phase B for positions 4v..4v+3 of the block (k: scratch; XB/TB filled, the max at CO): r, the loss,
 * and when `grad` the exponentials (over XB), w_c·t'_c (over TB) and the gradient's coefficients (at CO),
 * G = up·scale (up: 0 for none). Adds Σ nll, Σ smooth, Σ w_y to SUMS over lanes < left; returns the loss.
 */
export function positions(k: usize, v: i32, C: i32, w: usize, y: v128, up: usize, prob: bool, smooth: bool, grad: bool, stats: bool, left: i32): v128 {
  const co = k + CO + (<usize>v << 7), x = k + XB + (<usize>v << 4), tp = k + TB + (<usize>v << 4);
  const keep = v128.load(k, J_KEEP), epsC = v128.load(k, J_EPSC), zero = f32x4.splat(0);
  const m = v128.load(co, C_M);
  let r = zero, seen = zero, dy = zero, wy = zero, wd = zero, tw = zero;
  for (let c = 0; c < C; c++) {
    const at = <usize>c << 6;
    const d = f32x4.sub(v128.load(x + at), m);
    const top = v128.andnot(f32x4.eq(d, zero), seen); // the first max: its e^0 = 1 is not in r
    seen = v128.or(seen, top);
    const e = expNeg(d, k);
    r = f32x4.add(r, v128.andnot(e, top));
    if (grad) v128.store(x + at, e);
    const wc = weightOf(w, c, k);
    if (prob) {
      const wt = f32x4.mul(wc, f32x4.add(f32x4.mul(keep, v128.load(tp + at)), epsC));
      if (grad) v128.store(tp + at, wt);
      tw = f32x4.add(tw, wt);
      wd = f32x4.add(wd, f32x4.mul(wt, d));
    } else {
      const eq = i32x4.eq(y, i32x4.splat(c));
      dy = v128.bitselect(d, dy, eq);
      wy = v128.bitselect(wc, wy, eq);
      if (smooth) wd = f32x4.add(wd, f32x4.mul(wc, d));
    }
  }
  const skip = i32x4.eq(y, v128.load(k, J_IGN));
  if (grad) {
    const one = v128.load(k, K_ONE);
    const G = up != 0 ? f32x4.mul(v128.load(up + (<usize>v << 4)), v128.load(k, J_SCALE)) : v128.load(k, J_SCALE);
    v128.store(co, f32x4.div(one, f32x4.add(one, r)), C_INV);
    v128.store(co, G, C_G);
    if (prob) {
      v128.store(co, f32x4.mul(G, tw), C_A);
    } else {
      const b = smooth ? v128.andnot(f32x4.mul(epsC, G), skip) : zero;
      v128.store(co, v128.andnot(f32x4.mul(f32x4.mul(keep, wy), G), skip), C_A);
      v128.store(co, r, C_R); v128.store(co, y, C_Y); v128.store(co, b, C_B);
      v128.store(co, smooth ? f32x4.mul(b, v128.load(k, J_WSUM)) : zero, C_BW); // A − a
    }
  }
  if (!stats) return zero;
  const L = log1pRest(r, k);
  let loss: v128, nll: v128, sm = zero, wv = zero;
  if (prob) {
    nll = loss = f32x4.sub(f32x4.mul(tw, L), wd);
  } else {
    nll = v128.andnot(f32x4.mul(wy, f32x4.sub(L, dy)), skip); // 0 where ignored, even for non-finite logits
    wv = v128.andnot(wy, skip);
    loss = nll;
    if (smooth) {
      sm = v128.andnot(f32x4.sub(f32x4.mul(L, v128.load(k, J_WSUM)), wd), skip);
      loss = f32x4.add(f32x4.mul(keep, nll), f32x4.mul(epsC, sm));
    }
  }
  if (left < 16) {
    // The padding lanes out of the sums (with smoothing, probability targets of 0 still weigh ε/C).
    const lanes = i32x4.lt_s(i32x4.add(i32x4.splat(4 * v), i32x4(0, 1, 2, 3)), i32x4.splat(left));
    nll = v128.and(nll, lanes); sm = v128.and(sm, lanes);
  }
  const s = k + SUMS;
  v128.store(s, f64x2.add(v128.load(s), f64x2.promote_low_f32x4(nll)));
  v128.store(s, f64x2.add(v128.load(s, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(nll, nll, 2, 3, 0, 1))), 16);
  v128.store(s, f64x2.add(v128.load(s, 32), f64x2.promote_low_f32x4(sm)), 32);
  v128.store(s, f64x2.add(v128.load(s, 48), f64x2.promote_low_f32x4(v128.shuffle<f32>(sm, sm, 2, 3, 0, 1))), 48);
  v128.store(s, f64x2.add(v128.load(s, 64), f64x2.promote_low_f32x4(wv)), 64);
  v128.store(s, f64x2.add(v128.load(s, 80), f64x2.promote_low_f32x4(v128.shuffle<f32>(wv, wv, 2, 3, 0, 1))), 80);
  return loss;
}

/**
 * Phase C: the gradient of the block's 16 positions, row by row (stride gs bytes from gb), from the
 * exponentials and coefficients phase B kept. index: ∂/∂x_c = a·q + (A − a)·p_c − b·w_c, q = p_c, or
 * p_y − 1 = ((e_y − 1) − r)/(1 + r) at c = y; probabilities: A·p_c − G·w_c·t'_c.
 */
export function gradient(k: usize, C: i32, w: usize, gb: usize, gs: usize, prob: bool, smooth: bool): void {
  const one = v128.load(k, K_ONE);
  for (let c = 0; c < C; c++) {
    const x = k + XB + (<usize>c << 6), tp = k + TB + (<usize>c << 6), g = gb + <usize>c * gs;
    const wc = weightOf(w, c, k), ic = i32x4.splat(c);
    for (let v = 0; v < 4; v++) {
      const co = k + CO + (<usize>v << 7), at = <usize>v << 4;
      const e = v128.load(x + at), inv = v128.load(co, C_INV);
      const pc = f32x4.mul(e, inv);
      let gv: v128;
      if (prob) {
        gv = f32x4.sub(f32x4.mul(v128.load(co, C_A), pc), f32x4.mul(v128.load(co, C_G), v128.load(tp + at)));
      } else {
        // Ignored positions get 0·p_c: 0, or NaN in the whole row when p is NaN (a NaN or +∞ logit), as
        // PyTorch's log-softmax backward (0 − e^{NaN}·0).
        const q = v128.bitselect(f32x4.mul(f32x4.sub(f32x4.sub(e, one), v128.load(co, C_R)), inv), pc, i32x4.eq(v128.load(co, C_Y), ic));
        gv = f32x4.mul(v128.load(co, C_A), q);
        if (smooth) gv = f32x4.sub(f32x4.add(gv, f32x4.mul(v128.load(co, C_BW), pc)), f32x4.mul(v128.load(co, C_B), wc));
      }
      v128.store(g + at, gv);
    }
  }
}
