/**
 * Packing for the convolutions (conv.ts): the GEMM's B operand is the column matrix of an image,
 * never materialised. Its rows are gathered from the image on the fly, one k-block at a time, into
 * the panel layouts of gemm-pack.ts:
 *   col[r, j] = x[ci, oh·sH + ki·dH − pH, ow·sW + kj·dW − pW]   (0 outside the image)
 *   r = (ci·kH + ki)·kW + kj,   j = oh·OW + ow
 * A row of col over consecutive j is a run of image rows shifted by (ki·dH − pH, kj·dW − pW): runs
 * are copied with f32x4 loads/stores, the padding is written as zeros.
 */
import { NR } from './gemm-kernel';
import { transpose4 } from './gemm-pack';

/** Geometry of the unfolded image (one image, the channels of one group), passed by address. */
// Offsets inside a geometry record (i32): the conv descriptor stores it at CG_* (see conv.ts).
export const G_H = 0;
export const G_W = 4;
export const G_KH = 8;
export const G_KW = 12;
export const G_SH = 16;
export const G_SW = 20;
export const G_PH = 24;
export const G_PW = 28;
export const G_DH = 32;
export const G_DW = 36;
export const G_OW = 40;

// @ts-ignore: decorator
@inline
function zero(d: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(d + (<usize>i << 2), z);
  for (; i < n; i++) store<f32>(d + (<usize>i << 2), 0);
}

/**
 * dst[t] = col[r, j0 + t] for t < cnt, for the row r at image offsets (offH, offW) = (ki·dH − pH,
 * kj·dW − pW) of channel plane xc (h × w floats at byte address xc).
 */
export function gatherRow(xc: usize, geo: usize, offH: i32, offW: i32, j0: i32, cnt: i32, dst: usize): void {
  const h = load<i32>(geo, G_H), w = load<i32>(geo, G_W);
  const sH = load<i32>(geo, G_SH), sW = load<i32>(geo, G_SW), outW = load<i32>(geo, G_OW);
  // Columns ow with iw = ow·sW + offW inside [0, w): [lo, hi).
  const lo = offW >= 0 ? 0 : min(outW, (sW - 1 - offW) / sW);
  const hi = max(lo, min(outW, (w - offW + sW - 1) / sW));
  let oh = j0 / outW;
  let ow = j0 - oh * outW;
  let d = dst;
  while (cnt > 0) {
    const end = min(outW, ow + cnt);
    const seg = end - ow;
    const ih = oh * sH + offH;
    if (ih < 0 || ih >= h) {
      zero(d, seg);
    } else {
      const a = min(max(ow, lo), end);
      const b = max(min(hi, end), a);
      zero(d, a - ow);
      if (b > a) {
        const s = xc + (<usize>(ih * w + a * sW + offW) << 2);
        const o = d + (<usize>(a - ow) << 2);
        const len = b - a;
        if (sW == 1) {
          let i = 0;
          for (; i + 8 <= len; i += 8) {
            v128.store(o + (<usize>i << 2), v128.load(s + (<usize>i << 2)));
            v128.store(o + (<usize>i << 2), v128.load(s + (<usize>i << 2), 16), 16);
          }
          for (; i < len; i++) store<f32>(o + (<usize>i << 2), load<f32>(s + (<usize>i << 2)));
        } else {
          for (let i = 0; i < len; i++) store<f32>(o + (<usize>i << 2), load<f32>(s + (<usize>(i * sW) << 2)));
        }
      }
      zero(d + (<usize>(b - ow) << 2), end - b);
    }
    d += <usize>seg << 2;
    cnt -= seg;
    oh++;
    ow = 0;
  }
}

/** Gathers row r of col (positions [j0, j0 + cnt)) of the image whose channel 0 is at x. */
// @ts-ignore: decorator
@inline
function gatherColRow(x: usize, geo: usize, r: i32, j0: i32, cnt: i32, dst: usize): void {
  const h = load<i32>(geo, G_H), w = load<i32>(geo, G_W);
  const kH = load<i32>(geo, G_KH), kW = load<i32>(geo, G_KW);
  const kk = kH * kW;
  const ci = r / kk;
  const ki = (r - ci * kk) / kW;
  const kj = r - ci * kk - ki * kW;
  const offH = ki * load<i32>(geo, G_DH) - load<i32>(geo, G_PH);
  const offW = kj * load<i32>(geo, G_DW) - load<i32>(geo, G_PW);
  gatherRow(x + (<usize>(ci * h * w) << 2), geo, offH, offW, j0, cnt, dst);
}

