/**
 * The report's conclusions, generated from the numbers, whichever way they fall. Each compared
 * variant is set against the baseline (`ce` when present, else the first variant):
 * - the final validation F1 (argmax), with the paired per-seed difference and the verdict whether
 *   the gap exceeds the seed-to-seed spread (the larger of the two standard deviations);
 * - the precision / recall trade-off behind it;
 * - the F1 at each model's best threshold, to separate "learned the change" (ranking) from
 *   "calibrated the threshold";
 * - speed (epochs to the target F1, F1 AUC) and the test split of the best checkpoints.
 */
import { pairedDiff, type ExperimentSummary, type Stat, type VariantSummary } from '../train/summary.js';

const f = (x: number): string => x.toFixed(3);
const signed = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}`;
const pm = (s: Stat): string => (Number.isNaN(s.std) ? f(s.mean) : `${f(s.mean)} ± ${f(s.std)}`);

/** Whether the gap between two means exceeds the larger seed std ('unknown' with a single seed). */
export function beyondNoise(a: Stat, b: Stat): 'yes' | 'no' | 'unknown' {
  const spread = Math.max(a.std, b.std);
  if (Number.isNaN(spread)) return 'unknown';
  return Math.abs(a.mean - b.mean) > spread ? 'yes' : 'no';
}

const seedsWord = (n: number): string => `${n} seed${n === 1 ? '' : 's'}`;

function spreadVerdict(verdict: 'yes' | 'no' | 'unknown'): string {
  if (verdict === 'yes') return '. The gap is larger than the spread over seeds, so at this setting it is more than seed noise.';
  if (verdict === 'no') return '. The gap is within the spread over seeds, so these runs do not separate the two.';
  return '. With a single seed the runs cannot tell an effect from seed noise.';
}

/** The final validation F1 against the baseline, with the paired view. */
function f1Sentence(v: VariantSummary, base: VariantSummary): string {
  const a = v.final.f1;
  const b = base.final.f1;
  const { diff, wins } = pairedDiff(v, base, 'f1');
  const rel = a.mean > b.mean ? 'a higher validation F1 than' : a.mean < b.mean ? 'a lower validation F1 than' : 'the same validation F1 as';
  let s = `${v.variant} ends with ${rel} ${base.variant}: ${pm(a)} against ${pm(b)}`;
  if (diff.n > 0) {
    const sd = Number.isNaN(diff.std) ? '' : ` ± ${f(diff.std)}`;
    s += ` (paired difference ${signed(diff.mean)}${sd}, higher in ${wins} of ${seedsWord(diff.n)})`;
  }
  const verdict = beyondNoise(a, b);
  s += spreadVerdict(verdict);
  if (verdict === 'no' && diff.n >= 2 && (wins === 0 || wins === diff.n) && a.mean !== b.mean) {
    s += ` Paired by seed (same initial weights, same batches), though, the sign is the same in all ${diff.n} seeds,` +
      ' a sharper comparison than the spread of the means.';
  }
  return s;
}

function tradeSentence(v: VariantSummary, base: VariantSummary): string {
  const dp = v.final.precision.mean - base.final.precision.mean;
  const dr = v.final.recall.mean - base.final.recall.mean;
  const pr = `precision ${f(v.final.precision.mean)} vs ${f(base.final.precision.mean)}, ` +
    `recall ${f(v.final.recall.mean)} vs ${f(base.final.recall.mean)}`;
  // Differences within ±0.02 count as "about the same".
  const up = (d: number): boolean => d > 0.02;
  const down = (d: number): boolean => d < -0.02;
  if (up(dr) && down(dp)) return `${v.variant} trades precision for recall (${pr}): it marks more pixels as change.`;
  if (down(dr) && up(dp)) return `${v.variant} trades recall for precision (${pr}): it marks fewer pixels as change.`;
  if (!up(dr) && !down(dr) && !up(dp) && !down(dp)) return `${v.variant} has about the same precision and recall, within 0.02 (${pr}).`;
  if (!down(dr) && !down(dp)) return `${v.variant} is higher on precision or recall and not lower on either (${pr}).`;
  return `${v.variant} is lower on precision or recall and not higher on either (${pr}).`;
}

/** Learned or calibrated: does the argmax gap survive at each model's best threshold? */
function thresholdSentence(v: VariantSummary, base: VariantSummary): string {
  const gapArgmax = v.final.f1.mean - base.final.f1.mean;
  const gapBest = v.final.bestF1.mean - base.final.bestF1.mean;
  const best = pairedDiff(v, base, 'bestF1');
  const spread = beyondNoise(v.final.bestF1, base.final.bestF1) === 'yes' ? 'beyond' : 'within';
  const seedsNote = best.diff.n > 1 ? `, ${v.variant} higher in ${best.wins} of ${best.diff.n} seeds, ${spread} the seed spread` : '';
  const c = `At each model's best threshold of p(change) the F1 gap is ${signed(gapBest)} ` +
    `(${f(v.final.bestF1.mean)} vs ${f(base.final.bestF1.mean)}${seedsNote}), against ${signed(gapArgmax)} at argmax`;
  if (Math.abs(gapBest) < 0.005 && Math.abs(gapArgmax) < 0.005) return `${c}: no difference at either threshold.`;
  if (Math.abs(gapBest) < Math.abs(gapArgmax) / 2) {
    return `${c}: most of the argmax difference is where the threshold sits (calibration), not how well the pixels are ranked.`;
  }
  if (Math.sign(gapBest) === Math.sign(gapArgmax)) {
    return `${c}: the difference holds at the best threshold, so the models rank pixels differently, not only calibrate differently.`;
  }
  if (gapBest > 0) return `${c}: the order flips, so ${v.variant} ranks pixels better and loses at argmax through where its threshold sits (calibration).`;
  return `${c}: the order flips, so ${base.variant} ranks pixels better and ${v.variant} wins at argmax only through where its threshold sits (calibration).`;
}

