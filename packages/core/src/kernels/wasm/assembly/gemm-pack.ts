/**
 * GEMM packing (see gemm.ts): copies blocks of op(A) and op(B) into the panel layouts the
 * micro-kernel reads, transposing 4×4 blocks with shuffles where the source runs along k.
 */
import { MR, NR } from './gemm-kernel';

/** 4×4 transpose of rows r0..r3 (each 4 lanes), stored as 4 vectors at dst, dst + step, … (`step` bytes apart). */
// @ts-ignore: decorator
@inline
export function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
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
 * Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-row panels at dst (zero padded).
 * op(A)(i, p) = a[i·k + p], or a[p·m + i] when transposed. A full panel of untransposed A is read
 * as 4 rows at a time through 4×4 transposes (rows 0–3 of the panel) plus the rest one by one, a
 * transposed one as MR contiguous values per step; A is the small operand (weights) in the
 * convolutions and packed once per k-block in the GEMM.
 */
export function packA(a: usize, m: i32, k: i32, transA: bool, i0: i32, mc: i32, p0: i32, kc: i32, dst: usize): void {
  const step = <usize>MR << 2;
  for (let q = 0; q < mc; q += MR) {
    const rows = min(MR, mc - q);
    const panel = dst + (<usize>(q * kc) << 2);
    const i = i0 + q;
    if (rows == MR && !transA) {
      const s0 = a + (<usize>(i * k + p0) << 2);
      const ld = <usize>k << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const d = panel + <usize>p * step;
        transpose4(v128.load(s0 + o), v128.load(s0 + ld + o), v128.load(s0 + 2 * ld + o), v128.load(s0 + 3 * ld + o), d, step);
        for (let r = 4; r < MR; r++) {
          const v = v128.load(s0 + <usize>r * ld + o);
          store<f32>(d + (<usize>r << 2), f32x4.extract_lane(v, 0));
          store<f32>(d + step + (<usize>r << 2), f32x4.extract_lane(v, 1));
          store<f32>(d + 2 * step + (<usize>r << 2), f32x4.extract_lane(v, 2));
          store<f32>(d + 3 * step + (<usize>r << 2), f32x4.extract_lane(v, 3));
        }
      }
      for (; p < kc; p++) {
        const d = panel + <usize>p * step;
        for (let r = 0; r < MR; r++) store<f32>(d + (<usize>r << 2), load<f32>(s0 + <usize>r * ld + (<usize>p << 2)));
      }
    } else if (rows == MR) {
      // Transposed A: the panel's MR values of step p are contiguous in memory, copied as two
      // (overlapping when MR < 8) f32x4 vectors.
      const tail = <usize>(MR - 4) << 2;
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * step;
        const s = a + (<usize>((p0 + p) * m + i) << 2);
        v128.store(d, v128.load(s));
        v128.store(d + tail, v128.load(s + tail));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        const d = panel + <usize>p * step;
        for (let r = 0; r < MR; r++) {
          let v: f32 = 0;
          if (r < rows) v = load<f32>(a + (<usize>(transA ? (p0 + p) * m + i + r : (i + r) * k + p0 + p) << 2));
          store<f32>(d + (<usize>r << 2), v);
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
export function packB(b: usize, n: i32, k: i32, transB: bool, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
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
