/**
 * flip(x, dims): x reversed along each of `dims`, as `torch.flip` (a copy). Reversing is its own
 * inverse, so the gradient is the upstream gradient flipped back:
 *   d/dx = flip(grad, dims)
 *
 * @example
 * flip(tensor([[1, 2], [3, 4]]), [1]) // tensor([[2, 1], [4, 3]]); PyTorch: torch.flip(x, [1])
 */
import { allocateEmpty, copyData } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/** out = x with its dim d rearranged: out[…, i, …] = x[…, source[i], …] (one pass of the indexSelect kernel). */
export function permuteAlong(x: Tensor, d: number, source: Int32Array): Tensor {
  const out = allocateEmpty(x.dtype, x.size); // indexSelect writes all of it
  if (x.size > 0) kernels().indexSelect(x.data, source, out, { outer: sizeOf(x.shape.slice(0, d)), size: x.shape[d]!, inner: sizeOf(x.shape.slice(d + 1)) });
  return new Tensor(out, x.shape);
}

/** Normalised dims from a number or a list of numbers (flip refuses repeats; roll adds their shifts). */
export function dimList(op: string, dims: number | readonly number[], rank: number): number[] {
  const list = typeof dims === 'number' ? [dims] : dims;
  if (!Array.isArray(list)) throw new Error(`${op}: dims must be a number or a list of numbers, got ${String(dims)}`);
  const out = list.map((d) => normalizeDim(op, d, rank, 'dims entry'));
  return out;
}

export function flip(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('flip', 'input', x);
  const ds = dimList('flip', dims, x.ndim);
  if (new Set(ds).size !== ds.length) throw new Error(`flip: dims ${JSON.stringify(dims)} has duplicates`);
  let y = new Tensor(copyData(x.data), x.shape);
  if (x.ndim > 0) {
    for (const d of ds) {
      const n = x.shape[d]!;
      y = permuteAlong(y, d, Int32Array.from({ length: n }, (_, i) => n - 1 - i));
    }
  }
  return record(y, 'flip', [x], (grad) => [flip(grad, ds)], { saved: [] });
}
