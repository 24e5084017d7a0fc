/**
 * GEMM micro-kernel (see gemm.ts for the whole algorithm): an MR×8 tile of C from packed panels,
 * accumulated in f32x4 registers, plus the scalar merge of edge tiles.
 */

/**
 * Micro-tile rows (A panel height): 6 with the fused multiply-add (12 accumulators, 2 B vectors and
 * the broadcast A value fill the 15 xmm registers V8 allocates on x64), 5 without it (the separate
 * multiply needs a temporary, and 6 rows spill). Measured in cache (kc = 256 and 32), one core:
 * fused 4×8 53, 5×8 54, 6×8 58 GFLOP/s; unfused 4×8 44, 5×8 55, 6×8 29 (spills); 4×12, 3×16 and
 * 7×8 spill (26–32), 3×12 and 2×16 are no better than 5×8.
 */
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 5;
/** Micro-tile columns (B panel width, two f32x4 vectors). */
export const NR: i32 = 8;

/**
 * acc + x·b. With relaxed SIMD (the kernels-relaxed.wasm build) a fused multiply-add, one instruction
 * and one rounding; otherwise a multiply and an add (two roundings).
 */
// @ts-ignore: decorator
@inline
export function madd(x: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(x, b, acc);
  return f32x4.add(acc, f32x4.mul(x, b));
}

/**
 * The micro-kernel body for `rows` ≤ 6 rows of an MR-row panel (a constant at each call site, so
 * the unused rows compile away): C = Σ_p Ap[p] ⊗ Bp[p] over kc steps (Ap: MR values per step, of
 * which the first `rows` are read; Bp: 8 values per step), or C += that when `accumulate` (the
 * accumulators start from C), stored raw at c (row stride ldc elements). Scaling by alpha/beta is
 * mergeTile's job: with that code after the loop, V8 kept the accumulators in memory through the
 * loop (measured 25 instead of 58 GFLOP/s for 6×8, 43 instead of 53 for 4×8).
 */
// @ts-ignore: decorator
@inline
function kernelRows(rows: i32, kc: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool): void {
  const ld = <usize>ldc << 2;
  const z = f32x4.splat(0);
  let c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    if (rows > 1) { c10 = v128.load(c + ld); c11 = v128.load(c + ld, 16); }
    if (rows > 2) { c20 = v128.load(c + 2 * ld); c21 = v128.load(c + 2 * ld, 16); }
    if (rows > 3) { c30 = v128.load(c + 3 * ld); c31 = v128.load(c + 3 * ld, 16); }
    if (rows > 4) { c40 = v128.load(c + 4 * ld); c41 = v128.load(c + 4 * ld, 16); }
    if (rows > 5) { c50 = v128.load(c + 5 * ld); c51 = v128.load(c + 5 * ld, 16); }
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    if (rows > 1) { x = v128.load32_splat(a, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11); }
    if (rows > 2) { x = v128.load32_splat(a, 8); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21); }
    if (rows > 3) { x = v128.load32_splat(a, 12); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31); }
    if (rows > 4) { x = v128.load32_splat(a, 16); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41); }
    if (rows > 5) { x = v128.load32_splat(a, 20); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51); }
    a += <usize>MR << 2;
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  if (rows > 1) { v128.store(c + ld, c10); v128.store(c + ld, c11, 16); }
  if (rows > 2) { v128.store(c + 2 * ld, c20); v128.store(c + 2 * ld, c21, 16); }
  if (rows > 3) { v128.store(c + 3 * ld, c30); v128.store(c + 3 * ld, c31, 16); }
  if (rows > 4) { v128.store(c + 4 * ld, c40); v128.store(c + 4 * ld, c41, 16); }
  if (rows > 5) { v128.store(c + 5 * ld, c50); v128.store(c + 5 * ld, c51, 16); }
}

/** The MR×8 micro-kernel (see kernelRows). */
export function kernelMx8(kc: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool): void {
  kernelRows(MR, kc, a, b, c, ldc, accumulate);
}
/** The first 4 rows of an MR-row panel: a 4×8 tile (see kernelRows). */
export function kernel4x8(kc: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool): void {
  kernelRows(4, kc, a, b, c, ldc, accumulate);
}
/** The first 2 rows of an MR-row panel: a 2×8 tile (see kernelRows). */
export function kernel2x8(kc: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool): void {
  kernelRows(2, kc, a, b, c, ldc, accumulate);
}

