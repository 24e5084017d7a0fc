/**
 * The weight gradient of a 3×3, stride-1 convolution by Winograd's F(2×2, 3×3): with y =
 * Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A per output tile (winograd-transform.ts), the gradient of Σ dy·y with
 * respect to g is, summed over the tiles t of every image,
 *   dW = Gᵀ [ Σ_t (A dy_t Aᵀ) ⊙ (Bᵀ x_t B) ] G        (dy_t the 2×2 upstream tile, x_t the 4×4 input tile)
 * so per position ξ of the 4×4 transformed tile, M[ξ][k, c] = Σ_t DY[ξ][k, t] · X[ξ][c, t]: 16 dot
 * products over the tiles instead of 36 (per tile, k and c), then one Gᵀ M G per (k, c).
 *
 * Items: image n, part p of its tile blocks (PARTS per image, from the shapes only). An item sums its
 * tiles block by block, in tile order, into its own partial M (vectors of 4 tiles, reduced to scalars
 * at the end of each block), so every partial is the same whatever thread runs it; the partials are
 * added in item order (winograd-grad-finish.ts, in f64), so dW does not depend on the thread count.
 */
import { madd } from './gemm-kernel';
import { inputTransform, padRows } from './winograd-transform';

// Descriptor (byte offsets, i32). Mirrored in ../winograd-grad.ts.
const D_X = 0; // input [N, C, H, W]
const D_DY = 4; // upstream gradient [N, K, OH, OW]
const D_P = 8; // partials [N·PARTS, 16, KE, CE]
const D_C = 12;
const D_K = 16;
const D_H = 20;
const D_W = 24;
const D_OH = 28;
const D_OW = 32;
const D_TW = 36; // tiles per row, a multiple of 4
const D_TH = 40;
const D_TB = 44; // tiles per block, a multiple of 4
const D_BLOCKS = 48; // blocks per image
const D_PARTS = 52; // items per image
const D_PH = 56;
const D_PW = 60;
const D_WP = 64; // padded input row: 2·TW + 4 floats
const SKEW = 16;

// @ts-ignore: decorator
@inline
function up(v: i32, m: i32): i32 { return (v + m - 1) / m * m; }

/** Runs item `item` (image item / PARTS, part item mod PARTS) of the weight-gradient job at `desc`. */
export function winogradWeightGradF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc, D_C), k = load<i32>(desc, D_K), ce = up(c, 6), ke = up(k, 2);
  const h = load<i32>(desc, D_H), w = load<i32>(desc, D_W), oh = load<i32>(desc, D_OH), ow = load<i32>(desc, D_OW);
  const tw = load<i32>(desc, D_TW), th = load<i32>(desc, D_TH), tb = load<i32>(desc, D_TB);
  const blocks = load<i32>(desc, D_BLOCKS), parts = load<i32>(desc, D_PARTS), wp = load<i32>(desc, D_WP);
  const n = item / parts, part = item - n * parts;
  const b0 = part * blocks / parts, b1 = (part + 1) * blocks / parts;
  const pm = <usize>load<i32>(desc, D_P) + (<usize>(item * 16 * ke * ce) << 2);
  const xStride = ce * tb + SKEW, dStride = ke * tb + SKEW;
  const xs = scratch;
  const ds = xs + (<usize>(16 * xStride) << 2);
  const rows = ds + (<usize>(16 * dStride) << 2);
  const xImage = <usize>load<i32>(desc, D_X) + (<usize>(n * c * h * w) << 2);
  const dImage = <usize>load<i32>(desc, D_DY) + (<usize>(n * k * oh * ow) << 2);
  const pH = load<i32>(desc, D_PH), pW = load<i32>(desc, D_PW);
  for (let i = 0; i < 16 * ke * ce; i++) store<f32>(pm + (<usize>i << 2), 0);
  for (let b = b0; b < b1; b++) {
    const t0 = b * tb, t1 = min(th * tw, t0 + tb);
    const groups = (t1 - t0) >> 2;
    const i0 = t0 / tw, rowCount = 2 * ((t1 - 1) / tw - i0) + 4;
    for (let ci = 0; ci < c; ci++) {
      padRows(xImage + (<usize>(ci * h * w) << 2), h, w, pH, pW, 2 * i0, rowCount, wp, rows);
      inputTransform(rows, wp, tw, i0, t0, groups, 48, 24, xs + (<usize>(ci / 6 * 6 * tb + ci % 6 * 4) << 2), xStride);
    }
    for (let ko = 0; ko < k; ko++) {
      padRows(dImage + (<usize>(ko * oh * ow) << 2), oh, ow, 0, 0, 2 * i0, rowCount - 2, wp, rows);
      dyTransform(rows, wp, tw, i0, t0, groups, ds + (<usize>((ko >> 1) * 2 * tb + (ko & 1) * 4) << 2), dStride);
    }
    for (let xi = 0; xi < 16; xi++) {
      dots(ds + (<usize>(xi * dStride) << 2), xs + (<usize>(xi * xStride) << 2), tb, groups, ke, ce, pm + (<usize>(xi * ke * ce) << 2));
    }
  }
}

/**
 * Z = A dy Aᵀ (4×4 from a 2×2 upstream tile: A = [1 0; 1 1; 1 −1; 0 −1]) for `groups` groups of 4
 * tiles from tile t0, from zero-padded upstream rows from row 2·i0 on (wp floats each, at d); group q
 * to z + ξ·zStride + 8·q floats (the 2-channel panels dots reads, z offset to the channel's lane).
 */
