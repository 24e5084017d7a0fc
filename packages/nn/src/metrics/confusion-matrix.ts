/**
 * A confusion matrix over a whole dataset, accumulated batch by batch, and the metrics read from it.
 * `C[t][p]` counts the pixels (or samples) of true class t predicted as p (rows: truth, as sklearn).
 * With TP_c = C[c][c], FP_c = Σ_t C[t][c] − TP_c, FN_c = Σ_p C[c][p] − TP_c and n = Σ C:
 *
 *   precision_c = TP / (TP + FP)          zero denominator (class never predicted) → zeroDivision
 *   recall_c    = TP / (TP + FN)          zero denominator (class absent from the targets) → zeroDivision
 *   f1_c        = 2TP / (2TP + FP + FN)   zero denominator (class neither present nor predicted) → zeroDivision
 *   iou_c       = TP / (TP + FP + FN)     zero denominator (as f1) → zeroDivision
 *   accuracy    = Σ_c TP_c / n            n = 0 → NaN
 *   kappa       = (p_o − p_e) / (1 − p_e), p_o = accuracy, p_e = Σ_c rowsum_c · colsum_c / n²
 *                                        p_e = 1 (one class everywhere) or n = 0 → NaN (as sklearn)
 *
 * `zeroDivision` defaults to 0, as sklearn's `zero_division` once it has warned; pass NaN to leave
 * such classes out of a NaN-aware mean. The f1 form 2TP/(2TP+FP+FN) equals the harmonic mean of
 * precision and recall whenever both are defined, and is 0 (not zeroDivision) when TP = 0 but the class
 * occurs, as sklearn ≥ 1.3. Pixels whose target is `ignoreIndex` are skipped.
 *
 * @example
 * const cm = new ConfusionMatrix(2, { ignoreIndex: 255 });
 * for (const [x1, x2, y] of batches) cm.update(model.forward(x1, x2), y); // logits (N, 2, H, W), y int32 (N, H, W)
 * cm.iou(); cm.kappa();
 */
import { checkNumber, checkOptions, describeValue, formatShape, shapesEqual, Tensor } from '@tessera/core';

export interface ConfusionMatrixOptions {
  /** Target value to skip (e.g. 255 or −100); default none. */
  ignoreIndex?: number;
  /** Value of a per-class metric whose denominator is 0 (default 0). */
  zeroDivision?: number;
}

export class ConfusionMatrix {
  /** Row-major numClasses × numClasses counts, rows = true class, columns = predicted class. */
  readonly counts: Float64Array;
  readonly ignoreIndex: number | undefined;
  readonly zeroDivision: number;

