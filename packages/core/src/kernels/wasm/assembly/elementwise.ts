/**
 * Memory-bound float32 kernels for Tessera's WebAssembly backend (f32x4; the *Item functions run parts of one call on the worker pool): relu,
 * neg, abs, sign, relu's backward, same-shape add/sub/mul, and the copy (nearest) case of
 * resampling along one axis.
 * Each computes exactly what the js kernel computes (same selects, f32 additions in the same
 * order), so the two backends agree bit for bit. Arguments are byte addresses and element counts.
 */

/** Unary ops by code: 0 relu (x > 0 or NaN ? x : 0: NaN stays NaN, as PyTorch), 1 neg, 2 abs, 3 sign (x > 0 ? 1 : x < 0 ? −1 : 0; NaN → 0). */
export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  const z = f32x4.splat(0), one = f32x4.splat(1), minus = f32x4.splat(-1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const v = v128.load(x + o);
    let r: v128;
    if (op == 0) r = v128.bitselect(v, z, v128.or(f32x4.gt(v, z), f32x4.ne(v, v)));
    else if (op == 1) r = f32x4.neg(v);
    else if (op == 2) r = f32x4.abs(v);
    else r = v128.bitselect(one, v128.bitselect(minus, z, f32x4.lt(v, z)), f32x4.gt(v, z));
    v128.store(out + o, r);
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    const r: f32 = op == 0 ? (v > 0 || v != v ? v : 0) : op == 1 ? -v : op == 2 ? abs<f32>(v) : v > 0 ? 1 : v < 0 ? -1 : 0;
    store<f32>(out + (<usize>i << 2), r);
  }
}

/** out[i] = x[i] <= 0 ? 0 : g[i] (as PyTorch's threshold_backward: the gradient passes where x is NaN). */
export function reluBackwardF32(g: usize, x: usize, out: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, v128.bitselect(z, v128.load(g + o), f32x4.le(v128.load(x + o), z)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) <= 0 ? 0 : load<f32>(g + o));
  }
}

/** Same-shape binary ops by code: 0 add, 1 sub, 2 mul (f32, as the js kernel's rounded float64). */
export function binaryF32(op: i32, a: usize, b: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const u = v128.load(a + o), v = v128.load(b + o);
    v128.store(out + o, op == 0 ? f32x4.add(u, v) : op == 1 ? f32x4.sub(u, v) : f32x4.mul(u, v));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const u = load<f32>(a + o), v = load<f32>(b + o);
    store<f32>(out + o, op == 0 ? u + v : op == 1 ? u - v : u * v);
  }
}

/**
 * out[o, j, :] = x[o, idx[j], :] with x as [outer, inSize, inner] and out as [outer, outSize, inner]
 * (idx: i32 at byte address idx). `double` = 1 promises idx[j] = j >> 1 and outSize = 2·inSize.
 */
export function resampleCopyF32(x: usize, outer: i32, inSize: i32, inner: i32, outSize: i32, idx: usize, double: i32, out: usize): void {
  for (let o = 0; o < outer; o++) {
    const src = x + (<usize>(o * inSize * inner) << 2);
    const dst = out + (<usize>(o * outSize * inner) << 2);
    if (inner == 1 && double != 0) {
      let i = 0;
      for (; i + 4 <= inSize; i += 4) {
        const v = v128.load(src + (<usize>i << 2));
        v128.store(dst + (<usize>i << 3), v128.shuffle<f32>(v, v, 0, 0, 1, 1));
        v128.store(dst + (<usize>i << 3), v128.shuffle<f32>(v, v, 2, 2, 3, 3), 16);
      }
      for (; i < inSize; i++) {
        const v = load<f32>(src + (<usize>i << 2));
        store<f32>(dst + (<usize>i << 3), v);
        store<f32>(dst + (<usize>i << 3), v, 4);
      }
    } else if (inner == 1) {
      for (let j = 0; j < outSize; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>load<i32>(idx + (<usize>j << 2)) << 2)));
    } else {
      for (let j = 0; j < outSize; j++) {
        const s = src + (<usize>(load<i32>(idx + (<usize>j << 2)) * inner) << 2);
        const d = dst + (<usize>(j * inner) << 2);
        let k = 0;
        for (; k + 4 <= inner; k += 4) v128.store(d + (<usize>k << 2), v128.load(s + (<usize>k << 2)));
        for (; k < inner; k++) store<f32>(d + (<usize>k << 2), load<f32>(s + (<usize>k << 2)));
      }
    }
  }
}

