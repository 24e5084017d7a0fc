/**
 * Float32 GEMM for Tessera's WebAssembly backend (AssemblyScript, wasm SIMD f32x4).
 *
 *   C[b] = alpha · op(A[b]) · op(B[b]) + beta · C[b]      (row-major, op = optional transpose)
 *
 * Structure (BLIS-like, sized for a 32 KiB L1d / 1 MiB L2 core):
 *   for each k-block pc (KC ≤ 256 deep; K is split into equal blocks, so the blocking depends on K only)
 *     for each row block ic of MC ≤ 128 rows:       pack A[ic.., pc..] into MR-row panels (128 KiB, L2)
 *       for each column block jc of NC ≤ 256:       pack B[pc.., jc..] into NR-column panels (256 KiB, L2)
 *         for each NR = 8 column panel jr:          (one kc × 8 panel, ≤ 8 KiB, stays in L1)
 *           for each MR = 4 row panel ir:           4×8 micro-kernel, kc steps, accumulators in registers
 * The first k-block writes C = alpha·acc (+ beta·C); later ones add alpha·acc.
 *
 * Packing layouts (f32, zero padded to full panels):
 *   A panel (MR rows × kc): element (i, p) at p·MR + i   — one 16-byte row of 4 values per k step
 *   B panel (kc × NR cols): element (p, j) at p·NR + j   — two f32x4 vectors per k step
 *
 * Why 4×8: V8 (Node 20, x64) allocates 15 xmm registers for wasm SIMD. 4×8 holds 8 accumulators,
 * 2 B vectors, 1 broadcast A value and 1 product temporary without spilling; 6×8, 4×12 and 8×4
 * spilled or were load-bound and measured slower (22 vs 19–21 GFLOP/s in-cache on the dev machine).
 * Unrolling the k loop also made V8's scheduler spill, so the loop is not unrolled.
 *
 * Determinism: every C element is computed by the same sequence of f32 operations whatever the tile
 * position and whatever sub-range of rows/columns the caller asks for (edge tiles run the same kernel
 * into a scratch tile, then merge with scalar ops equal to the vector ones). A multi-threaded caller
 * that splits C into ranges therefore gets bit-identical results for any thread count. (The relaxed
 * build's madd may be fused or not depending on the CPU, but it is the same on every thread.)
 *
 * Work items: a job descriptor (see DESC_* offsets) describes one batched GEMM; it is cut into
 * `itemsPerBatch` items per batch entry, each a range of `tilesPerItem` tiles along the split
 * dimension (rows in units of MR, or columns in units of NR). Threads claim items and call
 * `gemmF32Item` with their own scratch area; see src/kernels/wasm/pool.ts.
 */

// Micro-kernel tile and cache blocking. Scratch size is exported so the loader never hard-codes it.
const MR: i32 = 4;
const NR: i32 = 8;
const KC_MAX: i32 = 256;
const MC_MAX: i32 = 128;
const NC_MAX: i32 = 256;

// Scratch per thread: packed A block, packed B block, one edge tile.
const SCR_A: usize = 0;
const SCR_B: usize = SCR_A + <usize>(MC_MAX * KC_MAX * 4);
const SCR_T: usize = SCR_B + <usize>(KC_MAX * NC_MAX * 4);
const SCR_BYTES: usize = SCR_T + <usize>(MR * NR * 4);

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

/**
 * acc + x·b. With relaxed SIMD (the kernels-relaxed.wasm build) a fused multiply-add, one instruction
 * and one rounding; otherwise a multiply and an add (two roundings).
 */
// @ts-ignore: decorator
@inline
function madd(x: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, b, acc);
  return f32x4.add(acc, f32x4.mul(x, b));
}

/**
 * 4×8 micro-kernel: acc = Σ_p Ap[p] ⊗ Bp[p] over kc steps (Ap: 4 values per step, Bp: 8 values per step),
 * then writes the tile at c (row stride ldc elements) according to `mode`:
 *   0: C = acc (raw, used for edge tiles)   1: C = alpha·acc   2: C = alpha·acc + beta·C   3: C = C + alpha·acc
 */
