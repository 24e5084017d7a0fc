/**
 * Fused softmax cross-entropy for any class count C ≤ 64 (see kernels/cross-entropy.ts for the
 * definition and wasm/cross-entropy.ts for when it runs): logits x [n, C, S], index targets (i32
 * [n, S], or ignoreIndex) or probability targets (f32 [n, C, S]), class weights (f32 × C) or none,
 * label smoothing ε. Blocks of 16 positions (cross-entropy-block.ts), f32x4 over four at a time; per position
 *   m = max_c x_c,  d_c = x_c − m,  r = Σ_c e^{d_c} − 1 (the rest: the first max's 1 left out),
 *   L = log1p(r) (so log p_c = d_c − L, p_c = e^{d_c}/(1 + r)),
 *   index:  nll = w_y·(L − d_y),  smooth = Σ_c w_c·(L − d_c) = L·Σw − Σ_c w_c·d_c  (0 where ignored)
 *           loss = (1 − ε)·nll + (ε/C)·smooth
 *           ∂/∂x_c = A·p_c − [c = y]·a − b·w_c,  a = (1 − ε)·w_y·G,  b = (ε/C)·G,  A = a + b·Σw
 *   probabilities, t'_c = (1 − ε)·t_c + ε/C:  loss = Σ_c w_c·t'_c·(L − d_c),  ∂/∂x_c = G·(T·p_c − w_c·t'_c), T = Σ_c w_c·t'_c
 * (written with d_c, never x_c − lse, so large logits lose nothing to cancellation; with the rest r, a
 * confident position's loss L − d_y = log1p(r) and the target's gradient (p_y − 1 = ((e^{d_y} − 1) − r)/(1 + r))
 * keep their relative precision, where log Σ e^{d} and p_y − 1 would cancel to a few bits in float32).
 * One item function does the loss (STATS), the gradient (D_GRAD ≠ 0), or both in one pass over x: fused
 * for speed, as the op asks the forward for the gradient of upstream 1 when it will be needed (see
 * ops/cross-entropy.ts). Items are (image, chunk of positions) and sum in f64 into per-item partials,
 * so results do not depend on the thread count.
 */
import { fillConstants } from './cross-entropy-math';
import { copyMax, copyRows, gradient, J_EPSC, J_IGN, J_KEEP, J_SCALE, J_WSUM, MAX_C, positions, SUMS, TB, TG, TL, TT, TU, TX, weightOf, XB } from './cross-entropy-block';

// Job descriptor (byte offsets, i32 unless noted). Mirrored in ../cross-entropy.ts.
const D_X = 0, D_T = 4, D_W = 8, D_S = 12, D_C = 16, D_IGNORE = 20, D_CHUNKS = 24, D_OUT = 28, D_PARTIAL = 32;
const D_UP = 36, D_GRAD = 40, D_FLAGS = 44;
const D_SCALE = 48, D_EPS = 52, D_WSUM = 56; // f32
/** D_FLAGS bits: probability targets; the loss (D_OUT per position when ≠ 0, and the partials). */
const PROBABILITIES = 1, STATS = 2;
/** Positions per work item (a multiple of 16). */
const CHUNK = 4096;

export function crossEntropyMultiChunk(): i32 {
  return CHUNK;
}

export function crossEntropyMultiMaxClasses(): i32 {
  return MAX_C;
}

/** Copies lanes [0, left) of `rows` rows (stride S floats) from src + j to the 16-lane rows at dst, the rest `pad`. */
function tailIn(src: usize, S: i32, j: i32, left: i32, rows: i32, dst: usize, pad: i32): void {
  for (let c = 0; c < rows; c++) {
    for (let l = 0; l < 16; l++) {
      store<i32>(dst + (<usize>(16 * c + l) << 2), l < left ? load<i32>(src + (<usize>(c * S + j + l) << 2)) : pad);
    }
  }
}