function compare(v: VariantSummary, base: VariantSummary, targetF1: number): string[] {
  const out = [f1Sentence(v, base), tradeSentence(v, base), thresholdSentence(v, base)];
  const reach = (x: VariantSummary): string => x.reach.reached === 0
    ? `never reached it (0/${x.seeds.length} seeds)`
    : `${x.reach.epochs.mean.toFixed(1)} epochs on average (${x.reach.reached}/${x.seeds.length} seeds)`;
  out.push(`To reach F1 ≥ ${targetF1}: ${v.variant} ${reach(v)}, ${base.variant} ${reach(base)}. ` +
    `Mean F1 over epochs (F1 AUC): ${pm(v.auc)} vs ${pm(base.auc)}.`);
  if (v.test && base.test) {
    const t = pairedDiff(v, base, 'f1', 'test');
    const verdict = beyondNoise(v.test.f1, base.test.f1);
    const tail = verdict === 'yes' ? 'beyond the seed spread' : verdict === 'no' ? 'within the seed spread' : 'one seed only';
    out.push(`On the test split, the best checkpoints score F1 ${pm(v.test.f1)} (${v.variant}) against ` +
      `${pm(base.test.f1)} (${base.variant}), paired difference ${signed(t.diff.mean)}, ${tail}.`);
  }
  return out;
}

/** Sentences that state what the numbers show, for the report and the terminal. */
export function conclusions(summary: ExperimentSummary): string[] {
  const { variants, finalEpoch, targetF1 } = summary;
  if (finalEpoch === 0 || variants.length === 0) return ['No epoch has finished for every variant and seed yet, so there is nothing to compare.'];
  const base = variants.find((v) => v.variant === 'ce') ?? variants[0]!;
  const out: string[] = [];
  for (const v of variants) if (v !== base) out.push(...compare(v, base, targetF1));
  const ranked = [...variants].sort((x, y) => y.final.f1.mean - x.final.f1.mean);
  const best = ranked[0]!;
  const second = ranked[1];
  if (!second) return [...out, `${best.variant} reaches a validation F1 of ${pm(best.final.f1)} at epoch ${finalEpoch}.`];
  const verdict = beyondNoise(best.final.f1, second.final.f1);
  let note = 'on a single seed';
  if (best.final.f1.mean === second.final.f1.mean) note = `tied with ${second.variant}`;
  else if (verdict === 'yes') note = 'ahead of the next one by more than the seed spread';
  else if (verdict === 'no') note = `but within the seed spread of ${second.variant}`;
  out.push(`Highest mean validation F1 at epoch ${finalEpoch}: ${best.variant} (${pm(best.final.f1)}), ${note}.`);
  const testRanked = variants.filter((v) => v.test).sort((x, y) => y.test!.f1.mean - x.test!.f1.mean);
  if (testRanked.length > 1) out.push(`Highest mean test F1 (best checkpoints): ${testRanked[0]!.variant} (${pm(testRanked[0]!.test!.f1)}).`);
  return out;
}
