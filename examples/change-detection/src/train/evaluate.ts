/**
 * Evaluation over a whole split: the variant's loss and the unweighted cross-entropy (means over
 * pairs), and the change class's scores from one dataset-level confusion matrix (threshold argmax,
 * i.e. p(change) > 0.5) and one precision–recall curve over binned thresholds of p(change).
 */
import { noGrad, type Tensor } from '@tessera/core';
import { BinaryPRCurve, ConfusionMatrix, type Module } from '@tessera/nn';
import { batchTensors, evalLoader } from './batches.js';
import { plainCe, type LossFn } from './losses.js';
import type { PrCurve, Scores } from './metrics.js';
import type { Segmenter } from './model.js';
import type { Split } from './split.js';

export interface Evaluation {
  loss: number;
  ce: number;
  scores: Scores;
  pr: PrCurve;
}

export interface EvaluateOptions {
  batchSize: number;
  /** Number of probability bins of the PR curve. */
  bins: number;
  /** Called after each batch (progress, abort checks). */
  onBatch?: () => void;
}

/** Scores of the change class (class 1) from a confusion matrix and a PR curve. */
export function scoresOf(cm: ConfusionMatrix, pr: BinaryPRCurve): { scores: Scores; pr: PrCurve } {
  const best = pr.bestF1();
  const curve = pr.curve();
  return {
    scores: {
      precision: cm.precision()[1]!,
      recall: cm.recall()[1]!,
      f1: cm.f1()[1]!,
      iou: cm.iou()[1]!,
      accuracy: cm.accuracy(),
      kappa: cm.kappa(),
      bestF1: best.f1,
      bestThreshold: best.threshold,
      ap: pr.averagePrecision(),
    },
    pr: {
      thresholds: curve.map((p) => p.threshold),
      precision: curve.map((p) => round(p.precision)),
      recall: curve.map((p) => round(p.recall)),
    },
  };
}

const round = (x: number): number => Number(x.toPrecision(6));

/** Runs `fn` with `model` in eval mode and grad mode off, then puts the model's mode back. */
export function inEvalMode<T>(model: Module, fn: () => T): T {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(fn);
  } finally {
    model.train(wasTraining);
  }
}

/** Evaluates `model` on every pair of `ds` in eval mode, without recording a graph. */
export function evaluate(model: Segmenter, ds: Split, loss: LossFn, options: EvaluateOptions): Evaluation {
  const cm = new ConfusionMatrix(2);
  const pr = new BinaryPRCurve({ bins: options.bins });
  let lossSum = 0;
  let ceSum = 0;
  inEvalMode(model, () => {
    for (const batch of evalLoader(ds, options.batchSize)) {
      const b = batchTensors(batch);
      const logits = model.forward(b.t1, b.t2);
      lossSum += loss(logits, b.target).item() * b.n;
      ceSum += plainCe(logits, b.target).item() * b.n;
      cm.update(logits, b.target);
      pr.updateFromLogits(logits, b.target);
      options.onBatch?.();
    }
  });
  return { loss: lossSum / ds.pairs.length, ce: ceSum / ds.pairs.length, ...scoresOf(cm, pr) };
}

/** The predicted change masks (argmax) of the pairs at `indices`, each (H·W) 0/1. */
export function predictMasks(model: Segmenter, logitsOf: (m: Segmenter) => Tensor): Int32Array[] {
  const logits = noGrad(() => logitsOf(model));
  const [n, , h, w] = logits.shape as [number, number, number, number];
  const hw = h * w;
  const x = logits.data;
  return Array.from({ length: n }, (_, i) => {
    const out = new Int32Array(hw);
    for (let k = 0; k < hw; k++) out[k] = x[i * 2 * hw + hw + k]! > x[i * 2 * hw + k]! ? 1 : 0;
    return out;
  });
}
