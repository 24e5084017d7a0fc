/**
 * The last step of the Winograd weight gradient (winograd-grad.ts): the items' partial sums M
 * added in item order in f64, then dW = Gᵀ M G per (output, input) channel pair. A job of its own,
 * cut into items of whole pairs of output channels: every value is summed by one item in the same
 * order whatever the thread count, so dW does not depend on it.
 */

// Descriptor (byte offsets, i32), after the weight-gradient job's (winograd-grad.ts). Mirrored in ../winograd-grad.ts.
const F_P = 128; // partials [items, 16, KE, CE]
const F_ITEMS = 132; // partials to add
const F_K = 136;
const F_C = 140;
const F_ACC = 144; // f64 sums [16, KE, CE]
const F_DW = 148; // dW [K, C, 3, 3]
const F_PER = 152; // output channels per item (even)

// @ts-ignore: decorator
@inline
function up(v: i32, m: i32): i32 { return (v + m - 1) / m * m; }

/** Runs item `item` (output channels [item·per, item·per + per)) of the finishing job at `desc`. */
export function winogradWeightGradFinishF32Item(desc: usize, item: i32, _scratch: usize): void {
  const per = load<i32>(desc, F_PER), k = load<i32>(desc, F_K), c = load<i32>(desc, F_C);
  const k0 = item * per;
  finish(<usize>load<i32>(desc, F_P), load<i32>(desc, F_ITEMS), k, c, k0, min(up(k, 2), k0 + per), <usize>load<i32>(desc, F_ACC), <usize>load<i32>(desc, F_DW));
}

/**
 * dW[ko, c] = Gᵀ M G for ko in [k0, k1) (k0, k1 even) with M[ξ] the sum of the `items` partials
 * (added in item order, in f64, into `acc`: 16·ke·ce doubles), for the partials [items, 16, ke, ce]
 * at p, into dw [K, C, 3, 3].
 * Gᵀ = [1 ½ ½ 0; 0 ½ −½ 0; 0 ½ ½ 1]. The sum streams the partials 4 values at a time (summing each
 * (k, c) across items with strided loads was 12% of a small U-Net's step).
 */
function finish(p: usize, items: i32, k: i32, c: i32, k0: i32, k1: i32, acc: usize, dw: usize): void {
  const ce = up(c, 6), ke = up(k, 2);
  const len = 16 * ke * ce, stride = <usize>len << 2;
  // Plane ξ's rows k0 … k1 − 1: (k1 − k0)·ce values from ξ·ke·ce + k0·ce, a multiple of 4 (ce is of 6, k1 − k0 even).
  for (let xi = 0; xi < 16; xi++) {
    const i1 = (xi * ke + k1) * ce;
    for (let i = (xi * ke + k0) * ce; i < i1; i += 4) {
      let src = p + (<usize>i << 2);
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      for (let it = 0; it < items; it++) {
        const v = v128.load(src);
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
        src += stride;
      }
      v128.store(acc + (<usize>i << 3), lo);
      v128.store(acc + (<usize>i << 3), hi, 16);
    }
  }
  const plane = <usize>(ke * ce) << 3;
  for (let ko = k0; ko < min(k, k1); ko++) {
    for (let co = 0; co < c; co++) {
      const at = acc + (<usize>(ko * ce + co) << 3);
      // r = Gᵀ M (3 × 4), one column b of M at a time, then dW = r G row by row.
      let r00: f64 = 0, r01: f64 = 0, r02: f64 = 0, r03: f64 = 0, r10: f64 = 0, r11: f64 = 0, r12: f64 = 0, r13: f64 = 0;
      let r20: f64 = 0, r21: f64 = 0, r22: f64 = 0, r23: f64 = 0;
      for (let b = 0; b < 4; b++) {
        const m0 = load<f64>(at + <usize>b * plane), m1 = load<f64>(at + <usize>(4 + b) * plane);
        const m2 = load<f64>(at + <usize>(8 + b) * plane), m3 = load<f64>(at + <usize>(12 + b) * plane);
        const u0 = m0 + 0.5 * (m1 + m2), u1 = 0.5 * (m1 - m2), u2 = 0.5 * (m1 + m2) + m3;
        if (b == 0) { r00 = u0; r10 = u1; r20 = u2; } else if (b == 1) { r01 = u0; r11 = u1; r21 = u2; }
        else if (b == 2) { r02 = u0; r12 = u1; r22 = u2; } else { r03 = u0; r13 = u1; r23 = u2; }
      }
      const o = dw + (<usize>((ko * c + co) * 9) << 2);
      storeTaps(o, r00, r01, r02, r03);
      storeTaps(o + 12, r10, r11, r12, r13);
      storeTaps(o + 24, r20, r21, r22, r23);
    }
  }
}

/** One row of dW = r G from a row (r0 … r3) of Gᵀ M: [r0 + ½(r1 + r2), ½(r1 − r2), ½(r1 + r2) + r3]. */
// @ts-ignore: decorator
@inline
function storeTaps(o: usize, r0: f64, r1: f64, r2: f64, r3: f64): void {
  store<f32>(o, <f32>(r0 + 0.5 * (r1 + r2)));
  store<f32>(o, <f32>(0.5 * (r1 - r2)), 4);
  store<f32>(o, <f32>(0.5 * (r1 + r2) + r3), 8);
}
