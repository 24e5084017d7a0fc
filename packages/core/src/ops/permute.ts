/**
 * permute(x, dims) reorders dims (a copy); transpose swaps two. The backward is the inverse
 * permutation: d/dx = grad.permute(argsort(dims)).
 *
 * @example
 * zeros([2, 3, 4]).permute([2, 0, 1]).shape // [4, 2, 3]; PyTorch: x.permute(2, 0, 1)
 */
import { describeValue, isList } from '../args.js';
import { allocateEmpty } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { normalizeDim } from '../shape.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('permute', 'input', x);
  if (!isList(dims)) throw new Error(`permute: dims must be a list of dims, got ${describeValue(dims)}`);
  if (dims.length !== x.ndim) {
    throw new Error(`permute: dims ${JSON.stringify(dims)} must list each of the input's ${x.ndim} dims once`);
  }
  const perm = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new Error(`permute: dims ${JSON.stringify(dims)} repeat a dim`);
  const outShape = perm.map((p) => x.shape[p]!);
  const out = allocateEmpty(x.dtype, x.size);
  kernels().permute(x.data, x.shape, perm, out);
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => { inverse[p] = i; });
  return record(new Tensor(out, outShape), 'permute', [x], (grad) => [permute(grad, inverse)], { saved: [] });
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  assertTensor('transpose', 'input', x);
  if (x.ndim < 2 && x.ndim === 0) return x.clone();
  const a = normalizeDim('transpose', dim0, x.ndim, 'dim0');
  const b = normalizeDim('transpose', dim1, x.ndim, 'dim1');
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}
