/**
 * Float32 convolutions for Tessera's WebAssembly backend, as GEMMs whose column-matrix operand is
 * gathered from the image while packing (conv-pack.ts): no im2col buffer, no copies beyond the
 * operands the loader places in memory. Same blocking and micro-kernel as gemm.ts, so the same
 * determinism: each output element is one fixed sequence of f32 operations, whichever work item
 * (thread) computes it.
 *
 * Forward (convF32Item), per image n and group g, with kg = C/G·kH·kW:
 *   Y[n, g·M : (g+1)·M] = W[g] · col(X[n, group g])  (+ bias, written into Y first, then beta = 1)
 *   W[g] is [M, kg] row-major; col is [kg, OH·OW]. The input gradient of a stride-1 convolution is
 *   this same job run on the upstream gradient with the flipped, transposed weight.
 * Weight gradient (convWeightGradF32Item), per group g:
 *   dW[g] = Σ_n Gr[n, g·M : (g+1)·M] · col(X[n, group g])ᵀ     [M, kg], reduced over n in order
 * Items: the forward is cut into (n, g, column range of OH·OW) items, the weight gradient into
 * (g, column range of kg, range of images) items, column ranges in whole NR-column tiles
 * (DESC_PARTS, DESC_TILES). With image ranges (DESC_SPLITS > 1, chosen from the shapes only), each
 * writes its own partial dW (DESC_PARTIALS) and sumPartialsF32 adds them in order.
 */
import { MC_MAX, NC_MAX, SCR_A, SCR_B, SCR_L, SCR_T, kBlock } from './blocking';
export { padPlanesF32 } from './conv-pack';
import { NR, macroKernel } from './gemm-kernel';
import { packA } from './gemm-pack';
import { G_H, G_KH, G_KW, G_OW, G_W, packColB, packColTB } from './conv-pack';

// Descriptor (byte offsets, i32). Mirrored in ../conv.ts.
const DESC_X = 0; // image batch [N, C, H, W] (forward: input; weight gradient: input)
const DESC_W = 4; // forward: weight [G, M, kg]; weight gradient: dW output [G, M, kg]
const DESC_Y = 8; // forward: output [N, G·M, OH, OW]; weight gradient: upstream gradient (same shape)
const DESC_BIAS = 12; // bias [G·M] or 0
const DESC_N = 16;
const DESC_C = 20; // image channels (all groups)
const DESC_M = 24; // output channels per group
const DESC_GROUPS = 28;
const DESC_OH = 32;
const DESC_PARTS = 36; // items per (n, g) (forward) or per g (weight gradient)
const DESC_TILES = 40; // NR-column tiles per item
const DESC_SPLITS = 44; // weight gradient: image ranges (1: none)
const DESC_PARTIALS = 48; // weight gradient: partial dW [SPLITS, G, M, kg] when SPLITS > 1
const DESC_GEO = 64; // geometry record, laid out as G_* in conv-pack.ts

/** Runs item `item` of the forward job at `desc`. */
export function convF32Item(desc: usize, item: i32, scratch: usize): void {
  const geo = desc + DESC_GEO;
  const groups = load<i32>(desc, DESC_GROUPS), m = load<i32>(desc, DESC_M), parts = load<i32>(desc, DESC_PARTS);
  const cG = load<i32>(desc, DESC_C) / groups;
  const kg = cG * load<i32>(geo, G_KH) * load<i32>(geo, G_KW);
  const plane = load<i32>(desc, DESC_OH) * load<i32>(geo, G_OW);
  const ng = item / parts;
  const n = ng / groups, g = ng - n * groups;
  const j0 = (item - ng * parts) * load<i32>(desc, DESC_TILES) * NR;
  const j1 = min(plane, j0 + load<i32>(desc, DESC_TILES) * NR);
  if (j0 >= j1) return;
  const hw = load<i32>(geo, G_H) * load<i32>(geo, G_W);
  const x = <usize>load<i32>(desc, DESC_X) + (<usize>((n * groups + g) * cG * hw) << 2);
  const a = <usize>load<i32>(desc, DESC_W) + (<usize>(g * m * kg) << 2);
  const c = <usize>load<i32>(desc, DESC_Y) + (<usize>((n * groups + g) * m * plane) << 2);
  const bias = <usize>load<i32>(desc, DESC_BIAS);
  let beta: f32 = 0;
  if (bias != 0) {
    for (let o = 0; o < m; o++) {
      const v = f32x4.splat(load<f32>(bias + (<usize>(g * m + o) << 2)));
      const row = c + (<usize>(o * plane) << 2);
      let j = j0;
      for (; j + 4 <= j1; j += 4) v128.store(row + (<usize>j << 2), v);
      for (; j < j1; j++) store<f32>(row + (<usize>j << 2), f32x4.extract_lane(v, 0));
    }
    beta = 1;
  }
  const ap = scratch + SCR_A, bp = scratch + SCR_B;
  const kcb = kBlock(kg);
  for (let pc = 0; pc < kg; pc += kcb) {
    const kc = min(kcb, kg - pc);
    const mode = pc > 0 ? 3 : beta == 0 ? 1 : 2;
    for (let ic = 0; ic < m; ic += MC_MAX) {
      const mc = min(MC_MAX, m - ic);
      packA(a, m, kg, false, ic, mc, pc, kc, ap);
      for (let jc = j0; jc < j1; jc += NC_MAX) {
        const nc = min(NC_MAX, j1 - jc);
        packColB(x, geo, pc, kc, jc, nc, bp, scratch + SCR_L);
        macroKernel(kc, ap, bp, c + (<usize>(ic * plane + jc) << 2), plane, mc, nc, mode, 1, beta, scratch + SCR_T);
      }
    }
  }
}

