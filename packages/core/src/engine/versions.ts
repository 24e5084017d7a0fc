/**
 * Version counters, as PyTorch's. Every tensor has a version, shared by all the tensors that alias
 * its data: reshape, view, flatten, squeeze, unsqueeze and detach hand the same `data` array to the
 * new tensor, and the counter is kept per data array. Tessera's in-place helpers (`add_`, `mul_`,
 * `zero_`, `fill_`, `copy_`, …, the nn optimisers, initialisers, loadStateDict and batch-norm running
 * statistics) bump it through `markModified`; an op that saves a tensor for its backward records the
 * version, and backward throws, naming the op, when it changed.
 *
 * Raw writes to `tensor.data` are NOT tracked, as writes through PyTorch's `.data` are not: `.data` is
 * the raw buffer, outside autograd. Code that writes it in place and wants the check calls
 * `markModified(t)` afterwards. (Anomaly mode also catches untracked writes, by checksum.)
 *
 * The counter lives in a WeakMap keyed by the data array, created on the first bump: a tensor never
 * modified in place costs nothing, and a tensor's version is 0 until then.
 */
import { describeValue } from '../args.js';
import type { TypedArray } from '../dtype.js';

const versions = new WeakMap<TypedArray, number>();

/** The version of the data `t` holds (0 until an in-place change). */
export function versionOf(t: { readonly data: TypedArray }): number {
  if (!ArrayBuffer.isView(t?.data)) throw new Error(`versionOf: t must be a Tensor, got ${describeValue(t)}`);
  return versions.get(t.data) ?? 0;
}

/**
 * Records that `t`'s data was changed in place: bumps the version shared by every tensor aliasing
 * it. Call it after writing `t.data` yourself when that tensor may be saved by an op for backward.
 */
export function markModified(t: { readonly data: TypedArray }): void {
  if (!ArrayBuffer.isView(t?.data)) throw new Error(`markModified: t must be a Tensor, got ${describeValue(t)}`);
  versions.set(t.data, (versions.get(t.data) ?? 0) + 1);
}
