/**
 * The input gradient of a convolution as a transposed convolution, for strides above 1 (stride-1
 * input gradients are convolutions with the rotated weight: conv.ts / winograd.ts), and so
 * convTranspose2d's forward: per image n and group g,
 *   cols = W[g]ᵀ · G[n, g]          [kg, OH·OW] = [kg, M] · [M, OH·OW]   (the packed GEMM of gemm-kernel.ts)
 *   dx[n, g] = col2im(cols)         dx[ci, oh·sH − pH + ki·dH, ow·sW − pW + kj·dW] += cols[(ci, ki, kj), (oh, ow)]
 * with the columns taken CHUNK positions at a time, so the column matrix is never stored whole.
 * One item per (image, group): each dx element is summed by one item in a fixed order (chunks in
 * order, then rows in order), so the result does not depend on the thread count.
 */
import { KC_MAX, MC_MAX, SCR_A, SCR_B, SCR_T, kBlock } from './blocking';
import { G_DH, G_DW, G_H, G_KH, G_KW, G_OW, G_PH, G_PW, G_SH, G_SW, G_W } from './conv-pack';
import { macroKernel, MR } from './gemm-kernel';
import { packA, packB } from './gemm-pack';

// Descriptor (byte offsets, i32). Mirrored in ../conv-transpose.ts.
const D_G = 0; // upstream gradient [N, GROUPS·M, OH, OW]
const D_W = 4; // weight [GROUPS·M, C/GROUPS, kH, kW]
const D_DX = 8; // result [N, C, H, W]
const D_C = 12; // channels of dx (all groups)
const D_M = 16; // channels of the gradient per group
const D_GROUPS = 20;
const D_OH = 24;
const D_GEO = 64; // geometry record, laid out as G_* in conv-pack.ts

/** Positions per chunk of the column matrix. */
const CHUNK: i32 = 128;
/** The chunk's columns live after its packed B block, in the rest of the B area. */
const SCR_COLS: usize = SCR_B + <usize>(KC_MAX * CHUNK * 4);

/** Largest kg = C/groups·kH·kW the per-thread scratch holds a chunk of columns for (the loader checks it). */
export function convTransposeMaxRows(): i32 {
  return <i32>((SCR_T - SCR_COLS) / <usize>(CHUNK * 4));
}

/** Packs every (k-block, row block) of Wᵀ ([kg, m] as W [m, kg] transposed) at ap, in loop order. */
function packAll(wt: usize, kg: i32, m: i32, kcb: i32, ap: usize): void {
  let a = ap;
  for (let pc = 0; pc < m; pc += kcb) {
    const kc = min(kcb, m - pc);
    for (let ic = 0; ic < kg; ic += MC_MAX) {
      const mc = min(MC_MAX, kg - ic);
      packA(wt, kg, m, true, ic, mc, pc, kc, a);
      a += <usize>((mc + MR - 1) / MR * MR * kc) << 2;
    }
  }
}

/**
 * plane[oh·sH + offH, ow·sW + offW] += src[t] for the positions j0 + t = oh·OW + ow, t < cnt, that land
 * inside the h × w plane: one output row at a time, with its in-range columns found once (unit
 * column stride: f32x4 adds).
 */
function scatterRow(src: usize, j0: i32, cnt: i32, outW: i32, plane: usize, h: i32, w: i32, sH: i32, sW: i32, offH: i32, offW: i32): void {
  // Columns ow with iw = ow·sW + offW inside [0, w): [lo, hi).
  const lo = offW >= 0 ? 0 : min(outW, (sW - 1 - offW) / sW);
  const hi = max(lo, min(outW, (w - offW + sW - 1) / sW));
  let oh = j0 / outW, ow = j0 - oh * outW;
  let s = src;
  while (cnt > 0) {
    const end = min(outW, ow + cnt);
    const ih = oh * sH + offH;
    const a = min(max(ow, lo), end), b = max(min(hi, end), a);
    if (ih >= 0 && ih < h && b > a) {
      const from = s + (<usize>(a - ow) << 2);
      const to = plane + (<usize>(ih * w + a * sW + offW) << 2);
      const len = b - a;
      let i = 0;
      if (sW == 1) {
        for (; i + 4 <= len; i += 4) {
          const o = <usize>i << 2;
          v128.store(to + o, f32x4.add(v128.load(to + o), v128.load(from + o)));
        }
      }
      for (; i < len; i++) {
        const at = to + (<usize>(i * sW) << 2);
        store<f32>(at, load<f32>(at) + load<f32>(from + (<usize>i << 2)));
      }
    }
    s += <usize>(end - ow) << 2;
    cnt -= end - ow;
    oh++;
    ow = 0;
  }
}

