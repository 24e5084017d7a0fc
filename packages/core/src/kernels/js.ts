/**
 * Plain TypeScript kernels: the reference backend, the float64 path (gradcheck runs here) and the
 * fallback of every faster backend. Raw typed-array loops live here and in the other kernel modules
 * only; unchecked indexing (`!`) is contained to these files.
 */
import type { FloatArray, TypedArray } from '../dtype.js';
import { gather, indexAdd, indexSelect, scatterAdd } from './indexing.js';
import type { BinaryKernelOp, GemmOptions, Kernels, UnaryKernelOp } from './types.js';

const BINARY: Record<BinaryKernelOp, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: (x, y) => Math.pow(x, y),
  maximum: (x, y) => (x !== x || y !== y ? Number.NaN : x > y ? x : y),
  minimum: (x, y) => (x !== x || y !== y ? Number.NaN : x < y ? x : y),
  eq: (x, y) => (x === y ? 1 : 0),
  ne: (x, y) => (x !== y ? 1 : 0),
  lt: (x, y) => (x < y ? 1 : 0),
  le: (x, y) => (x <= y ? 1 : 0),
  gt: (x, y) => (x > y ? 1 : 0),
  ge: (x, y) => (x >= y ? 1 : 0),
};

const UNARY: Record<UnaryKernelOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  relu: (x) => (x > 0 ? x : 0),
  sigmoid: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
  tanh: Math.tanh,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0),
};

/** Element strides of `shape` aligned to `outShape`'s rank, 0 where the dim broadcasts. */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    strides[rank - shape.length + i] = d === 1 ? 0 : s;
    s *= d;
  }
  return strides;
}

function binary(
  op: BinaryKernelOp, a: TypedArray, aShape: readonly number[], b: TypedArray, bShape: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) {
    switch (op) {
      case 'add': for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!; return;
      case 'sub': for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!; return;
      case 'mul': for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!; return;
      case 'div': for (let i = 0; i < n; i++) out[i] = a[i]! / b[i]!; return;
      default: {
        const f = BINARY[op];
        for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
        return;
      }
    }
  }
  const f = BINARY[op];
  if (b.length === 1 && a.length === n) {
    const y = b[0]!;
    if (op === 'mul') for (let i = 0; i < n; i++) out[i] = a[i]! * y;
    else if (op === 'add') for (let i = 0; i < n; i++) out[i] = a[i]! + y;
    else for (let i = 0; i < n; i++) out[i] = f(a[i]!, y);
    return;
  }
  if (a.length === 1 && b.length === n) {
    const x = a[0]!;
    for (let i = 0; i < n; i++) out[i] = f(x, b[i]!);
    return;
  }
  const rank = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const inner = outShape[rank - 1]!;
  const ia = sa[rank - 1]!;
  const ib = sb[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n; o += inner) {
    let pa = offA;
    let pb = offB;
    for (let j = 0; j < inner; j++, pa += ia, pb += ib) out[o + j] = f(a[pa]!, b[pb]!);
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      offA += sa[d]!;
      offB += sb[d]!;
      if (idx[d]! < outShape[d]!) break;
      offA -= sa[d]! * idx[d]!;
      offB -= sb[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
}

function unary(op: UnaryKernelOp, x: TypedArray, out: TypedArray): void {
  const f = UNARY[op];
  const n = x.length;
  if (op === 'relu') {
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : 0;
    }
    return;
  }
  for (let i = 0; i < n; i++) out[i] = f(x[i]!);
}

function sum(x: TypedArray, shape: readonly number[], reduce: readonly boolean[], out: TypedArray): void {
  const n = x.length;
  const acc = new Float64Array(out.length);
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i]!;
    out[0] = s;
    return;
  }
  const rank = shape.length;
  // Output strides for kept dims, 0 for reduced ones.
  const so = new Array<number>(rank).fill(0);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) {
    if (!reduce[d]) {
      so[d] = s;
      s *= shape[d]!;
    }
  }
  const inner = shape[rank - 1]!;
  const io = so[rank - 1]!;
  const idx = new Array<number>(rank).fill(0);
  let off = 0;
  for (let i = 0; i < n; i += inner) {
    if (io === 0) {
      let t = 0;
      for (let j = 0; j < inner; j++) t += x[i + j]!;
      acc[off]! += t;
    } else {
      for (let j = 0; j < inner; j++) acc[off + j]! += x[i + j]!;
    }
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      off += so[d]!;
      if (idx[d]! < shape[d]!) break;
      off -= so[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i]!;
}