function dyTransform(d: usize, wp: i32, tw: i32, i0: i32, t0: i32, groups: i32, z: usize, zStride: i32): void {
  const zs = <usize>zStride << 2;
  for (let q = 0; q < groups; q++) {
    const t = t0 + 4 * q;
    const i = t / tw, j = t - i * tw;
    const src = d + (<usize>(2 * (i - i0) * wp + 2 * j) << 2);
    let lo = v128.load(src), hi = v128.load(src, 16);
    const a0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), a1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
    lo = v128.load(src + (<usize>wp << 2)); hi = v128.load(src + (<usize>wp << 2), 16);
    const b0 = v128.shuffle<f32>(lo, hi, 0, 2, 4, 6), b1 = v128.shuffle<f32>(lo, hi, 1, 3, 5, 7);
    // Rows of A·dy: [a, a + b, a − b, −b] (a, b the two tile rows), each then times Aᵀ along the columns.
    const o = z + (<usize>(8 * q) << 2);
    storeZRow(o, zs, 0, a0, a1);
    storeZRow(o, zs, 4, f32x4.add(a0, b0), f32x4.add(a1, b1));
    storeZRow(o, zs, 8, f32x4.sub(a0, b0), f32x4.sub(a1, b1));
    storeZRow(o, zs, 12, f32x4.neg(b0), f32x4.neg(b1));
  }
}

/** Row r·4 … r·4+3 of Z from a row (e0, e1) of A·dy: [e0, e0 + e1, e0 − e1, −e1]. */
// @ts-ignore: decorator
@inline
function storeZRow(o: usize, zs: usize, xi: i32, e0: v128, e1: v128): void {
  v128.store(o + <usize>xi * zs, e0);
  v128.store(o + <usize>(xi + 1) * zs, f32x4.add(e0, e1));
  v128.store(o + <usize>(xi + 2) * zs, f32x4.sub(e0, e1));
  v128.store(o + <usize>(xi + 3) * zs, f32x4.neg(e1));
}

/**
 * pm[k, c] += Σ over the block's tiles of dz[k, t]·xz[c, t] for one ξ: 2 × 6 outputs at a time from
 * a panel of 2 rows of dz ([q][2][4 tiles]) and one of 6 rows of xz ([q][6][4 tiles]), 12
 * accumulators, 8 contiguous loads per 12 multiply-adds; each sum reduced across its 4 lanes as
 * (l0 + l1) + (l2 + l3). ke × ce outputs (pm row stride ce).
 */
function dots(dz: usize, xz: usize, tb: i32, groups: i32, ke: i32, ce: i32, pm: usize): void {
  for (let ko = 0; ko < ke; ko += 2) {
    for (let co = 0; co < ce; co += 6) {
      let a = dz + (<usize>(ko * tb) << 2), x = xz + (<usize>(co * tb) << 2);
      const z = f32x4.splat(0);
      let s00 = z, s01 = z, s02 = z, s03 = z, s04 = z, s05 = z, s10 = z, s11 = z, s12 = z, s13 = z, s14 = z, s15 = z;
      for (let q = 0; q < groups; q++) {
        const a0 = v128.load(a), a1 = v128.load(a, 16);
        let xv = v128.load(x);
        s00 = madd(a0, xv, s00); s10 = madd(a1, xv, s10);
        xv = v128.load(x, 16); s01 = madd(a0, xv, s01); s11 = madd(a1, xv, s11);
        xv = v128.load(x, 32); s02 = madd(a0, xv, s02); s12 = madd(a1, xv, s12);
        xv = v128.load(x, 48); s03 = madd(a0, xv, s03); s13 = madd(a1, xv, s13);
        xv = v128.load(x, 64); s04 = madd(a0, xv, s04); s14 = madd(a1, xv, s14);
        xv = v128.load(x, 80); s05 = madd(a0, xv, s05); s15 = madd(a1, xv, s15);
        a += 32;
        x += 96;
      }
      const p0 = pm + (<usize>(ko * ce + co) << 2), p1 = p0 + (<usize>ce << 2);
      v128.store(p0, f32x4.add(v128.load(p0), reduce4(s00, s01, s02, s03)));
      v128.store(p1, f32x4.add(v128.load(p1), reduce4(s10, s11, s12, s13)));
      const r = reduce4(s04, s05, s14, s15);
      store<f32>(p0, load<f32>(p0, 16) + f32x4.extract_lane(r, 0), 16); store<f32>(p0, load<f32>(p0, 20) + f32x4.extract_lane(r, 1), 20);
      store<f32>(p1, load<f32>(p1, 16) + f32x4.extract_lane(r, 2), 16); store<f32>(p1, load<f32>(p1, 20) + f32x4.extract_lane(r, 3), 20);
    }
  }
}

/** [Σ lanes of s0, Σ lanes of s1, Σ lanes of s2, Σ lanes of s3], each as (l0 + l1) + (l2 + l3). */
// @ts-ignore: decorator
@inline
function reduce4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  // Pairwise: t0 = [s0.l0 + s0.l1, s1.l0 + s1.l1, s0.l2 + s0.l3, s1.l2 + s1.l3], likewise t1 for s2, s3.
  const t0 = f32x4.add(v128.shuffle<f32>(s0, s1, 0, 4, 2, 6), v128.shuffle<f32>(s0, s1, 1, 5, 3, 7));
  const t1 = f32x4.add(v128.shuffle<f32>(s2, s3, 0, 4, 2, 6), v128.shuffle<f32>(s2, s3, 1, 5, 3, 7));
  return f32x4.add(v128.shuffle<f32>(t0, t1, 0, 1, 4, 5), v128.shuffle<f32>(t0, t1, 2, 3, 6, 7));
}
