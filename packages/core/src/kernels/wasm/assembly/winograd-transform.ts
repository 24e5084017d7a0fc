/**
 * The transforms of Winograd's F(2×2, 3×3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
 * Networks", 2016) for winograd.ts. A 2×2 output tile Y of a 3×3 correlation of the 4×4 input tile
 * d with the filter g is
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A
 *   Bᵀ = [1 0 −1 0; 0 1 1 0; 0 −1 1 0; 0 1 0 −1]   G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1]   Aᵀ = [1 1 1 0; 0 1 −1 −1]
 * so the 16 multiplies per tile and channel pair replace 36: summed over the input channels they are
 * 16 GEMMs (one per position ξ of the 4×4 transformed tile), M[ξ] = U[ξ] · V[ξ].
 * Vectors hold 4 horizontally consecutive tiles (one per lane); the tile grid is padded to a
 * multiple of 4 columns so that such a group never straddles two tile rows.
 */
import { MR } from './gemm-kernel';

/**
 * Rows [r0, r0 + rows) of the zero-padded copy (the image at (top, left), wp columns) of one h × w
 * channel plane at src, into dst (rows × wp floats).
 */
export function padRows(src: usize, h: i32, w: i32, top: i32, left: i32, r0: i32, rows: i32, wp: i32, dst: usize): void {
  const z = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = dst + (<usize>(r * wp) << 2);
    const ih = r0 + r - top;
    if (ih < 0 || ih >= h) {
      let i = 0;
      for (; i + 4 <= wp; i += 4) v128.store(row + (<usize>i << 2), z);
      for (; i < wp; i++) store<f32>(row + (<usize>i << 2), 0);
      continue;
    }
    for (let i = 0; i < left; i++) store<f32>(row + (<usize>i << 2), 0);
    const from = src + (<usize>(ih * w) << 2), to = row + (<usize>left << 2);
    let i = 0;
    for (; i + 4 <= w; i += 4) v128.store(to + (<usize>i << 2), v128.load(from + (<usize>i << 2)));
    for (; i < w; i++) store<f32>(to + (<usize>i << 2), load<f32>(from + (<usize>i << 2)));
    for (let j = left + w; j < wp; j++) store<f32>(row + (<usize>j << 2), 0);
  }
}

/**
 * V = Bᵀ d B for `groups` groups of 4 tiles starting at tile t0 of one channel, from its zero-padded
 * rows from row 2·i0 on (wp floats each, at x: tile (i, j) reads rows 2i … 2i+3 and columns 2j … 2j+3
 * of the padded plane), tw tiles per row. Writes the 16 vectors of group q to
 * v + ξ·vStride + ⌊q/2⌋·pairStride + (q mod 2)·oddOffset floats: with (8·kc, 4) (and v offset to row
 * c) that is row c of the NR-column panels the GEMM reads; with (48, 24) (and v offset to the
 * channel's lane in its panel) the 6-channel panels of the weight gradient.
 */
export function inputTransform(
  x: usize, wp: i32, tw: i32, i0: i32, t0: i32, groups: i32, pairStride: i32, oddOffset: i32, v: usize, vStride: i32,
): void {
  const vs = <usize>vStride << 2;
  const row = <usize>wp << 2;
  for (let q = 0; q < groups; q++) {
    const t = t0 + 4 * q;
    const i = t / tw, j = t - i * tw;
    const r0 = x + (<usize>(2 * (i - i0) * wp + 2 * j) << 2);
    const o = v + (<usize>((q >> 1) * pairStride + (q & 1) * oddOffset) << 2);
    // Bᵀ along the rows first, on the raw rows (r0 − r2, r1 + r2, r2 − r1, r1 − r3: row a of Bᵀ d),
    // then along the columns: one row of ξ at a time keeps V8 from spilling (the transform's share
    // of a forward's profile fell from 16% to 8% against holding all 16 column sums).
    transformRow(r0, r0 + 2 * row, false, o, vs);
    transformRow(r0 + row, r0 + 2 * row, true, o + 4 * vs, vs);
    transformRow(r0 + 2 * row, r0 + row, false, o + 8 * vs, vs);
    transformRow(r0 + row, r0 + 3 * row, false, o + 12 * vs, vs);
  }
}

/**
 * Row a of Bᵀ d B for 4 tiles: e = row p ± row q of the tiles (add: p + q, else p − q), then
 * (e0 − e2, e1 + e2, e2 − e1, e1 − e3) along the columns, stored at o, o + vs, o + 2·vs, o + 3·vs.
 */
