/**
 * Float32 GEMM for Tessera's WebAssembly backend (AssemblyScript, wasm SIMD f32x4).
 *
 *   C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]      (row-major, op = optional transpose)
 *
 * Structure (BLIS-like, sized for a 32 KiB L1d / 1 MiB L2 core):
 *   for each k-block pc (KC ≤ 256 deep; K is split into equal blocks, so the blocking depends on K only)
 *     for each row block ic of MC ≤ 120 rows:       pack A[ic.., pc..] into MR-row panels (120 KiB, L2)
 *       for each column block jc of NC ≤ 256:       pack B[pc.., jc..] into NR-column panels (256 KiB, L2)
 *         for each NR = 8 column panel jr:          (one kc × 8 panel, ≤ 8 KiB, stays in L1)
 *           for each MR row panel ir:               MR×8 micro-kernel, kc steps, accumulators in registers
 * The first k-block writes C = alpha·acc (+ beta·C); later ones add alpha·acc.
 *
 * Packing layouts (f32, zero padded to full panels):
 *   A panel (MR rows × kc): element (i, p) at p·MR + i   — MR values (one broadcast each) per k step
 *   B panel (kc × NR cols): element (p, j) at p·NR + j   — two f32x4 vectors per k step
 *
 * Why MR×8 (MR = 6 with fused multiply-add, 5 without): V8 (Node 20, x64) allocates 15 xmm registers
 * for wasm SIMD; see gemm-kernel.ts for the tiles measured. Unrolling the k loop made V8's scheduler
 * spill, so the loop is not unrolled.
 *
 * Determinism: every C element is computed by the same sequence of f32 operations whatever the tile
 * position and whatever sub-range of rows/columns the caller asks for (edge tiles run the same kernel
 * into a scratch tile, then merge with scalar ops equal to the vector ones). A multi-threaded caller
 * that splits C into ranges therefore gets bit-identical results for any thread count. (The relaxed
 * build's madd may be fused or not depending on the CPU, but it is the same on every thread.)
 *
 * Files: gemm-kernel.ts (micro- and macro-kernel), gemm-pack.ts (packing), blocking.ts (block sizes,
 * scratch layout), this file (driver, work items).
 *
 * Work items: a job descriptor (see DESC_* offsets) describes one batched GEMM; it is cut into
 * `itemsPerBatch` items per batch entry, each a range of `tilesPerItem` tiles along the split
 * dimension (rows in units of MR, or columns in units of NR). Threads claim items and call
 * `gemmF32Item` with their own scratch area; see src/kernels/wasm/pool.ts.
 */

import { MC_MAX, NC_MAX, SCR_A, SCR_B, SCR_BYTES, SCR_T, kBlock } from './blocking';
import { MR, NR, macroKernel } from './gemm-kernel';
import { packA, packB } from './gemm-pack';

// Job descriptor layout (byte offsets; all i32 except alpha/beta which are f32). Mirrored in ../gemm.ts.
const DESC_A = 0; // byte address of A (batch 0)
const DESC_B = 4;
const DESC_C = 8;
const DESC_M = 12;
const DESC_N = 16;
const DESC_K = 20;
const DESC_STRIDE_A = 24; // batch strides in elements (0 broadcasts)
const DESC_STRIDE_B = 28;
const DESC_STRIDE_C = 32;
const DESC_FLAGS = 36; // 1 = transA, 2 = transB, 4 = split along columns (else rows)
const DESC_ALPHA = 40;
const DESC_BETA = 44;
const DESC_ITEMS_PER_BATCH = 48;
const DESC_TILES_PER_ITEM = 52;

/** Bytes of scratch one thread needs for `gemmF32Item`. */
export function gemmScratchBytes(): i32 {
  return <i32>SCR_BYTES;
}

/** Tile sizes (MR, NR) so the loader can cut work items on tile boundaries. */
export function gemmTileRows(): i32 {
  return MR;
}
export function gemmTileCols(): i32 {
  return NR;
}
/** C[i0:i1, j0:j1] of one (un-batched) GEMM; i0 and j0 are multiples of MR and NR. */
function gemmBlock(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool,
  alpha: f32, beta: f32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  const ap = scratch + SCR_A;
  const bp = scratch + SCR_B;
  const kcb = kBlock(k);
  for (let pc = 0; pc < k; pc += kcb) {
    const kc = min(kcb, k - pc);
    const mode = pc > 0 ? 3 : beta == 0 ? 1 : 2;
    for (let ic = i0; ic < i1; ic += MC_MAX) {
      const mc = min(MC_MAX, i1 - ic);
      packA(a, m, k, transA, ic, mc, pc, kc, ap);
      for (let jc = j0; jc < j1; jc += NC_MAX) {
        const nc = min(NC_MAX, j1 - jc);
        packB(b, n, k, transB, pc, kc, jc, nc, bp);
        macroKernel(kc, ap, bp, c + (<usize>(ic * n + jc) << 2), n, mc, nc, mode, alpha, beta, scratch + SCR_T);
      }
    }
  }
}

/** Runs work item `item` of the GEMM job described at `desc`, using `scratch` (gemmScratchBytes() bytes). */
export function gemmF32Item(desc: usize, item: i32, scratch: usize): void {
  const m = load<i32>(desc, DESC_M);
  const n = load<i32>(desc, DESC_N);
  const k = load<i32>(desc, DESC_K);
  const flags = load<i32>(desc, DESC_FLAGS);
  const perBatch = load<i32>(desc, DESC_ITEMS_PER_BATCH);
  const tilesPerItem = load<i32>(desc, DESC_TILES_PER_ITEM);
  const batch = item / perBatch;
  const part = item - batch * perBatch;
  const a = <usize>load<i32>(desc, DESC_A) + ((<usize>batch * <usize>load<i32>(desc, DESC_STRIDE_A)) << 2);
  const b = <usize>load<i32>(desc, DESC_B) + ((<usize>batch * <usize>load<i32>(desc, DESC_STRIDE_B)) << 2);
  const c = <usize>load<i32>(desc, DESC_C) + ((<usize>batch * <usize>load<i32>(desc, DESC_STRIDE_C)) << 2);
  const alpha = load<f32>(desc, DESC_ALPHA);
  const beta = load<f32>(desc, DESC_BETA);
  let i0 = 0, i1 = m, j0 = 0, j1 = n;
  if (flags & 4) {
    j0 = part * tilesPerItem * NR;
    j1 = min(n, j0 + tilesPerItem * NR);
  } else {
    i0 = part * tilesPerItem * MR;
    i1 = min(m, i0 + tilesPerItem * MR);
  }
  if (i0 >= i1 || j0 >= j1) return;
  gemmBlock(a, b, c, m, n, k, (flags & 1) != 0, (flags & 2) != 0, alpha, beta, i0, i1, j0, j1, scratch);
}
