/**
 * cat(tensors, dim) joins along an existing dim; stack(tensors, dim) along a new one (unsqueeze,
 * then cat). Backward of cat: each input gets its slice of the gradient, d/dx_i = grad.narrow(dim, o_i, n_i).
 *
 * @example
 * cat([zeros([2, 3]), ones([1, 3])], 0).shape // [3, 3]; PyTorch: torch.cat([a, b], 0)
 */
import { describeValue, isList } from '../args.js';
import { allocateEmpty, promoteTypes } from '../dtype.js';
import { record } from '../engine.js';
import { formatShape, normalizeDim, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { unsqueeze } from './reshape.js';
import { narrow } from './slice.js';
import { assertTensor } from './util.js';

export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!isList(tensors)) throw new Error(`cat: tensors must be a list of tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new Error('cat: expected a non-empty list of tensors');
  tensors.forEach((t, i) => assertTensor('cat', `tensors[${i}]`, t));
  const first = tensors[0]!;
  if (first.ndim === 0) throw new Error('cat: zero-dimensional tensors cannot be concatenated; use stack');
  const d = normalizeDim('cat', dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new Error(
        `cat: tensors[${i}] has shape ${formatShape(t.shape)}, which does not match tensors[0]'s ` +
          `${formatShape(first.shape)} outside dim ${d}`,
      );
    }
  });
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const outer = sizeOf(first.shape.slice(0, d));
  const inner = sizeOf(first.shape.slice(d + 1));
  const total = tensors.reduce((a, t) => a + t.shape[d]!, 0);
  const out = allocateEmpty(dtype, outer * total * inner);
  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const block = t.shape[d]! * inner;
    for (let o = 0; o < outer; o++) out.set(t.data.subarray(o * block, (o + 1) * block), (o * total + offset) * inner);
    offsets.push(offset);
    offset += t.shape[d]!;
  }
  const outShape = first.shape.map((s, j) => (j === d ? total : s));
  return record(new Tensor(out, outShape), 'cat', tensors, (grad, needs) =>
    tensors.map((t, i) => (needs[i] ? narrow(grad, d, offsets[i]!, t.shape[d]!) : null)), { saved: [] },
  );
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!isList(tensors)) throw new Error(`stack: tensors must be a list of tensors, got ${describeValue(tensors)}`);
  if (tensors.length === 0) throw new Error('stack: expected a non-empty list of tensors');
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    assertTensor('stack', `tensors[${i}]`, t);
    if (t.ndim !== first.ndim || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new Error(`stack: tensors[${i}] has shape ${formatShape(t.shape)}, expected ${formatShape(first.shape)} like tensors[0]`);
    }
  });
  const d = normalizeDim('stack', dim, first.ndim + 1);
  return cat(tensors.map((t) => unsqueeze(t, d)), d);
}