/** Runs item `item` of the weight-gradient job at `desc`. */
export function convWeightGradF32Item(desc: usize, item: i32, scratch: usize): void {
  const geo = desc + DESC_GEO;
  const groups = load<i32>(desc, DESC_GROUPS), m = load<i32>(desc, DESC_M), parts = load<i32>(desc, DESC_PARTS);
  const batch = load<i32>(desc, DESC_N), splits = load<i32>(desc, DESC_SPLITS);
  const cG = load<i32>(desc, DESC_C) / groups;
  const kg = cG * load<i32>(geo, G_KH) * load<i32>(geo, G_KW);
  const plane = load<i32>(desc, DESC_OH) * load<i32>(geo, G_OW);
  const gp = item / splits, split = item - gp * splits;
  const g = gp / parts;
  const j0 = (gp - g * parts) * load<i32>(desc, DESC_TILES) * NR;
  const j1 = min(kg, j0 + load<i32>(desc, DESC_TILES) * NR);
  const n0 = split * batch / splits, n1 = (split + 1) * batch / splits;
  if (j0 >= j1 || n0 >= n1) return;
  const hw = load<i32>(geo, G_H) * load<i32>(geo, G_W);
  const out = splits > 1 ? <usize>load<i32>(desc, DESC_PARTIALS) + (<usize>(split * groups * m * kg) << 2) : <usize>load<i32>(desc, DESC_W);
  const c = out + (<usize>(g * m * kg) << 2);
  const ap = scratch + SCR_A, bp = scratch + SCR_B;
  const kcb = kBlock(plane);
  for (let n = n0; n < n1; n++) {
    const x = <usize>load<i32>(desc, DESC_X) + (<usize>((n * groups + g) * cG * hw) << 2);
    const a = <usize>load<i32>(desc, DESC_Y) + (<usize>((n * groups + g) * m * plane) << 2);
    for (let pc = 0; pc < plane; pc += kcb) {
      const kc = min(kcb, plane - pc);
      const mode = n == n0 && pc == 0 ? 1 : 3;
      for (let ic = 0; ic < m; ic += MC_MAX) {
        const mc = min(MC_MAX, m - ic);
        packA(a, m, plane, false, ic, mc, pc, kc, ap);
        for (let jc = j0; jc < j1; jc += NC_MAX) {
          const nc = min(NC_MAX, j1 - jc);
          packColTB(x, geo, pc, kc, jc, nc, bp, scratch + SCR_L);
          macroKernel(kc, ap, bp, c + (<usize>(ic * kg + jc) << 2), kg, mc, nc, mode, 1, 0, scratch + SCR_T);
        }
      }
    }
  }
}

/** out[i] = Σ_s p[s·len + i] for s < splits, added in order in f64 and rounded once (the weight gradient's image ranges). */
export function sumPartialsF32(p: usize, splits: i32, len: i32, out: usize): void {
  for (let i = 0; i < len; i++) {
    let s: f64 = 0;
    for (let k = 0; k < splits; k++) s += <f64>load<f32>(p + (<usize>(k * len + i) << 2));
    store<f32>(out + (<usize>i << 2), <f32>s);
  }
}

/** db[o] = Σ_{n, j} gr[n, o, j] (gr: [n, c, plane]), accumulated in f64, written as f32. */
export function convBiasGradF32(gr: usize, n: i32, c: i32, plane: i32, db: usize): void {
  for (let o = 0; o < c; o++) {
    let total: f64 = 0;
    for (let i = 0; i < n; i++) {
      const row = gr + (<usize>((i * c + o) * plane) << 2);
      let lo = f64x2.splat(0), hi = f64x2.splat(0);
      let j = 0;
      for (; j + 4 <= plane; j += 4) {
        const v = v128.load(row + (<usize>j << 2));
        lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
        hi = f64x2.add(hi, f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1)));
      }
      let s = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
      for (; j < plane; j++) s += <f64>load<f32>(row + (<usize>j << 2));
      total += s;
    }
    store<f32>(db + (<usize>o << 2), <f32>total);
  }
}
