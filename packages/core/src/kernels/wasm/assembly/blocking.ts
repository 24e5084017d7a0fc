/**
 * Cache blocking and per-thread scratch layout shared by the GEMM (gemm.ts) and the convolutions
 * (conv.ts), which run the same packed micro-kernel. The micro-tile MR × NR is in gemm-kernel.ts.
 */
import { MR, NR } from './gemm-kernel';

/** Depth of a k-block (K is split into equal blocks of at most this, so blocking depends on K only). */
export const KC_MAX: i32 = 512;
/** Rows of a packed A block (a multiple of MR in both builds). */
export const MC_MAX: i32 = 120;
/** Columns of a packed B block. */
export const NC_MAX: i32 = 256;

// Scratch per thread (byte offsets): packed A block, packed B block, one edge tile, and a line
// buffer of NR rows × KC_MAX floats (≥ one row of NC_MAX) the convolutions gather image rows into.
export const SCR_A: usize = 0;
export const SCR_B: usize = SCR_A + <usize>(MC_MAX * KC_MAX * 4);
export const SCR_T: usize = SCR_B + <usize>(KC_MAX * NC_MAX * 4);
export const SCR_L: usize = SCR_T + <usize>(MR * NR * 4);
export const SCR_BYTES: usize = SCR_L + <usize>(NR * KC_MAX * 4);

/** Number of equal k-blocks and their depth for a reduction of length k (depends on k only). */
// @ts-ignore: decorator
@inline
export function kBlock(k: i32): i32 {
  const nkb = (k + KC_MAX - 1) / KC_MAX;
  return (k + nkb - 1) / nkb;
}
