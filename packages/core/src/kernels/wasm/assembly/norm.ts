/**
 * Per-channel kernels of batch normalisation for Tessera's WebAssembly backend (see
 * kernels/norm.ts): float32 tensors viewed as [n, c, inner], statistics and coefficients in f64
 * (f64x2, two lanes per f32x4 half). The elementwise ones (affine, combine) compute exactly the js
 * kernel's f64 expression, in its order, then round to f32 (equal bit for bit); the sums differ
 * from the js kernel's sequential ones only in summation order.
 */

// @ts-ignore: decorator
@inline
function lo(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}

// @ts-ignore: decorator
@inline
function hi(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
}

// @ts-ignore: decorator
@inline
function pack(a: v128, b: v128): v128 {
  // Two f64x2 rounded to f32 and joined into one f32x4 (a: lanes 0–1, b: lanes 2–3).
  return v128.shuffle<f32>(f32x4.demote_f64x2_zero(a), f32x4.demote_f64x2_zero(b), 0, 1, 4, 5);
}

// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// Descriptor of the item functions (byte offsets), written by wasm/norm.ts: the arguments of the
// plain functions, by name, and PER, the channels (moments, grad sums) or (image, channel) planes
// (affine, combine) of one item. An item computes exactly what the plain function computes there.
const D_X = 0, D_G = 4, D_N = 8, D_C = 12, D_INNER = 16, D_A = 20, D_B = 24, D_CENTER = 28, D_SHIFT = 32;
const D_OUT = 36, D_OUT2 = 40, D_MASK = 44, D_RELU = 48, D_PER = 52;

// @ts-ignore: decorator
@inline
function arg(desc: usize, at: usize): usize {
  return <usize>load<i32>(desc + at);
}

/** The [first, end) range of item `item` over `total` units, PER at a time. */
// @ts-ignore: decorator
@inline
function first(desc: usize, item: i32): i32 {
  return item * load<i32>(desc + D_PER);
}

// @ts-ignore: decorator
@inline
function end(desc: usize, item: i32, total: i32): i32 {
  return min(total, (item + 1) * load<i32>(desc + D_PER));
}

/** mean[c] and biased variance[c] (f64 arrays), two passes: Σx, then Σ(x − mean)². */
export function channelMomentsF32(x: usize, n: i32, c: i32, inner: i32, mean: usize, variance: usize): void {
  moments(x, n, c, inner, mean, variance, 0, c);
}

/** channelMomentsF32's channels of one item. */
export function channelMomentsF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc + D_C);
  moments(arg(desc, D_X), load<i32>(desc + D_N), c, load<i32>(desc + D_INNER), arg(desc, D_OUT), arg(desc, D_OUT2), first(desc, item), end(desc, item, c));
}

function moments(x: usize, n: i32, c: i32, inner: i32, mean: usize, variance: usize, ch0: i32, ch1: i32): void {
  const count = <f64>n * <f64>inner;
  for (let ch = ch0; ch < ch1; ch++) {
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
    let tail: f64 = 0;
    for (let b = 0; b < n; b++) {
      const row = x + (<usize>((b * c + ch) * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(row + (<usize>i << 2));
        s0 = f64x2.add(s0, lo(v));
        s1 = f64x2.add(s1, hi(v));
      }
      for (; i < inner; i++) tail += <f64>load<f32>(row + (<usize>i << 2));
    }
    const m = (hsum(s0) + hsum(s1) + tail) / count;
    const vm = f64x2.splat(m);
    let q0 = f64x2.splat(0), q1 = f64x2.splat(0);
    let qt: f64 = 0;
    for (let b = 0; b < n; b++) {
      const row = x + (<usize>((b * c + ch) * inner) << 2);
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const v = v128.load(row + (<usize>i << 2));
        const d0 = f64x2.sub(lo(v), vm), d1 = f64x2.sub(hi(v), vm);
        q0 = f64x2.add(q0, f64x2.mul(d0, d0));
        q1 = f64x2.add(q1, f64x2.mul(d1, d1));
      }
      for (; i < inner; i++) {
        const d = <f64>load<f32>(row + (<usize>i << 2)) - m;
        qt += d * d;
      }
    }
    store<f64>(mean + (<usize>ch << 3), m);
    store<f64>(variance + (<usize>ch << 3), (hsum(q0) + hsum(q1) + qt) / count);
  }
}

