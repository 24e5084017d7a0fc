/**
 * Fused softmax cross-entropy for any class count C ≤ 64 (see kernels/cross-entropy.ts for the
 * definition and wasm/cross-entropy.ts for when it runs): logits x [n, C, S], index targets (i32
 * [n, S], or ignoreIndex) or probability targets (f32 [n, C, S]), class weights (f32 × C) or none,
 * label smoothing ε. f32x4 over four positions at a time; per position
 *   m = max_c x_c,  d_c = x_c − m,  r = Σ_c e^{d_c} − 1 (the rest: the first max's 1 left out),
 *   L = log1p(r) (so log p_c = d_c − L, p_c = e^{d_c}/(1 + r)),
 *   index:  nll = w_y·(L − d_y),  smooth = Σ_c w_c·(L − d_c) = L·Σw − Σ_c w_c·d_c  (0 where ignored)
 *           loss = (1 − ε)·nll + (ε/C)·smooth
 *           ∂/∂x_c = A·p_c − [c = y]·a − b·w_c,  a = (1 − ε)·w_y·G,  b = (ε/C)·G,  A = a + b·Σw
 *   probabilities, t'_c = (1 − ε)·t_c + ε/C:  loss = Σ_c w_c·t'_c·(L − d_c),  ∂/∂x_c = G·(T·p_c − w_c·t'_c), T = Σ_c w_c·t'_c
 * (written with d_c, never x_c − lse, so large logits lose nothing to cancellation; with the rest r, a
 * confident position's loss L − d_y = log1p(r) and the target's gradient (p_y − 1 = ((e^{d_y} − 1) − r)/(1 + r))
 * keep their relative precision, where log Σ e^{d} and p_y − 1 would cancel to a few bits in float32).
 * The forward writes r per position for the backward, which then recomputes only m. Items are (image, chunk of
 * positions) and sum in f64 into per-item partials, so results do not depend on the thread count.
 */
import { expNeg, fillConstants, K_ONE, K_TMP, log1pRest } from './cross-entropy-math';

// Job descriptor (byte offsets, i32 unless noted). Mirrored in ../cross-entropy.ts.
const D_X = 0, D_T = 4, D_W = 8, D_S = 12, D_C = 16, D_IGNORE = 20, D_CHUNKS = 24, D_OUT = 28, D_PARTIAL = 32;
const D_UP = 36, D_REST = 40, D_FLAGS = 44;
const D_SCALE = 48, D_EPS = 52, D_WSUM = 56; // f32
/** D_FLAGS bits. */
const PROBABILITIES = 1;
/** Positions per work item (a multiple of 4). */
const CHUNK = 4096;
/** Largest class count. */
const MAX_C = 64;
// Tails (< 4 positions): x, targets and gradients copied to scratch rows of 4 lanes.
const T_X = K_TMP, T_T = T_X + 16 * MAX_C, T_G = T_T + 16 * MAX_C, T_MISC = T_G + 16 * MAX_C;

export function crossEntropyMultiChunk(): i32 {
  return CHUNK;
}

export function crossEntropyMultiMaxClasses(): i32 {
  return MAX_C;
}

/** Copies lanes [0, left) of `rows` rows (stride S floats) from src + j to the 4-lane rows at dst, the rest `pad`. */
function tailIn(src: usize, S: i32, j: i32, left: i32, rows: i32, dst: usize, pad: i32): void {
  for (let c = 0; c < rows; c++) {
    for (let l = 0; l < 4; l++) {
      store<i32>(dst + (<usize>(4 * c + l) << 2), l < left ? load<i32>(src + (<usize>(c * S + j + l) << 2)) : pad);
    }
  }
}

/** Copies lanes [0, left) of `rows` 4-lane rows at src to dst + j (stride S floats). */
function tailOut(src: usize, S: i32, j: i32, left: i32, rows: i32, dst: usize): void {
  for (let c = 0; c < rows; c++) {
    for (let l = 0; l < left; l++) store<f32>(dst + (<usize>(c * S + j + l) << 2), load<f32>(src + (<usize>(4 * c + l) << 2)));
  }
}