/**
 * Packs B = col[p0 : p0 + kc, j0 : j0 + nc] (depth = rows of col, columns = positions) into
 * NR-column panels at dst, zero padded, as packB does for a row-major B. Unpadded, with unit
 * column stride and whole NR-column chunks (conv.ts pads unit-stride images first to get there),
 * each chunk is one run of an image row: copied straight into its panel, one pass. Otherwise each
 * row is gathered into `line` (NC_MAX floats) with its borders, then dealt out NR floats per panel.
 * (The one-pass copy with per-chunk border masks instead of a padded image measured slower.)
 */
export function packColB(x: usize, geo: usize, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize, line: usize): void {
  const full = nc & ~(NR - 1);
  const panelBytes = <usize>(kc * NR) << 2;
  const outW = load<i32>(geo, G_OW);
  if (full == nc && load<i32>(geo, G_SW) == 1 && load<i32>(geo, G_PH) == 0 && load<i32>(geo, G_PW) == 0 && outW % NR == 0 && j0 % NR == 0) {
    // Unpadded, unit column stride, whole chunks: each NR-column chunk is one run of an image row.
    const h = load<i32>(geo, G_H), w = load<i32>(geo, G_W), kH = load<i32>(geo, G_KH), kW = load<i32>(geo, G_KW);
    const sH = load<i32>(geo, G_SH), dH = load<i32>(geo, G_DH), dW = load<i32>(geo, G_DW);
    const kk = kH * kW;
    const oh0 = j0 / outW, ow0 = j0 - oh0 * outW;
    for (let p = 0; p < kc; p++) {
      const r = p0 + p;
      const ci = r / kk, ki = (r - ci * kk) / kW, kj = r - ci * kk - ki * kW;
      const base = x + (<usize>(ci * h * w + ki * dH * w + kj * dW) << 2);
      let d = dst + (<usize>(p * NR) << 2);
      let oh = oh0, ow = ow0;
      for (let j = 0; j < nc; j += NR) {
        const s = base + (<usize>(oh * sH * w + ow) << 2);
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += panelBytes;
        ow += NR;
        if (ow == outW) { ow = 0; oh++; }
      }
    }
    return;
  }
  for (let p = 0; p < kc; p++) {
    gatherColRow(x, geo, p0 + p, j0, nc, line);
    let d = dst + (<usize>(p * NR) << 2);
    for (let j = 0; j < full; j += NR) {
      v128.store(d, v128.load(line + (<usize>j << 2)));
      v128.store(d, v128.load(line + (<usize>j << 2), 16), 16);
      d += panelBytes;
    }
    if (full < nc) {
      v128.store(d, f32x4.splat(0));
      v128.store(d, f32x4.splat(0), 16);
      for (let j = full; j < nc; j++) store<f32>(d + (<usize>(j - full) << 2), load<f32>(line + (<usize>j << 2)));
    }
  }
}

/**
 * Packs B = colᵀ[p0 : p0 + kc, j0 : j0 + nc] (depth = positions, columns = rows of col) into
 * NR-column panels at dst: NR rows of col are gathered into `line` (NR × kc floats), then
 * transposed 4 × 4 at a time, as packB does for a transposed B.
 */
export function packColTB(x: usize, geo: usize, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize, line: usize): void {
  const panelBytes = <usize>(kc * NR) << 2;
  const ld = <usize>kc << 2;
  const outW = load<i32>(geo, G_OW);
  if (nc % NR == 0 && kc % 4 == 0 && p0 % 4 == 0 && outW % 4 == 0 && load<i32>(geo, G_SW) == 1
    && load<i32>(geo, G_PH) == 0 && load<i32>(geo, G_PW) == 0) {
    packColTBDirect(x, geo, p0, kc, j0, nc, dst);
    return;
  }
  for (let j = 0; j < nc; j += NR) {
    const rows = min(NR, nc - j);
    for (let r = 0; r < NR; r++) {
      if (r < rows) gatherColRow(x, geo, j0 + j + r, p0, kc, line + <usize>r * ld);
      else zero(line + <usize>r * ld, kc);
    }
    const panel = dst + <usize>(j / NR) * panelBytes;
    const s4 = line + 4 * ld;
    let p = 0;
    for (; p + 4 <= kc; p += 4) {
      const o = <usize>p << 2;
      const d = panel + (<usize>(p * NR) << 2);
      transpose4(v128.load(line + o), v128.load(line + ld + o), v128.load(line + 2 * ld + o), v128.load(line + 3 * ld + o), d, 32);
      transpose4(v128.load(s4 + o), v128.load(s4 + ld + o), v128.load(s4 + 2 * ld + o), v128.load(s4 + 3 * ld + o), d + 16, 32);
    }
    for (; p < kc; p++) {
      const d = panel + (<usize>(p * NR) << 2);
      for (let r = 0; r < NR; r++) store<f32>(d + (<usize>r << 2), load<f32>(line + <usize>r * ld + (<usize>p << 2)));
    }
  }
}

