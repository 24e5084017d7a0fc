/**
 * NLL of log-probabilities viewed as [n, c, spatial]: loss = −w_y·x_y per position (0 where the
 * target is ignoreIndex); 'mean' divides Σ loss by W = Σ w_y over the non-ignored positions.
 *   ∂loss/∂x_c = −w_y·[c = y]
 */
import type { FloatArray } from '../dtype.js';
import type { ClassLossParams } from './types.js';

/**
 * The first i with t[i] outside [0, c) and not ignoreIndex, or −1. A small function of its own so
 * that V8 optimises the loop as a whole; one predictable branch per target, as v >>> 0 ≥ c covers
 * v < 0 and v ≥ c.
 */
export function firstInvalidTarget(t: Int32Array, p: { c: number; ignoreIndex: number }): number {
  const { c, ignoreIndex } = p;
  const n = t.length;
  for (let i = 0; i < n; i++) {
    const v = t[i]!;
    if (v >>> 0 >= c && v !== ignoreIndex) return i;
  }
  return -1;
}

/** Writes `out` (n·spatial values for 'none', else one value) and returns W. */
export function nllLossForward(x: FloatArray, target: Int32Array, weight: FloatArray | null, out: FloatArray, p: ClassLossParams): number {
  const { n, c, spatial, ignoreIndex, reduction } = p;
  let total = 0;
  let W = 0;
  const none = reduction === 'none';
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < spatial; j++) {
      const p = i * spatial + j;
      const y = target[p]!;
      if (y === ignoreIndex) { if (none) out[p] = 0; continue; }
      const w = weight ? weight[y]! : 1;
      const l = -w * x[(i * c + y) * spatial + j]!;
      W += w;
      if (none) out[p] = l;
      else total += l;
    }
  }
  if (!none) out[0] = reduction === 'mean' ? total / W : total;
  return W;
}

/**
 * Adds −w_y·upstream·scale at each non-ignored target into gradInput (zero-filled by the caller).
 * `upstream` holds one value or n·spatial values; under 'mean' with W = 0, scale = ∞ and 0·∞ = NaN
 * at the targets, as in PyTorch.
 */
export function nllLossBackward(
  target: Int32Array, weight: FloatArray | null, upstream: FloatArray, gradInput: FloatArray, p: ClassLossParams & { scale: number },
): void {
  const { n, c, spatial, ignoreIndex, scale } = p;
  const one = upstream.length === 1;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < spatial; j++) {
      const p = i * spatial + j;
      const y = target[p]!;
      if (y === ignoreIndex) continue;
      const G = (one ? upstream[0]! : upstream[p]!) * scale;
      gradInput[(i * c + y) * spatial + j] = -(weight ? weight[y]! : 1) * G;
    }
  }
}
