/**
 * Fused softmax cross-entropy over logits viewed as [n, c, spatial] (row-major, class stride =
 * spatial). Fused for speed and stability: an online max-shifted log-sum-exp per position (finite for
 * logits of ±1e4) in one pass over the classes with contiguous inner loops over positions; no one-hot
 * and no softmax of the input's size. The forward saves, per position, the max m and the rest
 * r = Σ_{c ≠ argmax} exp(x_c − m) (so Σ_c exp(x_c − m) = 1 + r); the backward rebuilds
 * p_c = exp(x_c − m)/(1 + r): one exp per element, none at all with two classes (1 or r). See
 * log-sum-exp.ts for why data-dependent choices are arithmetic (Number(a === b)), not branches.
 *
 * Index targets (Int32Array, n·spatial), with y the class, w = weight (1 when null), ε = labelSmoothing,
 * lse = m + log(1 + r), −log p_c = lse − x_c:
 *   loss = (1 − ε)·w_y·(lse − x_y) + (ε/C)·Σ_c w_c·(lse − x_c),   0 where y = ignoreIndex
 *   mean = (1 − ε)·Σ w_y·nll / W + (ε/C)·Σ smooth / W,   W = Σ w_y over non-ignored positions
 *   ∂loss/∂x_c = (1 − ε)·w_y·(p_c − [c = y]) + (ε/C)·(Σ_k w_k·p_c − w_c)
 * Probability targets (float, n·c·spatial), t' = (1 − ε)·t + ε/C:
 *   loss = Σ_c w_c·t'_c·(lse − x_c),   mean divides by the number of positions n·spatial
 *   ∂loss/∂x_c = (Σ_k w_k·t'_k)·p_c − w_c·t'_c
 * Everything is accumulated in float64 whatever the input dtype.
 */
import type { FloatArray } from '../dtype.js';
import { fastExp } from './fast-exp.js';
import { logSumExp } from './log-sum-exp.js';
import type { CrossEntropyParams, CrossEntropySaved } from './types.js';

/** Products of 1 + r are flushed into a log before they could overflow (1 + r ≤ C < 2^31). */
const FLUSH = 1e250;
/** Positions per tile in the backward (fewer when there are many classes: see `a` there). */
const TILE = 2048;

/**
 * Writes the losses into `out` (n·spatial values for 'none', else one value); returns the
 * denominator of 'mean' (W, or n·spatial for probability targets) and the per-position max m and
 * rest r (`stats`, 2·n·spatial: maxima first, then rests). A Float32Array/Float64Array target means
 * probabilities; an Int32Array target means class indices (checked by the op to be in range).
 * With gradInput (reduction 'mean' or 'sum'), also the gradient for upstream 1: here simply the
 * backward run after the forward (the js kernels gain nothing from fusing the two).
 */
export function crossEntropyForward(
  x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, out: FloatArray, gradInput: FloatArray | null, p: CrossEntropyParams,
): CrossEntropySaved {
  const saved = lossForward(x, target, weight, out, p);
  const scale = p.reduction === 'mean' ? 1 / saved.denominator : 1;
  if (gradInput) crossEntropyBackward(x, target, weight, saved, ONE, gradInput, { ...p, scale });
  return saved;
}

const ONE = Float64Array.of(1);

