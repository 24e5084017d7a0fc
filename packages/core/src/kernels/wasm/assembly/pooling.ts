/**
 * 2×2, stride-2 max pooling without padding or dilation (the U-Net's pool) for Tessera's
 * WebAssembly backend: four output positions per f32x4 step, the even/odd columns of two image
 * rows split by shuffles. The same sequence of compares as the js kernel (kernels/pool.ts): the
 * window's taps in row-major order, a tap replacing the best so far when it is greater or NaN, so
 * the first maximum wins ties and the last NaN wins — values and indices match bit for bit.
 */

/** out[p, oh, ow] = max of x[p, 2oh..2oh+1, 2ow..2ow+1]; idx = its flat index ih·w + iw in the plane. */
export function maxPool2x2F32(x: usize, planes: i32, h: i32, w: i32, outH: i32, outW: i32, out: usize, idx: usize): void {
  pool(x, h, w, outH, outW, out, idx, 0, planes);
}

// Descriptor of the item function (byte offsets), written by wasm/pooling.ts: maxPool2x2F32's
// arguments and PER, the planes of one item.
const D_X = 0, D_PLANES = 4, D_H = 8, D_W = 12, D_OH = 16, D_OW = 20, D_OUT = 24, D_IDX = 28, D_PER = 32;

/** maxPool2x2F32's planes of one item. */
export function maxPool2x2F32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER);
  pool(<usize>load<i32>(desc + D_X), load<i32>(desc + D_H), load<i32>(desc + D_W), load<i32>(desc + D_OH), load<i32>(desc + D_OW),
    <usize>load<i32>(desc + D_OUT), <usize>load<i32>(desc + D_IDX), item * per, min(load<i32>(desc + D_PLANES), (item + 1) * per));
}

/** Planes [p0, p1) of maxPool2x2F32. */
function pool(x: usize, h: i32, w: i32, outH: i32, outW: i32, out: usize, idx: usize, p0: i32, p1: i32): void {
  const lanes = i32x4(0, 2, 4, 6);
  let o = p0 * outH * outW;
  for (let p = p0; p < p1; p++) {
    const plane = x + (<usize>(p * h * w) << 2);
    for (let oh = 0; oh < outH; oh++) {
      const r0 = 2 * oh * w;
      const top = plane + (<usize>r0 << 2), bottom = top + (<usize>w << 2);
      let ow = 0;
      for (; ow + 4 <= outW; ow += 4, o += 4) {
        const at = <usize>(2 * ow) << 2;
        const t0 = v128.load(top + at), t1 = v128.load(top + at, 16);
        const b0 = v128.load(bottom + at), b1 = v128.load(bottom + at, 16);
        const i0 = i32x4.add(i32x4.splat(r0 + 2 * ow), lanes);
        let best = v128.shuffle<f32>(t0, t1, 0, 2, 4, 6);
        let bi = i0;
        let v = v128.shuffle<f32>(t0, t1, 1, 3, 5, 7);
        let c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, c);
        bi = v128.bitselect(i32x4.add(i0, i32x4.splat(1)), bi, c);
        v = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6);
        c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        best = v128.bitselect(v, best, c);
        bi = v128.bitselect(i32x4.add(i0, i32x4.splat(w)), bi, c);
        v = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        c = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
        v128.store(out + (<usize>o << 2), v128.bitselect(v, best, c));
        v128.store(idx + (<usize>o << 2), v128.bitselect(i32x4.add(i0, i32x4.splat(w + 1)), bi, c));
      }
      for (; ow < outW; ow++, o++) {
        const i = r0 + 2 * ow;
        let best = load<f32>(plane + (<usize>i << 2));
        let bi = i;
        for (let t = 1; t < 4; t++) {
          const j = i + (t >> 1) * w + (t & 1);
          const v = load<f32>(plane + (<usize>j << 2));
          if (v > best || v != v) { best = v; bi = j; }
        }
        store<f32>(out + (<usize>o << 2), best);
        store<i32>(idx + (<usize>o << 2), bi);
      }
    }
  }
}

// Descriptor of maxPool2dBackwardF32Item (byte offsets), written by wasm/pooling.ts.
const DB_G = 0, DB_IDX = 4, DB_DX = 8, DB_PLANES = 12, DB_IN = 16, DB_OUT = 20, DB_PER = 24;

/**
 * The adjoint of max pooling, planes [item·PER, (item + 1)·PER): dx[p, idx[p, j]] += g[p, j] for each
 * output j in increasing order, indices outside the plane skipped (as the js kernel does).
 */
export function maxPool2dBackwardF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + DB_PER), inPlane = load<i32>(desc + DB_IN), outPlane = load<i32>(desc + DB_OUT);
  const g = <usize>load<i32>(desc + DB_G), idx = <usize>load<i32>(desc + DB_IDX), dx = <usize>load<i32>(desc + DB_DX);
  const p1 = min(load<i32>(desc + DB_PLANES), (item + 1) * per);
  for (let p = item * per; p < p1; p++) {
    const base = dx + (<usize>(p * inPlane) << 2);
    const o = <usize>(p * outPlane) << 2;
    for (let j = 0; j < outPlane; j++) {
      const i = load<i32>(idx + o + (<usize>j << 2));
      if (i >= 0 && i < inPlane) {
        const d = base + (<usize>i << 2);
        store<f32>(d, load<f32>(d) + load<f32>(g + o + (<usize>j << 2)));
      }
    }
  }
}