/** Copies lanes [0, left) of `rows` 16-lane rows at src to dst + j (stride S floats). */
function tailOut(src: usize, S: i32, j: i32, left: i32, rows: i32, dst: usize): void {
  for (let c = 0; c < rows; c++) {
    for (let l = 0; l < left; l++) store<f32>(dst + (<usize>(c * S + j + l) << 2), load<f32>(src + (<usize>(16 * c + l) << 2)));
  }
}

/**
 * Item (image i, a chunk of positions). With STATS: the losses at D_OUT when ≠ 0, and Σ nll, Σ smooth,
 * Σ w_y as f64 at partial + 24·item (probabilities: Σ loss, 0, 0). With D_GRAD ≠ 0: the gradient
 * ∂(Σ G·loss)/∂x of those positions, G = up[position]·scale, or scale when D_UP = 0.
 */
export function crossEntropyF32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const k = scratch;
  const S = load<i32>(desc, D_S), C = load<i32>(desc, D_C), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const flags = load<i32>(desc, D_FLAGS), prob = (flags & PROBABILITIES) != 0, stats = (flags & STATS) != 0;
  const w = <usize>load<i32>(desc, D_W), out = <usize>load<i32>(desc, D_OUT), up = <usize>load<i32>(desc, D_UP), gr = <usize>load<i32>(desc, D_GRAD);
  const eps = load<f32>(desc, D_EPS), smooth = eps != 0;
  v128.store(k + J_KEEP, f32x4.splat(1 - eps)); v128.store(k + J_EPSC, f32x4.splat(eps / <f32>C));
  v128.store(k + J_WSUM, f32x4.splat(load<f32>(desc, D_WSUM))); v128.store(k + J_SCALE, f32x4.splat(load<f32>(desc, D_SCALE)));
  v128.store(k + J_IGN, i32x4.splat(ignore));
  for (let s = 0; s < 96; s += 16) v128.store(k + SUMS + s, f64x2.splat(0));
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const xi = <usize>load<i32>(desc, D_X) + (<usize>(i * C * S) << 2);
  const ti = <usize>load<i32>(desc, D_T) + (<usize>((prob ? i * C : i) * S) << 2);
  const gi = gr + (<usize>(i * C * S) << 2), ui = up + (<usize>(i * S) << 2), oi = out + (<usize>(i * S) << 2);
  for (let j = j0; j < j1; j += 16) {
    const left = j1 - j;
    const at = <usize>j << 2;
    let xb = xi + at, rs = <usize>S << 2, tb = ti + at, ub = up != 0 ? ui + at : 0, gb = gi + at, ob = oi + at;
    if (left < 16) {
      tailIn(xi, S, j, left, C, k + TX, 0);
      tailIn(ti, S, j, left, prob ? C : 1, k + TT, prob ? 0 : ignore);
      if (up != 0) { tailIn(ui, S, j, left, 1, k + TU, 0); ub = k + TU; }
      xb = k + TX; tb = k + TT; rs = 64; gb = k + TG; ob = k + TL;
    }
    copyMax(xb, rs, C, k + XB, k);
    if (prob) copyRows(tb, rs, C, k + TB);
    for (let v = 0; v < 4; v++) {
      const y = prob ? v128.load(k, J_IGN) : v128.load(tb + (<usize>v << 4));
      const loss = positions(k, v, C, w, y, ub, prob, smooth, gr != 0, stats, left);
      if (stats && out != 0) v128.store(ob + (<usize>v << 4), loss);
    }
    if (gr != 0) gradient(k, C, w, gb, rs, prob, smooth);
    if (left < 16) {
      if (gr != 0) tailOut(k + TG, S, j, left, C, gi);
      if (stats && out != 0) tailOut(k + TL, S, j, left, 1, oi);
    }
  }
  if (!stats) return;
  const part = <usize>load<i32>(desc, D_PARTIAL) + <usize>(24 * item), s = k + SUMS;
  const a = f64x2.add(v128.load(s), v128.load(s, 16)), b = f64x2.add(v128.load(s, 32), v128.load(s, 48));
  const c = f64x2.add(v128.load(s, 64), v128.load(s, 80));
  store<f64>(part, f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1));
  store<f64>(part, f64x2.extract_lane(b, 0) + f64x2.extract_lane(b, 1), 8);
  store<f64>(part, f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1), 16);
}