  constructor(readonly numClasses: number, options: ConfusionMatrixOptions = {}) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`ConfusionMatrix: numClasses must be a positive integer, got ${describeValue(numClasses)}`);
    checkOptions('ConfusionMatrix', options, ['ignoreIndex', 'zeroDivision']);
    checkNumber('ConfusionMatrix', 'ignoreIndex', options.ignoreIndex, { integer: true });
    if (options.zeroDivision !== undefined && typeof options.zeroDivision !== 'number') {
      throw new Error(`ConfusionMatrix: zeroDivision must be a number (NaN allowed), got ${describeValue(options.zeroDivision)}`);
    }
    this.counts = new Float64Array(numClasses * numClasses);
    this.ignoreIndex = options.ignoreIndex;
    this.zeroDivision = options.zeroDivision ?? 0;
  }

  /**
   * Adds a batch. `prediction` is either logits / scores of shape (N, C, …) with the class on dim 1
   * (the arg-max is taken, first index on ties) or int32 labels of the target's shape; `target` is
   * int32 class ids (N, …).
   */
  update(prediction: Tensor, target: Tensor): this {
    const k = this.numClasses;
    if (!(prediction instanceof Tensor)) throw new Error(`ConfusionMatrix.update: prediction must be a Tensor, got ${describeValue(prediction)}`);
    if (!(target instanceof Tensor)) throw new Error(`ConfusionMatrix.update: target must be a Tensor, got ${describeValue(target)}`);
    if (target.dtype !== 'int32') throw new Error(`ConfusionMatrix.update: target must be int32 class ids, got ${target.dtype}`);
    const t = target.data;
    const check = (cls: number, i: number, what: string, value: number): void => {
      if (!(cls >= 0 && cls < k)) throw new Error(`ConfusionMatrix.update: ${what} ${value} at flat index ${i} is outside [0, ${k})`);
    };
    if (prediction.dtype === 'int32') {
      if (!shapesEqual(prediction.shape, target.shape)) {
        throw new Error(`ConfusionMatrix.update: label prediction has shape ${formatShape(prediction.shape)}, target ${formatShape(target.shape)}; they must match`);
      }
      const p = prediction.data;
      for (let i = 0; i < t.length; i++) {
        const ti = t[i]!;
        if (ti === this.ignoreIndex) continue;
        check(ti, i, 'target', ti);
        check(p[i]!, i, 'predicted label', p[i]!);
        this.counts[ti * k + p[i]!]! += 1;
      }
      return this;
    }
    const s = prediction.shape;
    if (s.length !== target.ndim + 1 || s[0] !== target.shape[0] || s[1] !== k || !shapesEqual(s.slice(2), target.shape.slice(1))) {
      throw new Error(
        `ConfusionMatrix.update: scores of shape ${formatShape(s)} do not fit target ${formatShape(target.shape)} ` +
          `with ${k} classes; expected ${formatShape([target.shape[0] ?? 0, k, ...target.shape.slice(1)])}`,
      );
    }
    const x = prediction.data;
    const n = s[0]!;
    const inner = t.length / (n || 1);
    // One image at a time, so the scores' offsets need no division per pixel.
    for (let b = 0; b < n; b++) {
      for (let j = 0, i = b * inner, base = b * k * inner; j < inner; j++, i++, base++) {
        const ti = t[i]!;
        if (ti === this.ignoreIndex) continue;
        if (!(ti >= 0 && ti < k)) check(ti, i, 'target', ti);
        let best = 0;
        let bestValue = x[base]!;
        for (let c = 1; c < k; c++) {
          const v = x[base + c * inner]!;
          if (v > bestValue) {
            best = c;
            bestValue = v;
          }
        }
        this.counts[ti * k + best]! += 1;
      }
    }
    return this;
  }

  /** Adds another matrix's counts (e.g. from another worker). */
  merge(other: ConfusionMatrix): this {
    if (other.numClasses !== this.numClasses) throw new Error(`ConfusionMatrix.merge: ${other.numClasses} classes vs ${this.numClasses}`);
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    return this;
  }

  reset(): this {
    this.counts.fill(0);
    return this;
  }

  /** The counts as nested arrays, rows = true class. */
  matrix(): number[][] {
    const k = this.numClasses;
    return Array.from({ length: k }, (_, r) => Array.from(this.counts.subarray(r * k, (r + 1) * k)));
  }

  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  /** [TP, FP, FN] of class c. */
  private tally(c: number): [number, number, number] {
    const k = this.numClasses;
    let row = 0;
    let col = 0;
    for (let j = 0; j < k; j++) {
      row += this.counts[c * k + j]!;
      col += this.counts[j * k + c]!;
    }
    const tp = this.counts[c * k + c]!;
    return [tp, col - tp, row - tp];
  }

  private perClass(f: (tp: number, fp: number, fn: number) => [number, number]): number[] {
    return Array.from({ length: this.numClasses }, (_, c) => {
      const [num, den] = f(...this.tally(c));
      return den === 0 ? this.zeroDivision : num / den;
    });
  }

  precision(): number[] {
    return this.perClass((tp, fp) => [tp, tp + fp]);
  }

  recall(): number[] {
    return this.perClass((tp, _fp, fn) => [tp, tp + fn]);
  }

  f1(): number[] {
    return this.perClass((tp, fp, fn) => [2 * tp, 2 * tp + fp + fn]);
  }

  iou(): number[] {
    return this.perClass((tp, fp, fn) => [tp, tp + fp + fn]);
  }

  /** Mean of the per-class IoU (zeroDivision classes included as their value; NaN ones skipped). */
  meanIoU(): number {
    return nanMean(this.iou());
  }

  /** Mean of the per-class F1 (as meanIoU). */
  macroF1(): number {
    return nanMean(this.f1());
  }

  accuracy(): number {
    const n = this.total;
    let diag = 0;
    for (let c = 0; c < this.numClasses; c++) diag += this.counts[c * this.numClasses + c]!;
    return n === 0 ? NaN : diag / n;
  }

  /** Cohen's kappa: agreement between prediction and truth beyond chance. */
  kappa(): number {
    const n = this.total;
    if (n === 0) return NaN;
    let pe = 0;
    for (let c = 0; c < this.numClasses; c++) {
      const [tp, fp, fn] = this.tally(c);
      pe += ((tp + fn) / n) * ((tp + fp) / n);
    }
    return pe === 1 ? NaN : (this.accuracy() - pe) / (1 - pe);
  }
}

/** Mean over the non-NaN values (NaN when there are none). */
export function nanMean(values: readonly number[]): number {
  if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) throw new Error(`nanMean: values must be a list of numbers, got ${describeValue(values)}`);
  const kept = values.filter((v) => !Number.isNaN(v));
  return kept.length === 0 ? NaN : kept.reduce((a, b) => a + b, 0) / kept.length;
}