function lossForward(
  x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, out: FloatArray, p: CrossEntropyParams,
): CrossEntropySaved {
  const { n, c, spatial, ignoreIndex, labelSmoothing, reduction } = p;
  const S = spatial;
  const P = n * S;
  const stats = new Float64Array(2 * P);
  const e = labelSmoothing;
  const eC = e / c;
  const index = target instanceof Int32Array;
  const none = reduction === 'none';
  const wx = e > 0 && index ? new Float64Array(S) : null;
  const acc = index ? null : new Float64Array(S);
  const lseRow = index ? null : new Float64Array(S);
  // For reduced index losses, Σ w_y·log(1 + r) = Σ_c w_c·log Π_{y = c} (1 + r): one log per class, not per position.
  const prod = new Float64Array(c).fill(1);
  const logProd = new Float64Array(c);
  let wsum = c;
  if (weight) { wsum = 0; for (let k = 0; k < c; k++) wsum += weight[k]!; }
  let lin = 0; // Σ w_y·(m − x_y), or the whole sum for 'none' / probability targets
  let smoothLin = 0; // Σ (m·Σw − Σ_c w_c·x_c)
  let W = 0;
  for (let i = 0; i < n; i++) {
    const base = i * c * S;
    const o = i * S;
    logSumExp(x, c, S, base, o, P, stats);
    if (acc) {
      for (let j = 0; j < S; j++) { acc[j] = 0; lseRow![j] = stats[o + j]! + Math.log1p(stats[P + o + j]!); }
      for (let k = 0; k < c; k++) {
        const off = base + k * S;
        const wk = weight ? weight[k]! : 1;
        for (let j = 0; j < S; j++) acc[j]! += wk * ((1 - e) * target[off + j]! + eC) * (lseRow![j]! - x[off + j]!);
      }
      if (none) for (let j = 0; j < S; j++) out[o + j] = acc[j]!;
      else for (let j = 0; j < S; j++) lin += acc[j]!;
      continue;
    }
    if (wx) {
      for (let j = 0; j < S; j++) wx[j] = 0;
      for (let k = 0; k < c; k++) {
        const off = base + k * S;
        const wk = weight ? weight[k]! : 1;
        for (let j = 0; j < S; j++) wx[j]! += wk * x[off + j]!;
      }
    }
    if (none) {
      for (let j = 0; j < S; j++) {
        const y = target[o + j]!;
        if (y === ignoreIndex) { out[o + j] = 0; continue; }
        const w = weight ? weight[y]! : 1;
        const lse = stats[o + j]! + Math.log1p(stats[P + o + j]!);
        const sm = wx ? lse * wsum - wx[j]! : 0;
        out[o + j] = (1 - e) * (w * (lse - x[base + y * S + j]!)) + eC * sm;
        W += w;
      }
      continue;
    }
    for (let j = 0; j < S; j++) {
      const y = target[o + j]!;
      if (y === ignoreIndex) continue;
      const w = weight ? weight[y]! : 1;
      const m = stats[o + j]!;
      W += w;
      lin += w * (m - x[base + y * S + j]!);
      if (wx) smoothLin += m * wsum - wx[j]!;
      const q = prod[y]! * (1 + stats[P + o + j]!);
      if (q > FLUSH) { logProd[y]! += Math.log(q); prod[y] = 1; } else prod[y] = q;
    }
  }
  if (!index) {
    if (!none) out[0] = reduction === 'mean' ? lin / P : lin;
    return { denominator: P, stats };
  }
  if (none) return { denominator: W, stats };
  let nllSum = lin;
  let smoothSum = smoothLin;
  for (let k = 0; k < c; k++) {
    const L = logProd[k]! + Math.log(prod[k]!);
    nllSum += (weight ? weight[k]! : 1) * L;
    smoothSum += wsum * L;
  }
  // Two quotients, as PyTorch: with W = 0 the nll part is 0/0 = NaN even when the smoothing sum is not 0.
  if (reduction === 'sum') out[0] = (1 - e) * nllSum + eC * smoothSum;
  else out[0] = (1 - e) * (nllSum / W) + (e > 0 ? eC * (smoothSum / W) : 0);
  return { denominator: W, stats };
}

/**
 * gradInput = ∂(Σ upstream·loss)/∂x, from the forward's `stats` (when absent: computed here). `upstream` holds one value (for
 * 'mean' and 'sum') or n·spatial values; each is multiplied by `scale` (1/denominator under 'mean').
 * Writes every element of gradInput.
 */
