/**
 * Per-variant summaries over seeds: what the terminal table, the report and its conclusions show.
 *
 * - final scores: at the last epoch that every variant and seed has finished;
 * - std: the sample standard deviation over seeds (n − 1 in the denominator; NaN for one seed);
 * - epochs / seconds to reach the target F1: the first epoch whose validation F1 is at least the
 *   target, averaged over the seeds that reached it (`reached` counts them); seconds are training
 *   time (evaluation excluded);
 * - F1 AUC: the area under the F1-per-epoch curve divided by the number of epochs, i.e. the mean
 *   validation F1 over epochs 1..E; 1 would be perfect from the first epoch.
 */
import type { EpochRow, Scores, TestRow } from './metrics.js';
import type { VariantName } from './variants.js';

export interface Stat {
  mean: number;
  std: number;
  n: number;
  values: number[];
}

export function stat(values: readonly number[]): Stat {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? Number.NaN : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, n, values: [...values] };
}

export type ScoreName = 'f1' | 'iou' | 'precision' | 'recall' | 'bestF1' | 'ap' | 'accuracy' | 'kappa';
export const SCORE_NAMES: readonly ScoreName[] = ['f1', 'iou', 'precision', 'recall', 'bestF1', 'ap', 'accuracy', 'kappa'];

export interface VariantSummary {
  variant: VariantName;
  /** The seeds with a final row, in order. */
  seeds: number[];
  final: Record<ScoreName, Stat>;
  reach: { epochs: Stat; seconds: Stat; reached: number };
  auc: Stat;
  /** Test-split scores of each seed's best checkpoint (empty when the test split was not evaluated). */
  test: Record<ScoreName, Stat> | null;
  /** The seeds and epochs of the evaluated best checkpoints, in the order of `test`'s values. */
  testSeeds: number[];
  testEpochs: number[];
}

export interface ExperimentSummary {
  /** The last epoch every (variant, seed) has finished; 0 when none has. */
  finalEpoch: number;
  targetF1: number;
  variants: VariantSummary[];
}

/** The last epoch that every (variant, seed) pair has finished. */
export function commonEpoch(rows: readonly EpochRow[], variants: readonly VariantName[], seeds: readonly number[]): number {
  let e = Number.POSITIVE_INFINITY;
  for (const v of variants) {
    for (const s of seeds) {
      const last = rows.filter((r) => r.variant === v && r.seed === s).reduce((m, r) => Math.max(m, r.epoch), 0);
      e = Math.min(e, last);
    }
  }
  return Number.isFinite(e) ? e : 0;
}

function scoreStats(rows: readonly Scores[]): Record<ScoreName, Stat> {
  const out = {} as Record<ScoreName, Stat>;
  for (const k of SCORE_NAMES) out[k] = stat(rows.map((r) => r[k]));
  return out;
}

/** Summarises the rows of every variant over `seeds`, up to the common epoch. */
export function summarize(
  rows: readonly EpochRow[],
  testRows: readonly TestRow[],
  variants: readonly VariantName[],
  seeds: readonly number[],
  targetF1: number,
): ExperimentSummary {
  const finalEpoch = commonEpoch(rows, variants, seeds);
  const out: VariantSummary[] = [];
  for (const variant of variants) {
    const finals: EpochRow[] = [];
    const reachEpochs: number[] = [];
    const reachSeconds: number[] = [];
    const aucs: number[] = [];
    for (const seed of seeds) {
      const curve = rows
        .filter((r) => r.variant === variant && r.seed === seed && r.epoch <= finalEpoch)
        .sort((a, b) => a.epoch - b.epoch);
      const last = curve[curve.length - 1];
      if (!last) continue;
      finals.push(last);
      const first = curve.find((r) => r.f1 >= targetF1);
      if (first) {
        reachEpochs.push(first.epoch);
        reachSeconds.push(first.trainSeconds);
      }
      aucs.push(curve.reduce((a, r) => a + r.f1, 0) / curve.length);
    }
    const tests = testRows.filter((r) => r.variant === variant).sort((a, b) => a.seed - b.seed);
    out.push({
      variant,
      seeds: finals.map((r) => r.seed),
      final: scoreStats(finals),
      reach: { epochs: stat(reachEpochs), seconds: stat(reachSeconds), reached: reachEpochs.length },
      auc: stat(aucs),
      test: tests.length > 0 ? scoreStats(tests) : null,
      testSeeds: tests.map((r) => r.seed),
      testEpochs: tests.map((r) => r.epoch),
    });
  }
  return { finalEpoch, targetF1, variants: out };
}

/** "0.612 ± 0.031" (std omitted for a single value, NaN shown as "–"). */
export function formatStat(s: Stat, digits = 3): string {
  if (s.n === 0 || Number.isNaN(s.mean)) return '–';
  const m = s.mean.toFixed(digits);
  return Number.isNaN(s.std) ? m : `${m} ± ${s.std.toFixed(digits)}`;
}

/**
 * Paired per-seed differences of a final score between `variant` and `baseline` (same seeds, same
 * initial weights, same batches): the mean difference, its std over seeds, and how many seeds the
 * variant won.
 */
export function pairedDiff(a: VariantSummary, b: VariantSummary, score: ScoreName, from: 'final' | 'test' = 'final'): {
  diff: Stat;
  wins: number;
} {
  const sa = from === 'final' ? a.final[score] : a.test?.[score];
  const sb = from === 'final' ? b.final[score] : b.test?.[score];
  const seedsA = from === 'final' ? a.seeds : a.testSeeds;
  const seedsB = from === 'final' ? b.seeds : b.testSeeds;
  const diffs: number[] = [];
  let wins = 0;
  if (sa && sb) {
    seedsA.forEach((seed, i) => {
      const j = seedsB.indexOf(seed);
      const x = sa.values[i];
      const y = j >= 0 ? sb.values[j] : undefined;
      if (x === undefined || y === undefined) return;
      diffs.push(x - y);
      if (x > y) wins++;
    });
  }
  return { diff: stat(diffs), wins };
}