/** g·[not m <= 0] (relu's backward, as reluBackwardF32 computes it: NaN passes), or g when there is no mask (m = 0). */
// @ts-ignore: decorator
@inline
function maskLanes(gv: v128, mask: usize, at: usize): v128 {
  return mask == 0 ? gv : v128.bitselect(f32x4.splat(0), gv, f32x4.le(v128.load(mask + at), f32x4.splat(0)));
}
// @ts-ignore: decorator
@inline
function maskOne(g: f32, mask: usize, at: usize): f32 {
  return mask == 0 || !(load<f32>(mask + at) <= 0) ? g : 0;
}

/**
 * out = x·scale[c] + shift[c] (f64, rounded to f32; x masked by mask, or 0), then, with relu,
 * out > 0 or NaN ? out : 0 (as unaryF32's relu).
 */
export function channelAffineF32(x: usize, n: i32, c: i32, inner: i32, scale: usize, shift: usize, out: usize, relu: bool, mask: usize): void {
  affine(x, c, inner, scale, shift, out, relu, mask, 0, n * c);
}

/** channelAffineF32's planes of one item. */
export function channelAffineF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc + D_C);
  affine(arg(desc, D_X), c, load<i32>(desc + D_INNER), arg(desc, D_A), arg(desc, D_SHIFT), arg(desc, D_OUT), load<i32>(desc + D_RELU) != 0,
    arg(desc, D_MASK), first(desc, item), end(desc, item, load<i32>(desc + D_N) * c));
}

/** Planes [p0, p1) of channelAffineF32 (plane p: image p / c, channel p % c). */
function affine(x: usize, c: i32, inner: i32, scale: usize, shift: usize, out: usize, relu: bool, mask: usize, p0: i32, p1: i32): void {
  for (let p = p0; p < p1; p++) {
    const ch = p % c;
    const a = load<f64>(scale + (<usize>ch << 3)), s = load<f64>(shift + (<usize>ch << 3));
    const va = f64x2.splat(a), vs = f64x2.splat(s);
    const o = <usize>(p * inner) << 2;
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const v = maskLanes(v128.load(x + o + (<usize>i << 2)), mask, o + (<usize>i << 2));
      let r = pack(f64x2.add(f64x2.mul(lo(v), va), vs), f64x2.add(f64x2.mul(hi(v), va), vs));
      if (relu) r = v128.bitselect(r, f32x4.splat(0), v128.or(f32x4.gt(r, f32x4.splat(0)), f32x4.ne(r, r))); // NaN stays NaN
      v128.store(out + o + (<usize>i << 2), r);
    }
    for (; i < inner; i++) {
      const r = <f32>(<f64>maskOne(load<f32>(x + o + (<usize>i << 2)), mask, o + (<usize>i << 2)) * a + s);
      store<f32>(out + o + (<usize>i << 2), relu && !(r > 0) && r == r ? 0 : r);
    }
  }
}

/** sumG[c] = Σ g and sumGX[c] = Σ g·(x − center[c]) over n and inner (f64 arrays, overwritten); g masked by mask (or 0). */
export function channelGradSumsF32(g: usize, x: usize, n: i32, c: i32, inner: i32, center: usize, sumG: usize, sumGX: usize, mask: usize): void {
  gradSums(g, x, n, c, inner, center, sumG, sumGX, mask, 0, c);
}

/** channelGradSumsF32's channels of one item. */
export function channelGradSumsF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc + D_C);
  gradSums(arg(desc, D_G), arg(desc, D_X), load<i32>(desc + D_N), c, load<i32>(desc + D_INNER), arg(desc, D_CENTER), arg(desc, D_OUT),
    arg(desc, D_OUT2), arg(desc, D_MASK), first(desc, item), end(desc, item, c));
}

