/**
 * narrow(x, dim, start, length) and slice(x, dim, {start, end, step}) along one dim, as
 * `x.narrow(dim, start, length)` and `x[..., start:end:step, ...]`. Step 1 copies contiguous blocks;
 * other steps compose indexSelect. Backward of narrow: the gradient padded back with zeros
 * (sliceBackward, an op whose backward is narrow again, so gradients of any order exist).
 *
 * @example
 * arange(6).narrow(0, 2, 3) // tensor([2, 3, 4]); PyTorch: x.narrow(0, 2, 3)
 */
import { checkNumber, checkOptions } from '../args.js';
import { allocate, allocateEmpty } from '../dtype.js';
import { record } from '../engine.js';
import { formatShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { indexSelect } from './index-select.js';
import { assertTensor, requireInteger } from './util.js';

export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor('narrow', 'input', x);
  const d = normalizeDim('narrow', dim, x.ndim);
  const size = x.shape[d]!;
  requireInteger('narrow', 'start', start);
  requireInteger('narrow', 'length', length, 0);
  const s = start < 0 ? start + size : start;
  if (s < 0 || s + length > size) {
    throw new Error(`narrow: start ${start} + length ${length} exceeds dim ${d} of size ${size} (shape ${formatShape(x.shape)})`);
  }
  const outer = sizeOf(x.shape.slice(0, d));
  const inner = sizeOf(x.shape.slice(d + 1));
  const outShape = x.shape.map((v, i) => (i === d ? length : v));
  const out = allocateEmpty(x.dtype, outer * length * inner);
  for (let o = 0; o < outer; o++) {
    const src = (o * size + s) * inner;
    out.set(x.data.subarray(src, src + length * inner), o * length * inner);
  }
  return record(new Tensor(out, outShape), 'slice', [x], (grad) => [sliceBackward(grad, x.shape, d, s)], { saved: [] });
}

/** narrow's backward, as an op: `grad` placed at `start` along dim in zeros of `shape`; its backward is narrow. */
export function sliceBackward(grad: Tensor, shape: readonly number[], dim: number, start: number): Tensor {
  const size = shape[dim]!;
  const length = grad.shape[dim]!;
  const outer = sizeOf(shape.slice(0, dim));
  const inner = sizeOf(shape.slice(dim + 1));
  const g = allocate(grad.dtype, sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    const src = o * length * inner;
    g.set(grad.data.subarray(src, src + length * inner), (o * size + start) * inner);
  }
  return record(new Tensor(g, shape), 'sliceBackward', [grad], (u) => [narrow(u, dim, start, length)], { saved: [] });
}

export interface SliceOptions {
  start?: number;
  end?: number;
  step?: number;
}

/** Python-style slicing along one dim: negative start/end count from the end and are clamped. */
export function slice(x: Tensor, dim: number, options: SliceOptions = {}): Tensor {
  assertTensor('slice', 'input', x);
  checkOptions('slice', options, ['start', 'end', 'step']);
  const d = normalizeDim('slice', dim, x.ndim);
  checkNumber('slice', 'start', options.start, { integer: true });
  checkNumber('slice', 'end', options.end, { integer: true });
  const size = x.shape[d]!;
  const step = options.step ?? 1;
  requireInteger('slice', 'step', step, 1);
  const clampIndex = (v: number): number => Math.min(Math.max(v < 0 ? v + size : v, 0), size);
  const start = clampIndex(options.start ?? 0);
  const end = Math.max(clampIndex(options.end ?? size), start);
  if (step === 1) return narrow(x, d, start, end - start);
  const idx = new Int32Array(Math.ceil((end - start) / step)).map((_, i) => start + i * step);
  return indexSelect(x, d, new Tensor(idx, [idx.length]));
}