export function crossEntropyBackward(
  x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, saved: CrossEntropySaved | null, upstream: FloatArray,
  gradInput: FloatArray, p: CrossEntropyParams & { scale: number },
): void {
  const { n, c, spatial, ignoreIndex, labelSmoothing, scale } = p;
  const S = spatial;
  const P = n * S;
  const e = labelSmoothing;
  const eC = e / c;
  // A forward that saved nothing (another backend's): compute the max and rest here.
  let stats = saved?.stats ?? null;
  if (!stats || stats.length !== 2 * P) {
    stats = new Float64Array(2 * P);
    for (let i = 0; i < n; i++) logSumExp(x, c, S, i * c * S, i * S, P, stats);
  }
  // Per-position coefficients for a tile of positions (kept small so that they stay in L1):
  const T = Math.max(16, Math.min(TILE, Math.floor(32768 / c)));
  const A = new Float64Array(T); // of exp(x_c − m)
  const E = new Float64Array(T); // exp(x_c − m) of one class row
  const B = new Float64Array(T); // of −w_c (smoothing) or of −w_c·t'_c (probabilities)
  // a[y·T + j]: subtracted at the target class y of position j, 0 at the others (an array, not a
  // `y === k ? … : 0` in the class loop, which mispredicts when the classes are mixed)
  const a = new Float64Array(c * T);
  const one = upstream.length === 1;
  const g0 = one ? upstream[0]! * scale : 0;
  let wsum = c;
  if (weight) { wsum = 0; for (let k = 0; k < c; k++) wsum += weight[k]!; }
  const index = target instanceof Int32Array;
  for (let i = 0; i < n; i++) {
    for (let j0 = 0; j0 < S; j0 += T) {
      const J = Math.min(T, S - j0);
      const base = i * c * S + j0; // element (i, 0, j0)
      const o = i * S + j0; // position (i, j0)
      if (index) {
        for (let j = 0; j < J; j++) {
          const y = target[o + j]!;
          if (y === ignoreIndex) { A[j] = 0; B[j] = 0; continue; }
          const G = one ? g0 : upstream[o + j]! * scale;
          // (1 − ε)·w_y·G first: under 'mean' with W = 0 it is 0·∞ = NaN, as in PyTorch.
          const ay = (1 - e) * (weight ? weight[y]! : 1) * G;
          const b = eC * G;
          a[y * T + j] = ay;
          B[j] = b;
          A[j] = (e > 0 ? ay + b * wsum : ay) / (1 + stats[P + o + j]!);
        }
      } else {
        for (let j = 0; j < J; j++) { A[j] = 0; B[j] = one ? g0 : upstream[o + j]! * scale; }
        for (let k = 0; k < c; k++) {
          const off = base + k * S;
          const wk = weight ? weight[k]! : 1;
          for (let j = 0; j < J; j++) A[j]! += wk * ((1 - e) * target[off + j]! + eC) * B[j]!;
        }
        for (let j = 0; j < J; j++) A[j]! /= 1 + stats[P + o + j]!;
      }
      for (let k = 0; k < c; k++) {
        const off = base + k * S;
        const wk = weight ? weight[k]! : 1;
        if (c === 2) {
          // 1 at the larger logit, r at the other; r is NaN for two equal infinities, and so is E.
          for (let j = 0; j < J; j++) {
            const top = Number(x[off + j]! === stats[o + j]!);
            E[j] = top + (1 - top) * stats[P + o + j]!;
          }
        } else for (let j = 0; j < J; j++) E[j] = fastExp(x[off + j]! - stats[o + j]!);
        const ak = k * T;
        if (!index) {
          for (let j = 0; j < J; j++) gradInput[off + j] = A[j]! * E[j]! - B[j]! * wk * ((1 - e) * target[off + j]! + eC);
        } else if (e > 0) {
          for (let j = 0; j < J; j++) gradInput[off + j] = A[j]! * E[j]! - B[j]! * wk - a[ak + j]!;
        } else {
          for (let j = 0; j < J; j++) gradInput[off + j] = A[j]! * E[j]! - a[ak + j]!;
        }
      }
      if (index) {
        for (let j = 0; j < J; j++) {
          const y = target[o + j]!;
          if (y !== ignoreIndex) a[y * T + j] = 0; // back to all zeros for the next tile
        }
      }
    }
  }
}
