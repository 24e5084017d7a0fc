/**
 * A precision–recall curve over thresholds of p(change) for a binary problem, accumulated over a
 * whole dataset batch by batch. Probabilities are binned: bin b of B counts the positives and
 * negatives with p in [b/B, (b+1)/B) (p = 1 falls in the last bin). At threshold t_i = i/B a pixel
 * is predicted positive when its bin is ≥ i, i.e. when p ≥ t_i (exact at the bin edges), so
 *
 *   TP_i = Σ_{b≥i} pos_b,  FP_i = Σ_{b≥i} neg_b,  FN_i = P − TP_i   (P = all positives)
 *   precision_i = TP_i / (TP_i + FP_i)   — 1 when nothing is predicted positive (sklearn's curve end point)
 *   recall_i    = TP_i / P               — 0 when there are no positives
 *   f1_i        = 2TP_i / (2TP_i + FP_i + FN_i) — 0 when that denominator is 0
 *   averagePrecision = Σ_i (recall_i − recall_{i+1}) · precision_i  (recall_B = 0), as sklearn's AP
 *
 * @example
 * const pr = new BinaryPRCurve({ bins: 100 });
 * for (const [logits, y] of batches) pr.updateFromLogits(logits, y); // logits (N, 2, H, W)
 * pr.bestF1(); // { threshold, f1, precision, recall, … }
 */
import { checkNumber, checkOptions, describeValue, formatShape, shapesEqual, Tensor } from '@tessera/core';

export interface BinaryPRCurveOptions {
  /** Number of probability bins (default 100; thresholds 0, 1/B, …, (B−1)/B). */
  bins?: number;
  /** Target value to skip; default none. */
  ignoreIndex?: number;
}

export interface PRPoint {
  threshold: number;
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

export class BinaryPRCurve {
  readonly bins: number;
  readonly ignoreIndex: number | undefined;
  /** Positives and negatives per probability bin. */
  readonly positives: Float64Array;
  readonly negatives: Float64Array;

  constructor(options: BinaryPRCurveOptions = {}) {
    checkOptions('BinaryPRCurve', options, ['bins', 'ignoreIndex']);
    checkNumber('BinaryPRCurve', 'ignoreIndex', options.ignoreIndex, { integer: true });
    this.bins = options.bins ?? 100;
    if (!Number.isInteger(this.bins) || this.bins < 1) throw new Error(`BinaryPRCurve: bins must be a positive integer, got ${this.bins}`);
    this.ignoreIndex = options.ignoreIndex;
    this.positives = new Float64Array(this.bins);
    this.negatives = new Float64Array(this.bins);
  }

  /** Adds probabilities p(positive) in [0, 1], shaped as the int32 target of 0/1 labels. */
  update(probabilities: Tensor, target: Tensor): this {
    if (!(probabilities instanceof Tensor) || !(target instanceof Tensor)) {
      throw new Error(`BinaryPRCurve.update: probabilities and target must be Tensors, got ${describeValue(probabilities)} and ${describeValue(target)}`);
    }
    if (!shapesEqual(probabilities.shape, target.shape)) {
      throw new Error(`BinaryPRCurve.update: probabilities have shape ${formatShape(probabilities.shape)}, target ${formatShape(target.shape)}; they must match`);
    }
    const p = probabilities.data;
    return this.accumulate(target, (i) => p[i]!, 'probability');
  }

  /** Adds two-class logits (N, 2, …): p = softmax(logits)[:, 1] = 1 / (1 + exp(l0 − l1)). */
  updateFromLogits(logits: Tensor, target: Tensor): this {
    const s = logits.shape;
    if (s.length !== target.ndim + 1 || s[0] !== target.shape[0] || s[1] !== 2 || !shapesEqual(s.slice(2), target.shape.slice(1))) {
      throw new Error(
        `BinaryPRCurve.updateFromLogits: logits of shape ${formatShape(s)} do not fit target ${formatShape(target.shape)}; ` +
          `expected ${formatShape([target.shape[0] ?? 0, 2, ...target.shape.slice(1)])}`,
      );
    }
    checkLabels(target);
    const x = logits.data;
    const t = target.data;
    const n = s[0]!;
    const inner = t.length / (n || 1);
    // One image at a time, so the logits' offsets need no division per pixel (evaluation runs this
    // over every validation pixel each epoch).
    for (let b = 0; b < n; b++) {
      const at = b * 2 * inner;
      for (let j = 0, i = b * inner; j < inner; j++, i++) {
        const ti = t[i]!;
        if (ti === this.ignoreIndex) continue;
        this.count(ti, 1 / (1 + Math.exp(x[at + j]! - x[at + inner + j]!)), i, 'probability');
      }
    }
    return this;
  }

  private accumulate(target: Tensor, prob: (i: number) => number, what: string): this {
    checkLabels(target);
    const t = target.data;
    for (let i = 0; i < t.length; i++) {
      const ti = t[i]!;
      if (ti !== this.ignoreIndex) this.count(ti, prob(i), i, what);
    }
    return this;
  }

  /** Counts one pixel of label `ti` (not ignored) with probability `p`, at flat index `i`. */
  private count(ti: number, p: number, i: number, what: string): void {
    if (ti !== 0 && ti !== 1) throw new Error(`BinaryPRCurve: target ${ti} at flat index ${i} is not 0 or 1`);
    if (!(p >= 0 && p <= 1)) throw new Error(`BinaryPRCurve: ${what} ${p} at flat index ${i} is outside [0, 1]`);
    const B = this.bins;
    const b = Math.min(B - 1, Math.floor(p * B));
    if (ti === 1) this.positives[b]! += 1;
    else this.negatives[b]! += 1;
  }

  reset(): this {
    this.positives.fill(0);
    this.negatives.fill(0);
    return this;
  }

  /** One point per threshold i/B, i = 0 … B−1 (ascending thresholds, descending recall). */
  curve(): PRPoint[] {
    const B = this.bins;
    const P = this.positives.reduce((a, b) => a + b, 0);
    const out: PRPoint[] = new Array<PRPoint>(B);
    let tp = 0;
    let fp = 0;
    for (let i = B - 1; i >= 0; i--) {
      tp += this.positives[i]!;
      fp += this.negatives[i]!;
      const fn = P - tp;
      const f1Den = 2 * tp + fp + fn;
      out[i] = {
        threshold: i / B,
        precision: tp + fp === 0 ? 1 : tp / (tp + fp),
        recall: P === 0 ? 0 : tp / P,
        f1: f1Den === 0 ? 0 : (2 * tp) / f1Den,
        tp,
        fp,
        fn,
      };
    }
    return out;
  }

  /** The threshold with the highest F1 (the lowest such threshold on ties). */
  bestF1(): PRPoint {
    return this.curve().reduce((best, p) => (p.f1 > best.f1 ? p : best));
  }

  /** Area under the step-wise PR curve, as sklearn's `average_precision_score` on the binned scores. */
  averagePrecision(): number {
    const c = this.curve();
    let ap = 0;
    for (let i = 0; i < c.length; i++) ap += (c[i]!.recall - (c[i + 1]?.recall ?? 0)) * c[i]!.precision;
    return ap;
  }
}

function checkLabels(target: Tensor): void {
  if (target.dtype !== 'int32') throw new Error(`BinaryPRCurve: target must be int32 labels 0/1, got ${target.dtype}`);
}
