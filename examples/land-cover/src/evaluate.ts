/**
 * Evaluation over a whole split, in eval mode without a graph: the variant's own loss and the
 * unweighted cross-entropy (means over images), one dataset-level confusion matrix (argmax; IGNORE
 * pixels skipped) with per-class IoU, precision and recall and the macro mIoU, and optionally one
 * precision–recall curve per class (one class against the rest, over thresholds of p(class)).
 */
import { softmax, Tensor } from '@tessera/core';
import { inEvalMode } from '@tessera/example-change-detection/kit';
import { DataLoader } from '@tessera/data';
import { BinaryPRCurve, ConfusionMatrix, type Module } from '@tessera/nn';
import { plainCe, type LossFn } from './losses.js';
import { IGNORE, NUM_CLASSES, type Split } from './scenes.js';

/** A segmenter: images (N, 3, H, W) in, logits (N, 5, H, W) out. */
export type Segmenter = Module & { forward(x: Tensor): Tensor };

export interface PrCurve {
  thresholds: number[];
  precision: number[];
  recall: number[];
}

export interface Scores {
  iou: number[];
  /** Mean IoU over the five classes (macro). */
  miou: number;
  precision: number[];
  recall: number[];
  /** Pixel accuracy over the labelled pixels. */
  accuracy: number;
  /** Counts, rows = true class, columns = predicted class. */
  confusion: number[][];
}

export interface Evaluation extends Scores {
  loss: number;
  ce: number;
  /** Per class, with `pr`: the curve and its average precision. */
  pr?: PrCurve[];
  ap?: number[];
}

export interface EvaluateOptions {
  batchSize: number;
  /** Bins of the per-class precision–recall curves; none when omitted. */
  prBins?: number;
  onBatch?: () => void;
}

const round = (x: number): number => Number(x.toPrecision(6));

/** One class against the rest: p(class c) and 1/0 targets, IGNORE kept. */
function oneVsRest(probs: Float32Array, target: Int32Array, c: number, hw: number): { p: Tensor; t: Tensor } {
  const n = target.length / hw;
  const p = new Float32Array(target.length);
  const t = new Int32Array(target.length);
  for (let img = 0; img < n; img++) {
    const base = (img * NUM_CLASSES + c) * hw;
    for (let k = 0; k < hw; k++) {
      const i = img * hw + k;
      p[i] = Math.min(1, Math.max(0, probs[base + k]!));
      t[i] = target[i] === IGNORE ? IGNORE : target[i] === c ? 1 : 0;
    }
  }
  return { p: new Tensor(p, [target.length]), t: new Tensor(t, [target.length]) };
}

export function evaluate(model: Segmenter, split: Split, loss: LossFn, o: EvaluateOptions): Evaluation {
  const cm = new ConfusionMatrix(NUM_CLASSES, { ignoreIndex: IGNORE });
  const curves = o.prBins === undefined ? null : Array.from({ length: NUM_CLASSES }, () => new BinaryPRCurve({ bins: o.prBins!, ignoreIndex: IGNORE }));
  const hw = split.size * split.size;
  let lossSum = 0;
  let ceSum = 0;
  inEvalMode(model, () => {
    for (const b of new DataLoader(split.images, { batchSize: o.batchSize })) {
      const n = b.image.shape[0]!;
      const logits = model.forward(b.image);
      lossSum += loss(logits, b.mask).item() * n;
      ceSum += plainCe(logits, b.mask).item() * n;
      cm.update(logits, b.mask);
      if (curves) {
        const probs = softmax(logits, 1).data as Float32Array;
        curves.forEach((curve, c) => {
          const { p, t } = oneVsRest(probs, b.mask.data as Int32Array, c, hw);
          curve.update(p, t);
        });
      }
      o.onBatch?.();
    }
  });
  const n = split.images.length;
  const iou = cm.iou();
  const out: Evaluation = {
    loss: lossSum / n, ce: ceSum / n,
    iou, miou: iou.reduce((a, b) => a + b, 0) / NUM_CLASSES, precision: cm.precision(), recall: cm.recall(),
    accuracy: cm.accuracy(), confusion: cm.matrix(),
  };
  if (curves) {
    out.pr = curves.map((curve) => {
      const pts = curve.curve();
      return { thresholds: pts.map((q) => q.threshold), precision: pts.map((q) => round(q.precision)), recall: pts.map((q) => round(q.recall)) };
    });
    out.ap = curves.map((curve) => curve.averagePrecision());
  }
  return out;
}

/** Argmax class per pixel of each image, (H·W) each. */
export function predictLabels(model: Segmenter, images: Tensor): Int32Array[] {
  const logits = inEvalMode(model, () => model.forward(images));
  const [n, c, h, w] = logits.shape as [number, number, number, number];
  const hw = h * w;
  const x = logits.data;
  return Array.from({ length: n }, (_, i) => {
    const out = new Int32Array(hw);
    for (let k = 0; k < hw; k++) {
      let best = 0;
      for (let j = 1; j < c; j++) if (x[(i * c + j) * hw + k]! > x[(i * c + best) * hw + k]!) best = j;
      out[k] = best;
    }
    return out;
  });
}