/**
 * Item of the weight sum W = Σ w_y over the non-ignored index targets (the 'mean' denominator), summed as
 * crossEntropyF32Item sums it, at partial + 24·item + 16: run first when the forward also writes the
 * gradient, whose scale 1/W it needs.
 */
export function crossEntropyWeightF32Item(desc: usize, item: i32, scratch: usize): void {
  fillConstants(scratch);
  const S = load<i32>(desc, D_S), C = load<i32>(desc, D_C), chunks = load<i32>(desc, D_CHUNKS), ignore = load<i32>(desc, D_IGNORE);
  const w = <usize>load<i32>(desc, D_W);
  const i = item / chunks;
  const j0 = (item - i * chunks) * CHUNK, j1 = min(S, j0 + CHUNK);
  const ti = <usize>load<i32>(desc, D_T) + (<usize>(i * S) << 2);
  const ign = i32x4.splat(ignore), zero = f32x4.splat(0);
  let lo = f64x2.splat(0), hi = lo;
  for (let j = j0; j < j1; j += 4) {
    const left = j1 - j;
    let y: v128;
    if (left >= 4) y = v128.load(ti + (<usize>j << 2));
    else {
      // The tail (< 4 positions), padded with ignoreIndex.
      const t = ti + (<usize>j << 2);
      y = i32x4.replace_lane(ign, 0, load<i32>(t));
      if (left > 1) y = i32x4.replace_lane(y, 1, load<i32>(t, 4));
      if (left > 2) y = i32x4.replace_lane(y, 2, load<i32>(t, 8));
    }
    let wy = zero;
    for (let c = 0; c < C; c++) wy = v128.bitselect(weightOf(w, c, scratch), wy, i32x4.eq(y, i32x4.splat(c)));
    const wv = v128.andnot(wy, i32x4.eq(y, ign));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(wv));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(wv, wv, 2, 3, 0, 1)));
  }
  const s = f64x2.add(lo, hi);
  store<f64>(<usize>load<i32>(desc, D_PARTIAL) + <usize>(24 * item), f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1), 16);
}

/**
 * Item of the index-target check: how many of the chunk's targets (D_T, D_S of them, one image) are
 * neither in [0, C) nor ignoreIndex, as i32 at partial + 4·item. Only the count: the caller finds the
 * first one (an error path) in js.
 */
export function crossEntropyTargetCheckItem(desc: usize, item: i32, scratch: usize): void {
  const S = load<i32>(desc, D_S), C = load<i32>(desc, D_C), ignore = load<i32>(desc, D_IGNORE);
  const t = <usize>load<i32>(desc, D_T);
  const j1 = min(S, (item + 1) * CHUNK);
  const vc = i32x4.splat(C), ign = i32x4.splat(ignore);
  let bad = i32x4.splat(0), j = item * CHUNK;
  for (; j + 4 <= j1; j += 4) {
    const y = v128.load(t + (<usize>j << 2));
    bad = i32x4.sub(bad, v128.andnot(i32x4.ge_u(y, vc), i32x4.eq(y, ign))); // lanes of −1 where bad
  }
  let n = i32x4.extract_lane(bad, 0) + i32x4.extract_lane(bad, 1) + i32x4.extract_lane(bad, 2) + i32x4.extract_lane(bad, 3);
  for (; j < j1; j++) {
    const y = load<i32>(t + (<usize>j << 2));
    if (<u32>y >= <u32>C && y != ignore) n++;
  }
  store<i32>(<usize>load<i32>(desc, D_PARTIAL) + (<usize>item << 2), n);
}
