/**
 * One row of the experiment's record: a variant, a seed and an epoch, with its training loss and
 * its validation scores. metrics.json holds every row (with its precision–recall curve);
 * metrics.csv the same rows without the curve.
 */
import type { VariantName } from './variants.js';

/** Precision and recall of the change class at each threshold of p(change). */
export interface PrCurve {
  thresholds: number[];
  precision: number[];
  recall: number[];
}

/** Scores of the change class from a dataset-level confusion matrix (threshold: argmax). */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
  iou: number;
  accuracy: number;
  kappa: number;
  /** The highest F1 over the PR curve's thresholds, and that threshold. */
  bestF1: number;
  bestThreshold: number;
  /** Average precision over the PR curve's thresholds (threshold-free ranking quality). */
  ap: number;
}

/** What every example's epoch row holds besides its scores (V: the example's variant names). */
export interface TrainingRow<V extends string> {
  variant: V;
  seed: number;
  /** 1-based epoch. */
  epoch: number;
  /** Optimiser steps so far for this variant and seed. */
  steps: number;
  /** Seconds spent in training steps so far for this variant and seed (evaluation excluded). */
  trainSeconds: number;
  /** Mean training loss over the epoch's batches (the variant's own loss). */
  trainLoss: number;
  /** Validation loss (the variant's own loss, mean over pairs). */
  valLoss: number;
  /** Unweighted validation cross-entropy, comparable across variants. */
  valCe: number;
}

export interface EpochRow extends Scores, TrainingRow<VariantName> {
  pr: PrCurve;
}

/** Test-split scores of one variant and seed, from its best checkpoint (by validation F1). */
export interface TestRow extends Scores {
  variant: VariantName;
  seed: number;
  /** The epoch whose weights were evaluated. */
  epoch: number;
  pr: PrCurve;
}

const CSV_COLUMNS = [
  'variant', 'seed', 'epoch', 'steps', 'trainSeconds', 'trainLoss', 'valLoss', 'valCe',
  'precision', 'recall', 'f1', 'iou', 'accuracy', 'kappa', 'bestF1', 'bestThreshold', 'ap',
] as const;

/** The rows as CSV (header line first, one line per row, no PR curve). */
export function toCsv(rows: readonly EpochRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    lines.push(CSV_COLUMNS.map((c) => {
      const v = r[c];
      return typeof v === 'number' ? formatNumber(v) : v;
    }).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : String(v);
}

/** Sorts rows by epoch, then seed, then the given variant order (the order they were trained in). */
export function sortRows<T extends { epoch: number; seed: number; variant: VariantName }>(
  rows: readonly T[],
  variants: readonly VariantName[],
): T[] {
  return [...rows].sort((a, b) => a.epoch - b.epoch || a.seed - b.seed || variants.indexOf(a.variant) - variants.indexOf(b.variant));
}
