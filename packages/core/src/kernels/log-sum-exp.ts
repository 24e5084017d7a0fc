/**
 * The online log-sum-exp of the cross-entropy kernel, over one sample of logits viewed as [c, S]
 * (class stride S): per position, the max m and the rest r = Σ_{c ≠ argmax} exp(x_c − m), so that
 * logsumexp = m + log(1 + r) and softmax_c = exp(x_c − m)/(1 + r). One pass over the classes with
 * contiguous inner loops; r is rescaled when m grows. Data-dependent choices use Number(a > b)
 * arithmetic, not branches (on random logits a branch mispredicts half the time, about 3× slower);
 * only non-finite logits take a branch, which is predictable.
 *
 * @example
 * // x = [[0, 2]] as [c = 2, S = 1]: m = 2, r = e^−2 (logsumexp = 2 + log(1 + e^−2) = 2.1269)
 */
import type { FloatArray } from '../dtype.js';
import { fastExp } from './fast-exp.js';

/**
 * Online log-sum-exp of sample `base` (positions o..o+S): stats[o + j] = m, the max over the classes,
 * stats[P + o + j] = r = Σ_{c ≠ argmax} exp(x_c − m), rescaled when m grows.
 */
export function logSumExp(x: FloatArray, c: number, S: number, base: number, o: number, P: number, stats: Float64Array): void {
  if (c === 1) {
    for (let j = 0; j < S; j++) { stats[o + j] = x[base + j]!; stats[P + o + j] = 0; }
    return;
  }
  for (let j = 0; j < S; j++) {
    const u = x[base + j]!;
    const v = x[base + S + j]!;
    const d = v - u;
    const ad = Math.abs(d);
    if (ad < Infinity) {
      const gt = Number(v > u); // gt·v + (1 − gt)·u picks one exactly
      stats[o + j] = gt * v + (1 - gt) * u;
      stats[P + o + j] = fastExp(-ad);
    } else {
      // Non-finite: a max of +∞ gives r = NaN (PyTorch's log-softmax is ∞ − ∞ there); one −∞ gives
      // r = 0; two −∞ give 1 (exp(0), a later finite class rescales it away) or NaN when C = 2; NaN stays NaN.
      const m = v > u ? v : u;
      stats[o + j] = m;
      stats[P + o + j] = m === Infinity ? Number.NaN : d === d ? 0 : v !== u ? d : c === 2 ? Number.NaN : 1;
    }
  }
  for (let k = 2; k < c; k++) {
    const off = base + k * S;
    for (let j = 0; j < S; j++) {
      const v = x[off + j]!;
      const m = stats[o + j]!;
      const r = stats[P + o + j]!;
      const d = v - m;
      const ad = Math.abs(d);
      if (ad < Infinity) {
        // v > m: r' = (1 + r)·exp(m − v), m' = v;  else r' = r + exp(v − m)
        const gt = Number(d > 0);
        const ex = fastExp(-ad);
        stats[P + o + j] = gt * ((1 + r) * ex) + (1 - gt) * (r + ex);
        stats[o + j] = gt * v + (1 - gt) * m;
      } else if (v > m) {
        stats[P + o + j] = v === Infinity ? Number.NaN : (1 + r) * fastExp(m - v);
        stats[o + j] = v;
      } else {
        stats[P + o + j] = r + (v === m ? 1 : fastExp(v - m)); // v = −∞, equal infinities (exp(0)), or NaN
      }
    }
  }
}