// @ts-ignore: decorator
@inline
function weightOf(w: usize, c: i32, k: usize): v128 {
  return w != 0 ? v128.load32_splat(w + (<usize>c << 2)) : v128.load(k, K_ONE);
}

// @ts-ignore: decorator
@inline
function rowMax(xb: usize, xs: usize, C: i32): v128 {
  let m = v128.load(xb);
  for (let c = 1; c < C; c++) m = f32x4.max(m, v128.load(xb + <usize>c * xs));
  return m;
}

/**
 * Forward item (image i, a chunk of positions). Writes the rest r per position (D_REST), the losses when
 * D_OUT ≠ 0, and Σ nll, Σ smooth, Σ w_y as f64 at partial + 24·item (probabilities: Σ loss, 0, 0).
 */
export function crossEntropyF32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const k = scratch;
  const S = load<i32>(desc, D_S), C = load<i32>(desc, D_C), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const prob = (load<i32>(desc, D_FLAGS) & PROBABILITIES) != 0;
  const w = <usize>load<i32>(desc, D_W), out = <usize>load<i32>(desc, D_OUT), rest = <usize>load<i32>(desc, D_REST);
  const eps = load<f32>(desc, D_EPS), smooth = eps != 0;
  const keep = f32x4.splat(1 - eps), epsC = f32x4.splat(eps / <f32>C), wsum = f32x4.splat(load<f32>(desc, D_WSUM));
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const xi = <usize>load<i32>(desc, D_X) + (<usize>(i * C * S) << 2);
  const ti = <usize>load<i32>(desc, D_T) + (<usize>((prob ? i * C : i) * S) << 2);
  const ign = i32x4.splat(ignore), zero = f32x4.splat(0);
  let nllLo = f64x2.splat(0), nllHi = nllLo, smLo = nllLo, smHi = nllLo, wLo = nllLo, wHi = nllLo;
  for (let j = j0; j < j1; j += 4) {
    const left = j1 - j;
    let xb = xi + (<usize>j << 2), xs = <usize>S << 2, tb = ti + (<usize>j << 2), ts = <usize>S << 2;
    if (left < 4) {
      tailIn(xi, S, j, left, C, scratch + T_X, 0);
      tailIn(ti, S, j, left, prob ? C : 1, scratch + T_T, prob ? 0 : ignore);
      xb = scratch + T_X; xs = 16; tb = scratch + T_T; ts = 16;
    }
    const m = rowMax(xb, xs, C);
    const y = prob ? ign : v128.load(tb);
    let r = zero, seen = zero, dy = zero, wy = zero, wd = zero, tw = zero;
    for (let c = 0; c < C; c++) {
      const d = f32x4.sub(v128.load(xb + <usize>c * xs), m);
      const top = v128.andnot(f32x4.eq(d, zero), seen); // the first max: its e^0 = 1 is not in r
      seen = v128.or(seen, top);
      r = f32x4.add(r, v128.andnot(expNeg(d, k), top));
      const wc = weightOf(w, c, k);
      if (prob) {
        const wt = f32x4.mul(wc, f32x4.add(f32x4.mul(keep, v128.load(tb + <usize>c * ts)), epsC));
        tw = f32x4.add(tw, wt);
        wd = f32x4.add(wd, f32x4.mul(wt, d));
      } else {
        const eq = i32x4.eq(y, i32x4.splat(c));
        dy = v128.bitselect(d, dy, eq);
        wy = v128.bitselect(wc, wy, eq);
        if (smooth) wd = f32x4.add(wd, f32x4.mul(wc, d));
      }
    }
    const L = log1pRest(r, k);
    let loss: v128, nll: v128, sm = zero, wv = zero;
    if (prob) {
      nll = loss = f32x4.sub(f32x4.mul(tw, L), wd);
    } else {
      const skip = i32x4.eq(y, ign);
      nll = v128.andnot(f32x4.mul(wy, f32x4.sub(L, dy)), skip); // 0 where ignored, even for non-finite logits
      wv = v128.andnot(wy, skip);
      loss = nll;
      if (smooth) {
        sm = v128.andnot(f32x4.sub(f32x4.mul(L, wsum), wd), skip);
        loss = f32x4.add(f32x4.mul(keep, nll), f32x4.mul(epsC, sm));
      }
    }
    if (left >= 4) {
      if (rest != 0) v128.store(rest + (<usize>(i * S + j) << 2), r);
      if (out != 0) v128.store(out + (<usize>(i * S + j) << 2), loss);
    } else {
      v128.store(scratch + T_MISC, r);
      v128.store(scratch + T_MISC, loss, 16);
      if (rest != 0) tailOut(scratch + T_MISC, S, i * S + j, left, 1, rest);
      if (out != 0) tailOut(scratch + T_MISC + 16, S, i * S + j, left, 1, out);
      // The padding lanes out of the sums (with smoothing, probability targets of 0 still weigh ε/C).
      const lanes = i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(left));
      nll = v128.and(nll, lanes); sm = v128.and(sm, lanes);
    }
    nllLo = f64x2.add(nllLo, f64x2.promote_low_f32x4(nll));
    nllHi = f64x2.add(nllHi, f64x2.promote_low_f32x4(v128.shuffle<f32>(nll, nll, 2, 3, 0, 1)));
    smLo = f64x2.add(smLo, f64x2.promote_low_f32x4(sm));
    smHi = f64x2.add(smHi, f64x2.promote_low_f32x4(v128.shuffle<f32>(sm, sm, 2, 3, 0, 1)));
    wLo = f64x2.add(wLo, f64x2.promote_low_f32x4(wv));
    wHi = f64x2.add(wHi, f64x2.promote_low_f32x4(v128.shuffle<f32>(wv, wv, 2, 3, 0, 1)));
  }
  const part = <usize>load<i32>(desc, D_PARTIAL) + <usize>(24 * item);
  const a = f64x2.add(nllLo, nllHi), b = f64x2.add(smLo, smHi), c = f64x2.add(wLo, wHi);
  store<f64>(part, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  store<f64>(part, f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1), 8);
  store<f64>(part, f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1), 16);
}

