/**
 * The record of a run and what the report says about it. Rows hold per-class lists in class order
 * (CLASSES). Summaries are over seeds: mean and sample standard deviation (n − 1; NaN for one seed).
 * Comparisons with the unweighted `ce` baseline are paired by seed (same initial weights, same batches).
 */
import { formatStat, stat, type Stat, type TrainingRow } from '@tessera/example-change-detection/kit';
import type { PrCurve } from './evaluate.js';
import type { VariantName } from './losses.js';
import { CLASSES } from './scenes.js';

export interface ClassScores {
  miou: number;
  iou: number[];
  precision: number[];
  recall: number[];
  accuracy: number;
}

/** One (epoch, variant, seed): training loss and validation scores. */
export interface EpochRow extends ClassScores, TrainingRow<VariantName> {}

/** The test split scored with a variant and seed's best checkpoint (by validation mIoU). */
export interface TestRow extends ClassScores {
  variant: VariantName;
  seed: number;
  epoch: number;
  confusion: number[][];
  ap: number[];
  pr: PrCurve[];
}

export interface VariantSummary {
  variant: VariantName;
  miou: Stat;
  iou: Stat[];
  precision: Stat[];
  recall: Stat[];
  ap: Stat[];
  epochs: number[];
}

/** Per variant, over seeds: the test scores of the best checkpoints. */
export function summarizeTest(rows: readonly TestRow[], variants: readonly VariantName[]): VariantSummary[] {
  return variants.map((variant) => {
    const mine = rows.filter((r) => r.variant === variant).sort((a, b) => a.seed - b.seed);
    const per = (key: 'iou' | 'precision' | 'recall' | 'ap'): Stat[] => CLASSES.map((_, c) => stat(mine.map((r) => r[key][c]!)));
    return { variant, miou: stat(mine.map((r) => r.miou)), iou: per('iou'), precision: per('precision'), recall: per('recall'), ap: per('ap'), epochs: mine.map((r) => r.epoch) };
  });
}

/** Paired per-seed differences of `value` between `variant` and `ce`; how many seeds `variant` won. */
export function pairedVsCe(rows: readonly TestRow[], variant: VariantName, value: (r: TestRow) => number): { diff: Stat; wins: number } {
  const base = new Map(rows.filter((r) => r.variant === 'ce').map((r) => [r.seed, value(r)]));
  const diffs = rows.filter((r) => r.variant === variant && base.has(r.seed)).map((r) => value(r) - base.get(r.seed)!);
  return { diff: stat(diffs), wins: diffs.filter((d) => d > 0).length };
}

const signed = (s: Stat): string => `${s.mean >= 0 ? '+' : '−'}${Math.abs(s.mean).toFixed(3)}${Number.isNaN(s.std) ? '' : ` ± ${s.std.toFixed(3)}`}`;

/**
 * What the numbers say, per class: which loss gave the best test IoU and by how much each weighted
 * variant moved it from `ce` (paired over seeds), and the recall/precision trade the weights made.
 */
export function conclusions(rows: readonly TestRow[], variants: readonly VariantName[]): string[] {
  if (rows.length === 0) return ['No test scores yet (the run is incomplete): resume it to get them.'];
  const s = summarizeTest(rows, variants);
  const lines: string[] = [];
  const best = [...s].sort((a, b) => b.miou.mean - a.miou.mean)[0]!;
  lines.push(`Best mean IoU on the test split: ${best.variant} (${formatStat(best.miou)}).`);
  if (!variants.includes('ce')) return lines;
  const ce = s.find((v) => v.variant === 'ce')!;
  CLASSES.forEach((name, c) => {
    const top = [...s].sort((a, b) => b.iou[c]!.mean - a.iou[c]!.mean)[0]!;
    const moves = variants.filter((v) => v !== 'ce').map((v) => {
      const d = pairedVsCe(rows, v, (r) => r.iou[c]!);
      return `${v} ${signed(d.diff)} (${d.wins}/${d.diff.n})`;
    });
    lines.push(`${name}: IoU ${formatStat(ce.iou[c]!)} with ce (recall ${ce.recall[c]!.mean.toFixed(2)}, precision ${ce.precision[c]!.mean.toFixed(2)}); ` +
      `best ${top.variant} ${formatStat(top.iou[c]!)} (recall ${top.recall[c]!.mean.toFixed(2)}, precision ${top.precision[c]!.mean.toFixed(2)}). ` +
      `Change from ce, paired by seed (seeds better): ${moves.join(', ')}.`);
  });
  return lines;
}
