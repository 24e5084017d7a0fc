/**
 * GEMM micro-kernel (see gemm.ts for the whole algorithm): a 4×8 tile of C from packed panels,
 * accumulated in f32x4 registers, plus the scalar merge of edge tiles.
 */

/** Micro-tile rows (A panel height). */
export const MR: i32 = 4;
/** Micro-tile columns (B panel width, two f32x4 vectors). */
export const NR: i32 = 8;

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
export function kernel4x8(kc: i32, a: usize, b: usize, c: usize, ldc: i32, mode: i32, alpha: f32, beta: f32): void {
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
export function mergeEdge(t: usize, c: usize, ldc: i32, mr: i32, nr: i32, mode: i32, alpha: f32, beta: f32): void {
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

/**
 * C[0:mc, 0:nc] (row stride ldc) from a packed A block (mc rows, MR-row panels) and a packed B block
 * (nc columns, NR-column panels), both kc deep: full tiles straight into C, edge tiles through the
 * scratch tile `t` and mergeEdge (the same arithmetic per element either way).
 */
export function macroKernel(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mc: i32, nc: i32, mode: i32, alpha: f32, beta: f32, t: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const bpanel = bp + (<usize>(jr * kc) << 2);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      const apanel = ap + (<usize>(ir * kc) << 2);
      const cp = c + (<usize>(ir * ldc + jr) << 2);
      if (mr == MR && nr == NR) {
        kernel4x8(kc, apanel, bpanel, cp, ldc, mode, alpha, beta);
      } else {
        kernel4x8(kc, apanel, bpanel, t, NR, 0, alpha, beta);
        mergeEdge(t, cp, ldc, mr, nr, mode, alpha, beta);
      }
    }
  }
}
