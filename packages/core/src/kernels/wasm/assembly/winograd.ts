/**
 * 3×3, stride-1 convolutions by Winograd's F(2×2, 3×3) (transforms in winograd-transform.ts): per
 * block of TB output tiles (2×2 each) of one image,
 *   V[ξ][c, t] = (Bᵀ d_{c,t} B)[ξ]              input transform, written as the GEMM's B panels
 *   M[ξ] = U[ξ] · V[ξ]                          16 GEMMs, K × C × TB, the micro-kernel of gemm-kernel.ts
 *   Y[k, tile t] = Aᵀ M[·][k, t] A (+ bias, relu)  output transform with the epilogue fused
 * The input is zero padded row by row into scratch as each channel is transformed (no padded copy
 * of the whole batch). U[ξ] = G g Gᵀ (winogradWeightsF32) is computed once per call. The channels are taken in chunks
 * of at most KC (set by the loader), accumulating M, so the blocking depends on the shapes only.
 * 2.25× fewer multiplies than the direct convolution (16 instead of 36 per tile and channel pair);
 * the price is rounding: the transforms add and subtract inputs before the products (see
 * docs/performance.md for the measured error against float64).
 *
 * Determinism: a tile's outputs depend on its own input tile, U and the fixed chunking of C, never
 * on the block it falls in, so the (image, block) items give the same bits on any thread.
 */
import { macroKernel, MR, NR } from './gemm-kernel';
import { inputTransform, outputTransform, padRows } from './winograd-transform';
export { winogradWeightsF32 } from './winograd-transform';

// Descriptor (byte offsets, i32). Mirrored in ../winograd.ts.
const D_X = 0; // input [N, C, H, W]
const D_U = 4; // transformed weights (winogradWeightsF32)
const D_Y = 8; // output [N, K, OH, OW]
const D_BIAS = 12; // bias [K] or 0
const D_C = 20;
const D_K = 24;
const D_H = 28;
const D_W = 32;
const D_OH = 36;
const D_OW = 40;
const D_TW = 44; // tiles per row, a multiple of 4
const D_TH = 48; // tile rows
const D_TB = 52; // tiles per block, a multiple of 8
const D_BLOCKS = 56; // blocks per image
const D_FLAGS = 60; // 1: relu after the bias
const D_KC = 64; // channels per chunk
const D_PH = 68; // top padding
const D_PW = 72; // left padding
const D_WP = 76; // columns of a padded row: 2·TW + 4
/** Floats between consecutive ξ planes beyond their size (one cache line; mirrored in ../winograd.ts). */
const SKEW = 16;

/** Runs item `item` (image item / BLOCKS, block item mod BLOCKS) of the Winograd job at `desc`. */
export function winogradF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc, D_C), k = load<i32>(desc, D_K), kc = min(c, load<i32>(desc, D_KC));
  const tb = load<i32>(desc, D_TB), blocks = load<i32>(desc, D_BLOCKS);
  const tw = load<i32>(desc, D_TW), th = load<i32>(desc, D_TH);
  const h = load<i32>(desc, D_H), w = load<i32>(desc, D_W), wp = load<i32>(desc, D_WP);
  const oh = load<i32>(desc, D_OH), ow = load<i32>(desc, D_OW);
  const n = item / blocks, b = item - n * blocks;
  const t0 = b * tb, t1 = min(th * tw, t0 + tb);
  if (t0 >= t1) return;
  const nt = t1 - t0, groups = nt >> 2;
  const kPad = (k + MR - 1) / MR * MR;
  // The 16 planes of V and of M, SKEW floats more than a whole number of blocks apart: at 16 KiB
  // apart the 16 stores of a transformed tile all hit one L1 set (measured 3× slower transforms).
  const vStride = kc * tb + SKEW, mStride = k * tb + SKEW;
  const v = scratch;
  const m = v + (<usize>(16 * vStride) << 2);
  const tile = m + (<usize>(16 * mStride) << 2);
  // The block's tile rows i0 … i1 read padded rows 2·i0 … 2·i1 + 3, copied per channel into `rows`.
  const i0 = t0 / tw, rowCount = 2 * ((t1 - 1) / tw - i0) + 4;
  const rows = tile + (<usize>(MR * NR) << 2);
  const pH = load<i32>(desc, D_PH), pW = load<i32>(desc, D_PW);
  const plane = <usize>(h * w) << 2;
  const x = <usize>load<i32>(desc, D_X) + <usize>(n * c) * plane;
  const u = <usize>load<i32>(desc, D_U);
  for (let c0 = 0; c0 < c; c0 += kc) {
    const width = min(kc, c - c0);
    for (let ci = 0; ci < width; ci++) {
      padRows(x + <usize>(c0 + ci) * plane, h, w, pH, pW, 2 * i0, rowCount, wp, rows);
      inputTransform(rows, wp, tw, i0, t0, groups, 8 * width, 4, v + (<usize>(8 * ci) << 2), vStride);
    }
    for (let xi = 0; xi < 16; xi++) {
      macroKernel(
        width, u + (<usize>((xi * c + c0) * kPad) << 2), v + (<usize>(xi * vStride) << 2), m + (<usize>(xi * mStride) << 2),
        tb, k, nt, c0 == 0 ? 1 : 3, 1, 0, tile,
      );
    }
  }
  const bias = <usize>load<i32>(desc, D_BIAS);
  const relu = (load<i32>(desc, D_FLAGS) & 1) != 0;
  const outPlane = <usize>(oh * ow) << 2;
  const y = <usize>load<i32>(desc, D_Y) + <usize>(n * k) * outPlane;
  for (let ko = 0; ko < k; ko++) {
    const bv: f32 = bias != 0 ? load<f32>(bias + (<usize>ko << 2)) : 0;
    outputTransform(m + (<usize>(ko * tb) << 2), mStride, y + <usize>ko * outPlane, oh, ow, tw, t0, groups, bv, relu);
  }
}