/**
 * packColTB for an unpadded image with unit column stride, whole panels and 4 | p0, kc, OW: four
 * positions of one output row are one f32x4 load from each of a panel's 8 image rows, transposed
 * 4 × 4 into the panel directly (no line buffer).
 */
function packColTBDirect(x: usize, geo: usize, p0: i32, kc: i32, j0: i32, nc: i32, dst: usize): void {
  const h = load<i32>(geo, G_H), w = load<i32>(geo, G_W), kH = load<i32>(geo, G_KH), kW = load<i32>(geo, G_KW);
  const sH = load<i32>(geo, G_SH), dH = load<i32>(geo, G_DH), dW = load<i32>(geo, G_DW), outW = load<i32>(geo, G_OW);
  const kk = kH * kW;
  const panelBytes = <usize>(kc * NR) << 2;
  for (let j = 0; j < nc; j += NR) {
    // Byte offsets of the panel's 8 rows of col (their (ci, ki, kj) taps) in the image.
    let o0: usize = 0, o1: usize = 0, o2: usize = 0, o3: usize = 0, o4: usize = 0, o5: usize = 0, o6: usize = 0, o7: usize = 0;
    for (let q = 0; q < NR; q++) {
      const r = j0 + j + q;
      const ci = r / kk, ki = (r - ci * kk) / kW, kj = r - ci * kk - ki * kW;
      const o = x + (<usize>(ci * h * w + ki * dH * w + kj * dW) << 2);
      if (q == 0) o0 = o; else if (q == 1) o1 = o; else if (q == 2) o2 = o; else if (q == 3) o3 = o;
      else if (q == 4) o4 = o; else if (q == 5) o5 = o; else if (q == 6) o6 = o; else o7 = o;
    }
    const panel = dst + <usize>(j / NR) * panelBytes;
    let oh = p0 / outW, ow = p0 - oh * outW;
    for (let p = 0; p < kc; p += 4) {
      const s = <usize>(oh * sH * w + ow) << 2;
      const d = panel + (<usize>(p * NR) << 2);
      transpose4(v128.load(o0 + s), v128.load(o1 + s), v128.load(o2 + s), v128.load(o3 + s), d, 32);
      transpose4(v128.load(o4 + s), v128.load(o5 + s), v128.load(o6 + s), v128.load(o7 + s), d + 16, 32);
      ow += 4;
      if (ow == outW) { ow = 0; oh++; }
    }
  }
}

/**
 * Zero-padded copies of `planes` planes h × w at src into planes hp × wp at dst, the image at
 * (top, left). Convolving the copy without padding gives the padded convolution, with no bounds to
 * check while packing (conv.ts pads unit-stride inputs this way first).
 */
export function padPlanesF32(src: usize, planes: i32, h: i32, w: i32, top: i32, left: i32, hp: i32, wp: i32, dst: usize): void {
  const z = f32x4.splat(0);
  for (let p = 0; p < planes; p++) {
    const s = src + (<usize>(p * h * w) << 2);
    const d = dst + (<usize>(p * hp * wp) << 2);
    for (let r = 0; r < hp; r++) {
      const row = d + (<usize>(r * wp) << 2);
      const ih = r - top;
      if (ih < 0 || ih >= h) {
        let i = 0;
        for (; i + 4 <= wp; i += 4) v128.store(row + (<usize>i << 2), z);
        for (; i < wp; i++) store<f32>(row + (<usize>i << 2), 0);
        continue;
      }
      for (let i = 0; i < left; i++) store<f32>(row + (<usize>i << 2), 0);
      const from = s + (<usize>(ih * w) << 2), to = row + (<usize>left << 2);
      let i = 0;
      for (; i + 4 <= w; i += 4) v128.store(to + (<usize>i << 2), v128.load(from + (<usize>i << 2)));
      for (; i < w; i++) store<f32>(to + (<usize>i << 2), load<f32>(from + (<usize>i << 2)));
      for (let j = left + w; j < wp; j++) store<f32>(row + (<usize>j << 2), 0);
    }
  }
}