function gradSums(g: usize, x: usize, n: i32, c: i32, inner: i32, center: usize, sumG: usize, sumGX: usize, mask: usize, ch0: i32, ch1: i32): void {
  for (let ch = ch0; ch < ch1; ch++) {
    const m = load<f64>(center + (<usize>ch << 3));
    const vm = f64x2.splat(m);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), t0 = f64x2.splat(0), t1 = f64x2.splat(0);
    let st: f64 = 0, tt: f64 = 0;
    for (let b = 0; b < n; b++) {
      const o = <usize>((b * c + ch) * inner) << 2;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const gv = maskLanes(v128.load(g + o + (<usize>i << 2)), mask, o + (<usize>i << 2)), xv = v128.load(x + o + (<usize>i << 2));
        const g0 = lo(gv), g1 = hi(gv);
        s0 = f64x2.add(s0, g0);
        s1 = f64x2.add(s1, g1);
        t0 = f64x2.add(t0, f64x2.mul(g0, f64x2.sub(lo(xv), vm)));
        t1 = f64x2.add(t1, f64x2.mul(g1, f64x2.sub(hi(xv), vm)));
      }
      for (; i < inner; i++) {
        const v = <f64>maskOne(load<f32>(g + o + (<usize>i << 2)), mask, o + (<usize>i << 2));
        st += v;
        tt += v * (<f64>load<f32>(x + o + (<usize>i << 2)) - m);
      }
    }
    store<f64>(sumG + (<usize>ch << 3), hsum(s0) + hsum(s1) + st);
    store<f64>(sumGX + (<usize>ch << 3), hsum(t0) + hsum(t1) + tt);
  }
}

/** out = g·a[c] + (x − center[c])·b[c] + shift[c] (f64 in this order, rounded to f32); g masked by mask (or 0). */
export function channelCombineF32(
  g: usize, x: usize, n: i32, c: i32, inner: i32, a: usize, b: usize, center: usize, shift: usize, out: usize, mask: usize,
): void {
  combine(g, x, c, inner, a, b, center, shift, out, mask, 0, n * c);
}

/** channelCombineF32's planes of one item. */
export function channelCombineF32Item(desc: usize, item: i32, scratch: usize): void {
  const c = load<i32>(desc + D_C);
  combine(arg(desc, D_G), arg(desc, D_X), c, load<i32>(desc + D_INNER), arg(desc, D_A), arg(desc, D_B), arg(desc, D_CENTER), arg(desc, D_SHIFT),
    arg(desc, D_OUT), arg(desc, D_MASK), first(desc, item), end(desc, item, load<i32>(desc + D_N) * c));
}

/** Planes [p0, p1) of channelCombineF32. */
function combine(
  g: usize, x: usize, c: i32, inner: i32, a: usize, b: usize, center: usize, shift: usize, out: usize, mask: usize, p0: i32, p1: i32,
): void {
  for (let p = p0; p < p1; p++) {
    const ch = p % c;
    const ga = load<f64>(a + (<usize>ch << 3)), xb = load<f64>(b + (<usize>ch << 3));
    const m = load<f64>(center + (<usize>ch << 3)), s = load<f64>(shift + (<usize>ch << 3));
    const vga = f64x2.splat(ga), vxb = f64x2.splat(xb), vm = f64x2.splat(m), vs = f64x2.splat(s);
    const o = <usize>(p * inner) << 2;
    let i = 0;
    for (; i + 4 <= inner; i += 4) {
      const gv = maskLanes(v128.load(g + o + (<usize>i << 2)), mask, o + (<usize>i << 2)), xv = v128.load(x + o + (<usize>i << 2));
      const r0 = f64x2.add(f64x2.add(f64x2.mul(lo(gv), vga), f64x2.mul(f64x2.sub(lo(xv), vm), vxb)), vs);
      const r1 = f64x2.add(f64x2.add(f64x2.mul(hi(gv), vga), f64x2.mul(f64x2.sub(hi(xv), vm), vxb)), vs);
      v128.store(out + o + (<usize>i << 2), pack(r0, r1));
    }
    for (; i < inner; i++) {
      const gi = <f64>maskOne(load<f32>(g + o + (<usize>i << 2)), mask, o + (<usize>i << 2)), xi = <f64>load<f32>(x + o + (<usize>i << 2));
      store<f32>(out + o + (<usize>i << 2), <f32>(gi * ga + (xi - m) * xb + s));
    }
  }
}
