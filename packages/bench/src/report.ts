/**
 * The tables `pnpm bench` prints: per workload, every round's median per configuration with the
 * load average when the round started; then Tessera ÷ PyTorch per workload and thread count, the
 * median of the per-round ratios with their range, and the first step's values side by side.
 */
import { median, type BenchResult, type ConfigSpec } from './harness.js';
import { THREAD_COUNTS } from './configs.js';
import type { WorkloadName } from './workloads.js';

/** One run of the interleaved schedule. */
export interface RoundResult {
  round: number;
  /** 1-minute load average when the run started. */
  load: number;
  result: BenchResult;
}

export const fmtMs = (ms: number | null | undefined): string =>
  ms === null || ms === undefined ? '—' : ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
const fmtRatio = (x: number): string => `${x.toFixed(2)}×`;

function cell(r: BenchResult | undefined): string {
  if (!r) return '—';
  if (r.status === 'skipped') return 'skipped';
  if (r.status === 'error') return 'error';
  return fmtMs(r.medianMs);
}

/** Rounds × configurations: median ms per step of each run, and the load when the round began. */
export function roundTable(workload: WorkloadName, runs: readonly RoundResult[], cfgs: readonly ConfigSpec[]): string {
  const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b);
  const rows = [`| ${workload}: median ms | load | ${cfgs.map((c) => c.id).join(' | ')} |`, `|---|---:|${cfgs.map(() => '---:').join('|')}|`];
  for (const round of rounds) {
    const inRound = runs.filter((r) => r.round === round && r.result.workload === workload);
    const load = inRound[0]?.load ?? NaN;
    rows.push(`| round ${round} | ${load.toFixed(2)} | ${cfgs.map((c) => cell(inRound.find((r) => r.result.config.id === c.id)?.result)).join(' | ')} |`);
  }
  const notes = runs.filter((r) => r.result.workload === workload && r.result.status !== 'ok' && r.result.note)
    .map((r) => `  ${r.result.config.id} (round ${r.round}): ${r.result.note}`);
  return [...rows, ...[...new Set(notes)]].join('\n');
}

export interface RatioRow {
  workload: WorkloadName;
  threads: number;
  tesseraMs: number;
  torchMs: number;
  /** Per-round Tessera ÷ PyTorch. */
  ratios: number[];
  tesseraFirst: number | null;
  torchFirst: number | null;
}

const ok = (r: RoundResult | undefined): r is RoundResult => r !== undefined && r.result.status === 'ok' && r.result.medianMs !== null;

/**
 * Tessera wasm ÷ PyTorch per workload and thread count, from the rounds where both ran (or, with
 * `against` = 'base-wasm', Tessera wasm ÷ the --baseline checkout's).
 */
export function ratioRows(workloads: readonly WorkloadName[], runs: readonly RoundResult[], against = 'torch'): RatioRow[] {
  const rows: RatioRow[] = [];
  const counts = [...new Set([...THREAD_COUNTS, ...runs.map((r) => r.result.config.threads ?? 0)])].filter((n) => n > 0).sort((a, b) => a - b);
  for (const workload of workloads) {
    for (const threads of counts) {
      const pick = (id: string): RoundResult[] => runs.filter((r) => r.result.workload === workload && r.result.config.id === id);
      const ours = pick(`tessera-wasm-t${threads}`);
      const theirs = pick(`${against}-t${threads}`);
      const ratios: number[] = [];
      for (const o of ours) {
        const t = theirs.find((x) => x.round === o.round);
        if (ok(o) && ok(t)) ratios.push((o.result.medianMs as number) / (t.result.medianMs as number));
      }
      if (ratios.length === 0) continue;
      const med = (xs: RoundResult[]): number => median(xs.filter(ok).map((x) => x.result.medianMs as number));
      rows.push({
        workload, threads, tesseraMs: med(ours), torchMs: med(theirs), ratios,
        tesseraFirst: ours.find(ok)?.result.firstLoss ?? null, torchFirst: theirs.find(ok)?.result.firstLoss ?? null,
      });
    }
  }
  return rows;
}

/** The ratio table: median of the per-round ratios, [min–max] over the rounds; `them` names the denominator. */
export function ratioTable(rows: readonly RatioRow[], them = 'PyTorch'): string {
  const out = [
    `| workload | threads | Tessera ms | ${them} ms | Tessera ÷ ${them}, median [min–max] of rounds | first step: Tessera / ${them} |`,
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const spread = `${fmtRatio(median(r.ratios))} [${fmtRatio(Math.min(...r.ratios))}–${fmtRatio(Math.max(...r.ratios))}]`;
    const first = r.tesseraFirst === null || r.torchFirst === null ? '—' : `${r.tesseraFirst.toPrecision(6)} / ${r.torchFirst.toPrecision(6)}`;
    out.push(`| ${r.workload} | ${r.threads} | ${fmtMs(r.tesseraMs)} | ${fmtMs(r.torchMs)} | ${spread} | ${first} |`);
  }
  return out.join('\n');
}

/** First-step values that differ by more than float rounding explains: the two did not compute the same thing. */
export function firstStepMismatches(rows: readonly RatioRow[]): string[] {
  return rows.filter((r) => r.tesseraFirst !== null && r.torchFirst !== null
    && !(Math.abs(r.tesseraFirst - r.torchFirst) <= 1e-3 * Math.max(1e-6, Math.abs(r.torchFirst))))
    .map((r) => `${r.workload} (${r.threads} thread${r.threads > 1 ? 's' : ''}): first step ${r.tesseraFirst} in Tessera, ${r.torchFirst} in PyTorch`);
}