/**
 * The micro-kernel for the first `mr` rows of a panel: MR×8, or a narrower one when mr is at most 4
 * (a 32-row C is 5 panels of 6 rows and one of 2: the last runs as 2×8, not 6×8). Each row's
 * arithmetic is the same whichever kernel runs it.
 */
// @ts-ignore: decorator
@inline
export function kernelFor(mr: i32, kc: i32, a: usize, b: usize, c: usize, ldc: i32, accumulate: bool): void {
  if (mr > 4) kernelMx8(kc, a, b, c, ldc, accumulate);
  else if (mr > 2) kernel4x8(kc, a, b, c, ldc, accumulate);
  else kernel2x8(kc, a, b, c, ldc, accumulate);
}

/**
 * Merges an mr × nr tile t (row stride NR) into C by `mode`:
 *   1: C = alpha·t   2: C = alpha·t + beta·C   3: C = C + alpha·t
 * Full rows with f32x4 ops, the rest with their scalar twins (the same arithmetic per element).
 */
export function mergeTile(t: usize, c: usize, ldc: i32, mr: i32, nr: i32, mode: i32, alpha: f32, beta: f32): void {
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  for (let i = 0; i < mr; i++) {
    const ci = c + (<usize>(i * ldc) << 2);
    const ti = t + (<usize>(i * NR) << 2);
    let j = 0;
    for (; j + 4 <= nr; j += 4) {
      const pc = ci + (<usize>j << 2);
      const v = v128.load(ti + (<usize>j << 2));
      if (mode == 1) v128.store(pc, f32x4.mul(va, v));
      else if (mode == 2) v128.store(pc, f32x4.add(f32x4.mul(va, v), f32x4.mul(vb, v128.load(pc))));
      else v128.store(pc, f32x4.add(v128.load(pc), f32x4.mul(va, v)));
    }
    for (; j < nr; j++) {
      const pc = ci + (<usize>j << 2);
      const v = load<f32>(ti + (<usize>j << 2));
      if (mode == 1) store<f32>(pc, alpha * v);
      else if (mode == 2) store<f32>(pc, alpha * v + beta * load<f32>(pc));
      else store<f32>(pc, load<f32>(pc) + alpha * v);
    }
  }
}

/** Copies an mr × nr block between row strides ldFrom and ldTo (elements). */
function copyTile(from: usize, ldFrom: i32, to: usize, ldTo: i32, mr: i32, nr: i32): void {
  for (let i = 0; i < mr; i++) {
    const f = from + (<usize>(i * ldFrom) << 2), t = to + (<usize>(i * ldTo) << 2);
    for (let j = 0; j < nr; j++) store<f32>(t + (<usize>j << 2), load<f32>(f + (<usize>j << 2)));
  }
}

/**
 * C[0:mc, 0:nc] (row stride ldc) from a packed A block (mc rows, MR-row panels) and a packed B block
 * (nc columns, NR-column panels), both kc deep, merged by `mode` (see mergeTile). With alpha = 1
 * and C = acc, C = acc + C (mode 2, beta = 1: the same sum) or C += acc, the micro-kernel writes C
 * itself (accumulating from C in the last two), an edge tile through the scratch tile `t` with the
 * same arithmetic; otherwise every tile goes through `t` and mergeTile. Either way each element's
 * arithmetic does not depend on where its tile falls, so callers may split C anywhere.
 */
export function macroKernel(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mc: i32, nc: i32, mode: i32, alpha: f32, beta: f32, t: usize,
): void {
  const direct = alpha == 1 && (mode != 2 || beta == 1);
  const accumulate = mode != 1;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const bpanel = bp + (<usize>(jr * kc) << 2);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const apanel = ap + (<usize>(ir * kc) << 2);
      const cp = c + (<usize>(ir * ldc + jr) << 2);
      if (!direct) {
        kernelFor(mr, kc, apanel, bpanel, t, NR, false);
        mergeTile(t, cp, ldc, mr, nr, mode, alpha, beta);
      } else if (nr == NR && (mr == MR || mr == 4 || mr == 2)) {
        kernelFor(mr, kc, apanel, bpanel, cp, ldc, accumulate);
      } else {
        if (accumulate) copyTile(cp, ldc, t, NR, mr, nr);
        kernelFor(mr, kc, apanel, bpanel, t, NR, accumulate);
        copyTile(t, NR, cp, ldc, mr, nr);
      }
    }
  }
}
