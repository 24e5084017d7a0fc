/**
 * Indexing kernels: gather / scatter-add along a dim, index-select / index-add. Index values are
 * checked by the ops before they get here.
 */
import type { TypedArray } from '../dtype.js';
import type { DimView } from './types.js';

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) { s[i] = acc; acc *= shape[i]!; }
  return s;
}

/**
 * Walks every position of `indexShape`; calls visit(p, q) with p the flat position in the index
 * (and the gathered output) and q the flat position in the source (shape `srcShape`) it addresses.
 */
function walkAlong(
  srcShape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[],
  visit: (p: number, q: number) => void,
): void {
  const rank = indexShape.length;
  const ss = stridesOf(srcShape);
  const idx = new Array<number>(rank).fill(0);
  const n = index.length;
  for (let p = 0; p < n; p++) {
    let q = 0;
    for (let d = 0; d < rank; d++) q += (d === dim ? index[p]! : idx[d]!) * ss[d]!;
    visit(p, q);
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < indexShape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** out[p] = x[… index[p] along dim …]; out has index's shape. */
export function gather(x: TypedArray, shape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray): void {
  walkAlong(shape, dim, index, indexShape, (p, q) => { out[p] = x[q]!; });
}

/** out[… index[p] along dim …] += src[p]; out (shape outShape) is accumulated into, not cleared. */
export function scatterAdd(src: TypedArray, dim: number, index: Int32Array, indexShape: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  walkAlong(outShape, dim, index, indexShape, (p, q) => { out[q]! += src[p]!; });
}

/** x viewed as [outer, size, inner]; out as [outer, index.length, inner] with out[o, j, i] = x[o, index[j], i]. */
export function indexSelect(x: TypedArray, index: Int32Array, out: TypedArray, v: DimView): void {
  const { outer, size, inner } = v;
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const src = (o * size + index[j]!) * inner;
      out.set(x.subarray(src, src + inner), (o * m + j) * inner);
    }
  }
}

/** The adjoint of indexSelect: out[o, index[j], i] += src[o, j, i]; out is accumulated into. */
export function indexAdd(src: TypedArray, index: Int32Array, out: TypedArray, v: DimView): void {
  const { outer, size, inner } = v;
  const m = index.length;
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      const dst = (o * size + index[j]!) * inner;
      const s = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i]! += src[s + i]!;
    }
  }
}