// @ts-ignore: decorator
@inline
function transformRow(p: usize, q: usize, add: bool, o: usize, vs: usize): void {
  let lo: v128, hi: v128, lo2: v128, hi2: v128;
  if (add) {
    lo = f32x4.add(v128.load(p), v128.load(q)); hi = f32x4.add(v128.load(p, 16), v128.load(q, 16));
    lo2 = f32x4.add(v128.load(p, 8), v128.load(q, 8)); hi2 = f32x4.add(v128.load(p, 24), v128.load(q, 24));
  } else {
    lo = f32x4.sub(v128.load(p), v128.load(q)); hi = f32x4.sub(v128.load(p, 16), v128.load(q, 16));
    lo2 = f32x4.sub(v128.load(p, 8), v128.load(q, 8)); hi2 = f32x4.sub(v128.load(p, 24), v128.load(q, 24));
  }
  // Columns 2j + 2l + s of the 4 tiles l: s = 0, 1 from (lo, hi), s = 2, 3 from (lo2, hi2).
  const e0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), e1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
  const e2 = v128.shuffle<f32>(lo2, hi2, 0, 2, 4, 6), e3 = v128.shuffle<f32>(lo2, hi2, 1, 3, 5, 7);
  v128.store(o, f32x4.sub(e0, e2));
  v128.store(o + vs, f32x4.add(e1, e2));
  v128.store(o + 2 * vs, f32x4.sub(e2, e1));
  v128.store(o + 3 * vs, f32x4.sub(e1, e3));
}

/**
 * Y = Aᵀ m A (+ bias, then relu when `relu`) for the tiles [t0, t0 + 4·groups) of one output plane
 * (oh × ow floats at y; tile (i, j) writes rows 2i, 2i+1 and columns 2j, 2j+1 where inside), from
 * m[ξ] at m + ξ·mStride + 4·q floats (group q). relu is x > 0 or NaN ? x : 0, as the relu kernels.
 */
export function outputTransform(
  m: usize, mStride: i32, y: usize, oh: i32, ow: i32, tw: i32, t0: i32, groups: i32, bias: f32, relu: bool,
): void {
  const ms = <usize>mStride << 2;
  const vb = f32x4.splat(bias), z = f32x4.splat(0);
  for (let q = 0; q < groups; q++) {
    const t = t0 + 4 * q;
    const i = t / tw, j = t - i * tw;
    const p = m + (<usize>(4 * q) << 2);
    // Aᵀ along the rows of m (ξ = 4·row + column): r0 = m0 + m1 + m2, r1 = m1 − m2 − m3.
    let m0 = v128.load(p), m1 = v128.load(p + 4 * ms), m2 = v128.load(p + 8 * ms), m3 = v128.load(p + 12 * ms);
    const r00 = f32x4.add(f32x4.add(m0, m1), m2), r10 = f32x4.sub(f32x4.sub(m1, m2), m3);
    m0 = v128.load(p + ms); m1 = v128.load(p + 5 * ms); m2 = v128.load(p + 9 * ms); m3 = v128.load(p + 13 * ms);
    const r01 = f32x4.add(f32x4.add(m0, m1), m2), r11 = f32x4.sub(f32x4.sub(m1, m2), m3);
    m0 = v128.load(p + 2 * ms); m1 = v128.load(p + 6 * ms); m2 = v128.load(p + 10 * ms); m3 = v128.load(p + 14 * ms);
    const r02 = f32x4.add(f32x4.add(m0, m1), m2), r12 = f32x4.sub(f32x4.sub(m1, m2), m3);
    m0 = v128.load(p + 3 * ms); m1 = v128.load(p + 7 * ms); m2 = v128.load(p + 11 * ms); m3 = v128.load(p + 15 * ms);
    const r03 = f32x4.add(f32x4.add(m0, m1), m2), r13 = f32x4.sub(f32x4.sub(m1, m2), m3);
    // Aᵀ along the columns, then the epilogue.
    let y00 = f32x4.add(f32x4.add(f32x4.add(r00, r01), r02), vb);
    let y01 = f32x4.add(f32x4.sub(f32x4.sub(r01, r02), r03), vb);
    let y10 = f32x4.add(f32x4.add(f32x4.add(r10, r11), r12), vb);
    let y11 = f32x4.add(f32x4.sub(f32x4.sub(r11, r12), r13), vb);
    if (relu) {
      // x > 0 or NaN keeps x (NaN stays NaN, as PyTorch's relu)
      y00 = v128.bitselect(y00, z, v128.or(f32x4.gt(y00, z), f32x4.ne(y00, y00)));
      y01 = v128.bitselect(y01, z, v128.or(f32x4.gt(y01, z), f32x4.ne(y01, y01)));
      y10 = v128.bitselect(y10, z, v128.or(f32x4.gt(y10, z), f32x4.ne(y10, y10)));
      y11 = v128.bitselect(y11, z, v128.or(f32x4.gt(y11, z), f32x4.ne(y11, y11)));
    }
    storeRow(y, oh, ow, 2 * i, 2 * j, y00, y01);
    storeRow(y, oh, ow, 2 * i + 1, 2 * j, y10, y11);
  }
}

