/**
 * reshape (with one -1 inferred), flatten, squeeze, unsqueeze: the data is copied in row-major
 * order, so the backward is reshape back: d/dx = grad.reshape(x.shape).
 *
 * @example
 * arange(6).reshape([2, -1]) // shape [2, 3]; PyTorch: x.reshape(2, -1)
 */
import { describeValue, isList } from '../args.js';
import { copyData } from '../dtype.js';
import { record } from '../engine.js';
import { formatShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/** `copy` forces a fresh buffer (clone); otherwise the result shares `x`'s data. */
export function reshape(x: Tensor, shape: readonly number[], copy = false): Tensor {
  assertTensor('reshape', 'input', x);
  const target = inferShape(x, shape);
  const y = new Tensor(copy ? copyData(x.data) : x.data, target);
  return record(y, 'reshape', [x], (grad) => [reshape(grad, x.shape)], { saved: [] });
}

function inferShape(x: Tensor, shape: readonly number[]): number[] {
  if (!isList(shape)) throw new Error(`reshape: shape must be a list of sizes, got ${describeValue(shape)}`);
  const out = [...shape];
  const free = out.indexOf(-1);
  if (out.indexOf(-1, free + 1) !== -1 && free !== -1) {
    throw new Error(`reshape: shape can have only one -1, got ${formatShape(shape)}`);
  }
  for (const d of out) {
    if (!Number.isInteger(d) || d < -1) throw new Error(`reshape: invalid dim ${describeValue(d)} in shape ${formatShape(shape)}`);
  }
  if (free !== -1) {
    const known = out.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: shape ${formatShape(shape)} is invalid for input of shape ${formatShape(x.shape)} (${x.size} elements)`);
    }
    out[free] = x.size / known;
  }
  if (sizeOf(out) !== x.size) {
    throw new Error(`reshape: shape ${formatShape(shape)} is invalid for input of shape ${formatShape(x.shape)} (${x.size} elements)`);
  }
  return out;
}

/** Merges dims startDim..endDim into one, as `torch.flatten`. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor('flatten', 'input', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim('flatten', startDim, x.ndim, 'startDim');
  const e = normalizeDim('flatten', endDim, x.ndim, 'endDim');
  if (s > e) throw new Error(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, d) => a * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes size-1 dims (all of them, or just `dim` when it has size 1), as `torch.squeeze`. */
export function squeeze(x: Tensor, dim?: number): Tensor {
  assertTensor('squeeze', 'input', x);
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = normalizeDim('squeeze', dim, x.ndim);
  if (x.ndim === 0 || x.shape[d] !== 1) return reshape(x, x.shape);
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

/** Inserts a size-1 dim at `dim` (in -(rank+1)..rank), as `torch.unsqueeze`. */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor('unsqueeze', 'input', x);
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}
