/**
 * Stand-in for core's `randperm(n, { generator })` until it lands on main (the ops helper adds it):
 * the same signature, an int32 tensor holding a permutation of 0..n−1 (Fisher–Yates from the top).
 * TODO(data): import it from @tessera/core and delete this file once it is there.
 */
import { Tensor, type Generator } from '@tessera/core';

export function randperm(n: number, options: { generator: Generator }): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new Error(`randperm: n must be a non-negative integer, got ${n}`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = options.generator.integer(0, i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return new Tensor(out, [n]);
}