/**
 * Backward item: grad = ∂(Σ G·loss)/∂x over the item's positions, G = up[position]·scale, or scale
 * when D_UP = 0. Reads r from D_REST (or recomputes it when D_REST = 0). Writes those positions' grad.
 */
export function crossEntropyBackwardF32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const k = scratch;
  const S = load<i32>(desc, D_S), C = load<i32>(desc, D_C), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const prob = (load<i32>(desc, D_FLAGS) & PROBABILITIES) != 0;
  const w = <usize>load<i32>(desc, D_W), up = <usize>load<i32>(desc, D_UP), rest = <usize>load<i32>(desc, D_REST);
  const eps = load<f32>(desc, D_EPS), smooth = eps != 0;
  const keep = f32x4.splat(1 - eps), epsC = f32x4.splat(eps / <f32>C), wsum = f32x4.splat(load<f32>(desc, D_WSUM));
  const vs = f32x4.splat(load<f32>(desc, D_SCALE));
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const xi = <usize>load<i32>(desc, D_X) + (<usize>(i * C * S) << 2);
  const ti = <usize>load<i32>(desc, D_T) + (<usize>((prob ? i * C : i) * S) << 2);
  const gi = <usize>load<i32>(desc, D_OUT) + (<usize>(i * C * S) << 2);
  const ign = i32x4.splat(ignore), zero = f32x4.splat(0);
  for (let j = j0; j < j1; j += 4) {
    const left = j1 - j;
    let xb = xi + (<usize>j << 2), xs = <usize>S << 2, tb = ti + (<usize>j << 2), ts = <usize>S << 2;
    let gb = gi + (<usize>j << 2), G = vs, r = zero;
    const p = <usize>(i * S + j) << 2;
    if (left < 4) {
      tailIn(xi, S, j, left, C, scratch + T_X, 0);
      tailIn(ti, S, j, left, prob ? C : 1, scratch + T_T, prob ? 0 : ignore);
      xb = scratch + T_X; xs = 16; tb = scratch + T_T; ts = 16; gb = scratch + T_G;
      if (up != 0) { tailIn(up + p, S, 0, left, 1, scratch + T_MISC, 0); G = f32x4.mul(v128.load(scratch + T_MISC), vs); }
      if (rest != 0) { tailIn(rest + p, S, 0, left, 1, scratch + T_MISC, 0); r = v128.load(scratch + T_MISC); }
    } else {
      if (up != 0) G = f32x4.mul(v128.load(up + p), vs);
      if (rest != 0) r = v128.load(rest + p);
    }
    const m = rowMax(xb, xs, C);
    if (rest == 0) {
      let seen = zero;
      for (let c = 0; c < C; c++) {
        const d = f32x4.sub(v128.load(xb + <usize>c * xs), m);
        const top = v128.andnot(f32x4.eq(d, zero), seen);
        seen = v128.or(seen, top);
        r = f32x4.add(r, v128.andnot(expNeg(d, k), top));
      }
    }
    const one = v128.load(k, K_ONE);
    const inv = f32x4.div(one, f32x4.add(one, r));
    if (prob) {
      let T = zero;
      for (let c = 0; c < C; c++) {
        T = f32x4.add(T, f32x4.mul(weightOf(w, c, k), f32x4.add(f32x4.mul(keep, v128.load(tb + <usize>c * ts)), epsC)));
      }
      const A = f32x4.mul(G, T);
      for (let c = 0; c < C; c++) {
        const pc = f32x4.mul(expNeg(f32x4.sub(v128.load(xb + <usize>c * xs), m), k), inv);
        const wt = f32x4.mul(weightOf(w, c, k), f32x4.add(f32x4.mul(keep, v128.load(tb + <usize>c * ts)), epsC));
        v128.store(gb + <usize>c * xs, f32x4.sub(f32x4.mul(A, pc), f32x4.mul(G, wt)));
      }
    } else {
      const y = v128.load(tb);
      let wy = zero;
      for (let c = 0; c < C; c++) wy = v128.bitselect(weightOf(w, c, k), wy, i32x4.eq(y, i32x4.splat(c)));
      const skip = i32x4.eq(y, ign);
      const a = v128.andnot(f32x4.mul(f32x4.mul(keep, wy), G), skip);
      const b = smooth ? v128.andnot(f32x4.mul(epsC, G), skip) : zero;
      const bw = smooth ? f32x4.mul(b, wsum) : zero; // A − a
      // Ignored positions get 0·p_c: 0, or NaN in the whole row when p is NaN (a NaN or +∞ logit), as
      // PyTorch's log-softmax backward (0 − e^{NaN}·0).
      for (let c = 0; c < C; c++) {
        const e = expNeg(f32x4.sub(v128.load(xb + <usize>c * xs), m), k);
        const pc = f32x4.mul(e, inv);
        // A·p_c − [c = y]·a = (A − a)·p_c + a·q, q = p_c, or p_y − 1 = ((e − 1) − r)/(1 + r) at c = y.
        const q = v128.bitselect(f32x4.mul(f32x4.sub(f32x4.sub(e, one), r), inv), pc, i32x4.eq(y, i32x4.splat(c)));
        let g = f32x4.mul(a, q);
        if (smooth) g = f32x4.sub(f32x4.add(g, f32x4.mul(bw, pc)), f32x4.mul(b, weightOf(w, c, k)));
        v128.store(gb + <usize>c * xs, g);
      }
    }
    if (left < 4) tailOut(scratch + T_G, S, j, left, C, gi);
  }
}