function argReduce(
  kind: 'max' | 'min', x: TypedArray, outer: number, size: number, inner: number, values: TypedArray, indices: Int32Array,
): void {
  const sign = kind === 'max' ? 1 : -1;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      let best = x[base]!;
      let bi = 0;
      if (best === best) {
        for (let k = 1; k < size; k++) {
          const v = x[base + k * inner]!;
          if (v !== v) { best = v; bi = k; break; } // NaN propagates, as in PyTorch
          if (sign * v > sign * best) { best = v; bi = k; }
        }
      }
      values[o * inner + j] = best;
      indices[o * inner + j] = bi;
    }
  }
}

function permute(x: TypedArray, shape: readonly number[], perm: readonly number[], out: TypedArray): void {
  const rank = shape.length;
  const n = x.length;
  if (n === 0) return;
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let d = rank - 1; d >= 0; d--) { inStrides[d] = s; s *= shape[d]!; }
  const outShape = perm.map((p) => shape[p]!);
  const st = perm.map((p) => inStrides[p]!); // input stride of each output dim
  const idx = new Array<number>(rank).fill(0);
  const inner = outShape[rank - 1]!;
  const si = st[rank - 1]!;
  let off = 0;
  for (let o = 0; o < n; o += inner) {
    for (let j = 0, p = off; j < inner; j++, p += si) out[o + j] = x[p]!;
    for (let d = rank - 2; d >= 0; d--) {
      idx[d]!++;
      off += st[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= st[d]! * idx[d]!;
      idx[d] = 0;
    }
  }
}

function gemm(
  a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number,
  batch: number, strideA: number, strideB: number, strideC: number, options: GemmOptions = {},
): void {
  const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
  const bt = transB ? new Float64Array(k * n) : null;
  const row = new Float64Array(n);
  for (let t = 0; t < batch; t++) {
    const oa = t * strideA;
    const ob = t * strideB;
    const oc = t * strideC;
    // B as a k × n row-major panel (transposed once when needed).
    let B: FloatArray = b;
    let bOff = ob;
    if (bt) {
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) bt[p * n + j] = b[ob + j * k + p]!;
      B = bt;
      bOff = 0;
    }
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[oa + p * m + i]! : a[oa + i * k + p]!;
        if (av === 0) continue;
        const bo = bOff + p * n;
        for (let j = 0; j < n; j++) row[j]! += av * B[bo + j]!;
      }
      const co = oc + i * n;
      if (beta === 0) for (let j = 0; j < n; j++) c[co + j] = alpha * row[j]!;
      else for (let j = 0; j < n; j++) c[co + j] = alpha * row[j]! + beta * c[co + j]!;
    }
  }
}

function softmax(x: FloatArray, outer: number, size: number, inner: number, log: boolean, out: FloatArray): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * size * inner + j;
      let mx = -Infinity;
      for (let k = 0; k < size; k++) { const v = x[base + k * inner]!; if (v > mx) mx = v; }
      if (mx === -Infinity) mx = 0;
      let s = 0;
      for (let k = 0; k < size; k++) s += Math.exp(x[base + k * inner]! - mx);
      if (log) {
        const lse = mx + Math.log(s);
        for (let k = 0; k < size; k++) out[base + k * inner] = x[base + k * inner]! - lse;
      } else {
        const inv = 1 / s;
        for (let k = 0; k < size; k++) out[base + k * inner] = Math.exp(x[base + k * inner]! - mx) * inv;
      }
    }
  }
}

export const jsKernels: Kernels = {
  name: 'js', binary, unary, sum, argReduce, permute, gemm, softmax, gather, scatterAdd, indexSelect, indexAdd,
};