/** Runs item `item` (image item / GROUPS, group item mod GROUPS) of the job at `desc`. */
export function convTransposeF32Item(desc: usize, item: i32, scratch: usize): void {
  const geo = desc + D_GEO;
  const groups = load<i32>(desc, D_GROUPS), m = load<i32>(desc, D_M);
  const cG = load<i32>(desc, D_C) / groups;
  const h = load<i32>(geo, G_H), w = load<i32>(geo, G_W), kH = load<i32>(geo, G_KH), kW = load<i32>(geo, G_KW);
  const oh = load<i32>(desc, D_OH), ow = load<i32>(geo, G_OW);
  const kg = cG * kH * kW, plane = oh * ow, kk = kH * kW;
  const n = item / groups, g = item - n * groups;
  const gr = <usize>load<i32>(desc, D_G) + (<usize>((n * groups + g) * m * plane) << 2);
  const wt = <usize>load<i32>(desc, D_W) + (<usize>(g * m * kg) << 2);
  const dx = <usize>load<i32>(desc, D_DX) + (<usize>((n * groups + g) * cG * h * w) << 2);
  for (let i = 0; i < cG * h * w; i++) store<f32>(dx + (<usize>i << 2), 0);
  const sH = load<i32>(geo, G_SH), sW = load<i32>(geo, G_SW), pH = load<i32>(geo, G_PH), pW = load<i32>(geo, G_PW);
  const dH = load<i32>(geo, G_DH), dW = load<i32>(geo, G_DW);
  const ap = scratch + SCR_A, bp = scratch + SCR_B, cols = scratch + SCR_COLS, t = scratch + SCR_T;
  const kcb = kBlock(m);
  // Wᵀ packed once for all chunks when it fits the A area (its blocks one after another), else per chunk.
  const whole = (kg + MR - 1) / MR * MR * m <= MC_MAX * KC_MAX;
  if (whole) packAll(wt, kg, m, kcb, ap);
  for (let j0 = 0; j0 < plane; j0 += CHUNK) {
    const nc = min(CHUNK, plane - j0);
    let a = ap;
    for (let pc = 0; pc < m; pc += kcb) {
      const kc = min(kcb, m - pc);
      packB(gr, plane, m, false, pc, kc, j0, nc, bp);
      for (let ic = 0; ic < kg; ic += MC_MAX) {
        const mc = min(MC_MAX, kg - ic);
        if (!whole) { a = ap; packA(wt, kg, m, true, ic, mc, pc, kc, a); }
        macroKernel(kc, a, bp, cols + (<usize>(ic * nc) << 2), nc, mc, nc, pc > 0 ? 3 : 1, 1, 0, t);
        if (whole) a += <usize>((mc + MR - 1) / MR * MR * kc) << 2;
      }
    }
    // col2im of the chunk: row r = (ci, ki, kj) of position j lands at (oh·sH − pH + ki·dH, ow·sW − pW + kj·dW).
    for (let r = 0; r < kg; r++) {
      const ci = r / kk, ki = (r - ci * kk) / kW, kj = r - ci * kk - ki * kW;
      scatterRow(cols + (<usize>(r * nc) << 2), j0, nc, ow, dx + (<usize>(ci * h * w) << 2), h, w, sH, sW, ki * dH - pH, kj * dW - pW);
    }
  }
}