/** The adjoint of resampleCopyF32: dx[o, idx[j], :] += g[o, j, :], in increasing j (accumulates into dx). */
export function resampleCopyBackwardF32(g: usize, outer: i32, inSize: i32, inner: i32, outSize: i32, idx: usize, double: i32, dx: usize): void {
  for (let o = 0; o < outer; o++) {
    const src = g + (<usize>(o * outSize * inner) << 2);
    const dst = dx + (<usize>(o * inSize * inner) << 2);
    if (inner == 1 && double != 0) {
      let i = 0;
      for (; i + 4 <= inSize; i += 4) {
        const a = v128.load(src + (<usize>i << 3));
        const b = v128.load(src + (<usize>i << 3), 16);
        const d = dst + (<usize>i << 2);
        // (dx + g[2i]) + g[2i + 1]: the order of the js kernel's sequential loop.
        v128.store(d, f32x4.add(f32x4.add(v128.load(d), v128.shuffle<f32>(a, b, 0, 2, 4, 6)), v128.shuffle<f32>(a, b, 1, 3, 5, 7)));
      }
      for (; i < inSize; i++) {
        const d = dst + (<usize>i << 2);
        store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>i << 3)) + load<f32>(src + (<usize>i << 3), 4));
      }
    } else if (inner == 1) {
      for (let j = 0; j < outSize; j++) {
        const d = dst + (<usize>load<i32>(idx + (<usize>j << 2)) << 2);
        store<f32>(d, load<f32>(d) + load<f32>(src + (<usize>j << 2)));
      }
    } else {
      for (let j = 0; j < outSize; j++) {
        const s = src + (<usize>(j * inner) << 2);
        const d = dst + (<usize>(load<i32>(idx + (<usize>j << 2)) * inner) << 2);
        let k = 0;
        for (; k + 4 <= inner; k += 4) v128.store(d + (<usize>k << 2), f32x4.add(v128.load(d + (<usize>k << 2)), v128.load(s + (<usize>k << 2))));
        for (; k < inner; k++) store<f32>(d + (<usize>k << 2), load<f32>(d + (<usize>k << 2)) + load<f32>(s + (<usize>k << 2)));
      }
    }
  }
}

// Descriptor of the item functions (byte offsets), written by wasm/elementwise.ts: the arguments of
// the plain functions and PER, the elements (flat kernels, a multiple of 4) or outer slices
// (resampling) of one item. Every output element is computed by one item, as the plain function does.
const D_OP = 0, D_A = 4, D_B = 8, D_OUT = 12, D_N = 16, D_PER = 20;
const D_OUTER = 24, D_IN = 28, D_INNER = 32, D_OSIZE = 36, D_IDX = 40, D_DOUBLE = 44;

// @ts-ignore: decorator
@inline
function arg(desc: usize, at: usize): usize {
  return <usize>load<i32>(desc + at);
}

/** unaryF32 over elements [item·PER, (item + 1)·PER). */
export function unaryF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER), i0 = item * per, off = <usize>i0 << 2;
  unaryF32(load<i32>(desc + D_OP), arg(desc, D_A) + off, arg(desc, D_OUT) + off, min(per, load<i32>(desc + D_N) - i0));
}

/** reluBackwardF32 over one item's elements (D_B: x). */
export function reluBackwardF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER), i0 = item * per, off = <usize>i0 << 2;
  reluBackwardF32(arg(desc, D_A) + off, arg(desc, D_B) + off, arg(desc, D_OUT) + off, min(per, load<i32>(desc + D_N) - i0));
}

/** binaryF32 over one item's elements. */
export function binaryF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER), i0 = item * per, off = <usize>i0 << 2;
  binaryF32(load<i32>(desc + D_OP), arg(desc, D_A) + off, arg(desc, D_B) + off, arg(desc, D_OUT) + off, min(per, load<i32>(desc + D_N) - i0));
}

/** resampleCopyF32 over outer slices [item·PER, (item + 1)·PER). */
export function resampleCopyF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER), o0 = item * per;
  const inSize = load<i32>(desc + D_IN), inner = load<i32>(desc + D_INNER), outSize = load<i32>(desc + D_OSIZE);
  resampleCopyF32(arg(desc, D_A) + (<usize>(o0 * inSize * inner) << 2), min(per, load<i32>(desc + D_OUTER) - o0), inSize, inner, outSize,
    arg(desc, D_IDX), load<i32>(desc + D_DOUBLE), arg(desc, D_OUT) + (<usize>(o0 * outSize * inner) << 2));
}

/** resampleCopyBackwardF32 over one item's outer slices (D_A: g, D_OUT: dx). */
export function resampleCopyBackwardF32Item(desc: usize, item: i32, scratch: usize): void {
  const per = load<i32>(desc + D_PER), o0 = item * per;
  const inSize = load<i32>(desc + D_IN), inner = load<i32>(desc + D_INNER), outSize = load<i32>(desc + D_OSIZE);
  resampleCopyBackwardF32(arg(desc, D_A) + (<usize>(o0 * outSize * inner) << 2), min(per, load<i32>(desc + D_OUTER) - o0), inSize, inner, outSize,
    arg(desc, D_IDX), load<i32>(desc + D_DOUBLE), arg(desc, D_OUT) + (<usize>(o0 * inSize * inner) << 2));
}