function kernel4x8(kc: i32, a: usize, b: usize, c: usize, ldc: i32, mode: i32, alpha: f32, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    a += 16;
    b += 32;
  }
  const ld = <usize>ldc << 2;
  storeRow(c, c00, c01, mode, alpha, beta);
  storeRow(c + ld, c10, c11, mode, alpha, beta);
  storeRow(c + 2 * ld, c20, c21, mode, alpha, beta);
  storeRow(c + 3 * ld, c30, c31, mode, alpha, beta);
}

// @ts-ignore: decorator
@inline
function storeRow(c: usize, v0: v128, v1: v128, mode: i32, alpha: f32, beta: f32): void {
  if (mode == 0) {
    v128.store(c, v0);
    v128.store(c, v1, 16);
    return;
  }
  const va = f32x4.splat(alpha);
  if (mode == 1) {
    v128.store(c, f32x4.mul(va, v0));
    v128.store(c, f32x4.mul(va, v1), 16);
  } else if (mode == 2) {
    const vb = f32x4.splat(beta);
    v128.store(c, f32x4.add(f32x4.mul(va, v0), f32x4.mul(vb, v128.load(c))));
    v128.store(c, f32x4.add(f32x4.mul(va, v1), f32x4.mul(vb, v128.load(c, 16))), 16);
  } else {
    v128.store(c, f32x4.add(v128.load(c), f32x4.mul(va, v0)));
    v128.store(c, f32x4.add(v128.load(c, 16), f32x4.mul(va, v1)), 16);
  }
}

/** Merges an mr × nr edge tile t (row stride NR) into C with the scalar twins of storeRow's ops. */
function mergeEdge(t: usize, c: usize, ldc: i32, mr: i32, nr: i32, mode: i32, alpha: f32, beta: f32): void {
  for (let i = 0; i < mr; i++) {
    const ci = c + (<usize>(i * ldc) << 2);
    const ti = t + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const pc = ci + (<usize>j << 2);
      const v = load<f32>(ti + (<usize>j << 2));
      if (mode == 1) store<f32>(pc, alpha * v);
      else if (mode == 2) store<f32>(pc, alpha * v + beta * load<f32>(pc));
      else store<f32>(pc, load<f32>(pc) + alpha * v);
    }
  }
}

/** 4×4 transpose of rows r0..r3 (each 4 lanes), stored as 4 consecutive vectors at dst with stride `step` bytes. */
// @ts-ignore: decorator
@inline
function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + step, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * step, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * step, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-row panels at dst.
 * op(A)(i, p) = a[i·k + p], or a[p·m + i] when transposed.
 */