/** Stores output row `row` at columns col … col+7 from the even (e) and odd (o) columns of 4 tiles, clipped to the plane. */
// @ts-ignore: decorator
@inline
function storeRow(y: usize, oh: i32, ow: i32, row: i32, col: i32, e: v128, o: v128): void {
  if (row >= oh) return;
  const lo = v128.shuffle<f32>(e, o, 0, 4, 1, 5), hi = v128.shuffle<f32>(e, o, 2, 6, 3, 7);
  const dst = y + (<usize>(row * ow + col) << 2);
  if (col + 8 <= ow) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
    return;
  }
  const n = ow - col;
  if (n > 0) store<f32>(dst, f32x4.extract_lane(lo, 0));
  if (n > 1) store<f32>(dst, f32x4.extract_lane(lo, 1), 4);
  if (n > 2) store<f32>(dst, f32x4.extract_lane(lo, 2), 8);
  if (n > 3) store<f32>(dst, f32x4.extract_lane(lo, 3), 12);
  if (n > 4) store<f32>(dst, f32x4.extract_lane(hi, 0), 16);
  if (n > 5) store<f32>(dst, f32x4.extract_lane(hi, 1), 20);
  if (n > 6) store<f32>(dst, f32x4.extract_lane(hi, 2), 24);
}

/**
 * U[ξ] = (G g Gᵀ)[ξ] for every (row r, depth d) filter g of a weight, computed in f64 and rounded to
 * f32 once, written as the GEMM's A operand: per ξ and per chunk of kc depth channels
 * (d0 = 0, kc, 2·kc, …), MR-row panels of the rows (zero padded to kPad) × the chunk, at
 * u + (ξ·depth + d0)·kPad floats. The weight is [rows, depth, 3, 3], or with `flip` [depth, rows, 3, 3]
 * read rotated by 180° (the weight of a stride-1 convolution's input gradient).
 */
export function winogradWeightsF32(w: usize, rows: i32, depth: i32, kc: i32, flip: bool, u: usize): void {
  const kPad = (rows + MR - 1) / MR * MR;
  const plane = <usize>(depth * kPad) << 2;
  for (let r = 0; r < kPad; r++) {
    for (let d = 0; d < depth; d++) {
      const d0 = d / kc * kc, width = min(kc, depth - d0);
      // Element (r, d − d0) of the chunk's A block: panel ⌊r/MR⌋, at (d − d0)·MR + r mod MR.
      const at = u + (<usize>(r / MR * MR * width + (d - d0) * MR + r % MR + d0 * kPad) << 2);
      if (r >= rows) {
        for (let xi = 0; xi < 16; xi++) store<f32>(at + <usize>xi * plane, 0);
        continue;
      }
      const g = w + (<usize>((flip ? d * rows + r : r * depth + d) * 9) << 2);
      // t = G g (4 × 3), column by column, then U = t Gᵀ row by row.
      let t00: f64 = 0, t01: f64 = 0, t02: f64 = 0, t10: f64 = 0, t11: f64 = 0, t12: f64 = 0;
      let t20: f64 = 0, t21: f64 = 0, t22: f64 = 0, t30: f64 = 0, t31: f64 = 0, t32: f64 = 0;
      for (let q = 0; q < 3; q++) {
        const g0 = tap(g, 0 + q, flip), g1 = tap(g, 3 + q, flip), g2 = tap(g, 6 + q, flip);
        const a = g0, b = 0.5 * (g0 + g1 + g2), c = 0.5 * (g0 - g1 + g2), e = g2;
        if (q == 0) { t00 = a; t10 = b; t20 = c; t30 = e; }
        else if (q == 1) { t01 = a; t11 = b; t21 = c; t31 = e; }
        else { t02 = a; t12 = b; t22 = c; t32 = e; }
      }
      storeRowG(at, plane, 0, t00, t01, t02);
      storeRowG(at, plane, 4, t10, t11, t12);
      storeRowG(at, plane, 8, t20, t21, t22);
      storeRowG(at, plane, 12, t30, t31, t32);
    }
  }
}

/** Tap p (= 3·row + column) of the 3×3 filter at g, or of its 180° rotation. */
// @ts-ignore: decorator
@inline
function tap(g: usize, p: i32, flip: bool): f64 {
  return <f64>load<f32>(g + (<usize>(flip ? 8 - p : p) << 2));
}

/** Row a of U = t Gᵀ from row a of t (t0, t1, t2): U[ξ = a·4 + b] for b = 0..3. */
// @ts-ignore: decorator
@inline
function storeRowG(at: usize, plane: usize, xi: i32, t0: f64, t1: f64, t2: f64): void {
  store<f32>(at + <usize>xi * plane, <f32>t0);
  store<f32>(at + <usize>(xi + 1) * plane, <f32>(0.5 * (t0 + t1 + t2)));
  store<f32>(at + <usize>(xi + 2) * plane, <f32>(0.5 * (t0 - t1 + t2)));
  store<f32>(at + <usize>(xi + 3) * plane, <f32>t2);
}