function packA(a: usize, m: i32, k: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  for (let q = 0; q < mc; q += MR) {
    const rows = min(MR, mc - q);
    const panel = dst + (<usize>(q * kc) << 2);
    const i = i0 + q;
    if (rows == MR && !transA) {
      // Four rows contiguous along p: transpose 4×4 blocks into the panel.
      const s0 = a + (<usize>(i * k + p0) << 2);
      const ld = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        transpose4(
          v128.load(s0 + o), v128.load(s0 + ld + o), v128.load(s0 + 2 * ld + o), v128.load(s0 + 3 * ld + o),
          panel + (<usize>(p * MR) << 2), 16,
        );
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        const d = panel + (<usize>(p * MR) << 2);
        store<f32>(d, load<f32>(s0 + o));
        store<f32>(d, load<f32>(s0 + ld + o), 4);
        store<f32>(d, load<f32>(s0 + 2 * ld + o), 8);
        store<f32>(d, load<f32>(s0 + 3 * ld + o), 12);
      }
    } else if (rows == MR) {
      // Transposed A: the panel's 4 values of step p are contiguous in memory.
      for (let p = 0; p < kc; p++) {
        v128.store(panel + (<usize>(p * MR) << 2), v128.load(a + (<usize>((p0 + p) * m + i) << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + (<usize>(p * MR) << 2);
        v128.store(d, f32x4.splat(0));
        for (let r = 0; r < rows; r++) {
          const idx = transA ? (p0 + p) * m + i + r : (i + r) * k + p0 + p;
          store<f32>(d + (<usize>r << 2), load<f32>(a + (<usize>idx << 2)));
        }
      }
    }
  }
}

/**
 * Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into ceil(nc/NR) panels of kc × NR at dst
 * (panel q at dst + q·kc·NR floats). op(B)(p, j) = b[p·n + j], or b[j·k + p] when transposed.
 * Non-transposed B is read row by row (long sequential runs the prefetcher follows even when n is
 * huge); transposed B is read 8 rows at a time, each contiguous along p, through 4×4 transposes.
 */
function packB(b: usize, n: i32, k: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const full = nc & ~(NR - 1);
  const panelBytes = <usize>(kc * NR) << 2;
  if (!transB) {
    for (let p = 0; p < kc; p++) {
      const s = b + (<usize>((p0 + p) * n + j0) << 2);
      let d = dst + (<usize>(p * NR) << 2);
      for (let j = 0; j < full; j += NR) {
        v128.store(d, v128.load(s + (<usize>j << 2)));
        v128.store(d, v128.load(s + (<usize>j << 2), 16), 16);
        d += panelBytes;
      }
    }
  } else {
    const ld = <usize>k << 2;
    for (let j = 0; j < full; j += NR) {
      const s0 = b + (<usize>((j0 + j) * k + p0) << 2);
      const s4 = s0 + 4 * ld;
      const panel = dst + <usize>(j / NR) * panelBytes;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const d = panel + (<usize>(p * NR) << 2);
        transpose4(v128.load(s0 + o), v128.load(s0 + ld + o), v128.load(s0 + 2 * ld + o), v128.load(s0 + 3 * ld + o), d, 32);
        transpose4(v128.load(s4 + o), v128.load(s4 + ld + o), v128.load(s4 + 2 * ld + o), v128.load(s4 + 3 * ld + o), d + 16, 32);
      }
      for (; p < kc; p++) {
        const d = panel + (<usize>(p * NR) << 2);
        for (let jj = 0; jj < NR; jj++) store<f32>(d + (<usize>jj << 2), load<f32>(s0 + <usize>jj * ld + (<usize>p << 2)));
      }
    }
  }
  if (full < nc) {
    // Last, partial panel: zero padded.
    const panel = dst + <usize>(full / NR) * panelBytes;
    for (let p = 0; p < kc; p++) {
      const d = panel + (<usize>(p * NR) << 2);
      v128.store(d, f32x4.splat(0));
      v128.store(d, f32x4.splat(0), 16);
      for (let j = full; j < nc; j++) {
        const idx = transB ? (j0 + j) * k + p0 + p : (p0 + p) * n + j0 + j;
        store<f32>(d + (<usize>(j - full) << 2), load<f32>(b + (<usize>idx << 2)));
      }
    }
  }
}

/** C[i0:i1, j0:j1] of one (un-batched) GEMM; i0 and j0 are multiples of MR and NR. */
function gemmBlock(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, transA: bool, transB: bool,
  alpha: f32, beta: f32, i0: i32, i1: i32, j0: i32, j1: i32, scratch: usize,
): void {
  const ap = scratch + SCR_A;
  const bp = scratch + SCR_B;
  const tile = scratch + SCR_T;
  // Equal k-blocks: the split depends on k only, never on the caller's range.
  const nkb = (k + KC_MAX - 1) / KC_MAX;
  const kcb = (k + nkb - 1) / nkb;
  for (let pc = 0; pc < k; pc += kcb) {
    const kc = min(kcb, k - pc);
    const mode = pc > 0 ? 3 : beta == 0 ? 1 : 2;
    for (let ic = i0; ic < i1; ic += MC_MAX) {
      const mc = min(MC_MAX, i1 - ic);
      packA(a, m, k, transA, ic, mc, pc, kc, ap);
      for (let jc = j0; jc < j1; jc += NC_MAX) {
        const nc = min(NC_MAX, j1 - jc);
        packB(b, n, k, transB, pc, kc, jc, nc, bp);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = bp + (<usize>(jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const apanel = ap + (<usize>(ir * kc) << 2);
            const cp = c + (<usize>((ic + ir) * n + jc + jr) << 2);
            if (mr == MR && nr == NR) {
              kernel4x8(kc, apanel, bpanel, cp, n, mode, alpha, beta);
            } else {
              kernel4x8(kc, apanel, bpanel, tile, NR, 0, alpha, beta);
              mergeEdge(tile, cp, n, mr, nr, mode, alpha, beta);
            }
          }
        }
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
