/** The scores table: per model, the latest epoch's F1 at argmax and precision, recall and F1 at the slider's threshold. */
import type { EpochRow } from '../../src/train/metrics.js';

export interface ScoredRun {
  variant: string;
  losses: readonly number[];
  rows: readonly EpochRow[];
  threads: number;
  backend: string;
  /** Seconds from Start until the first epoch with validation F1 ≥ 0.5. */
  reachedAt?: number;
}

/** Fills `body` with one row per run at threshold index `k` (threshold k/50), each with its checkpoint button. */
export function scoresTable<R extends ScoredRun>(body: HTMLElement, runs: readonly R[], k: number, download: (run: R) => void): void {
  body.replaceChildren(...runs.map((r) => {
    const row = r.rows.at(-1);
    const p: [number, number] | undefined = row ? [row.pr.precision[k]!, row.pr.recall[k]!] : undefined;
    const f1 = p ? (p[0] + p[1] > 0 ? (2 * p[0] * p[1]) / (p[0] + p[1]) : 0) : undefined;
    const tr = document.createElement('tr');
    tr.dataset['variant'] = r.variant;
    const cells: [string, string][] = [
      ['variant', r.variant], ['epoch', String(row?.epoch ?? '–')], ['f1', row ? row.f1.toFixed(3) : '–'],
      ['precision', p ? String(p[0]) : '–'], ['recall', p ? String(p[1]) : '–'], ['f1-at', f1 !== undefined ? f1.toFixed(3) : '–'],
      ['best-f1', row ? `${row.bestF1.toFixed(3)} @${row.bestThreshold.toFixed(2)}` : '–'],
      ['reached', r.reachedAt !== undefined ? `${r.reachedAt.toFixed(1)} s` : '–'], ['threads', r.threads ? `${r.threads} (${r.backend})` : '–'],
    ];
    tr.append(...cells.map(([cls, text]) => Object.assign(document.createElement('td'), { className: cls, textContent: text })));
    const button = Object.assign(document.createElement('button'), { textContent: 'checkpoint', disabled: r.losses.length === 0 });
    button.dataset['download'] = r.variant;
    button.onclick = () => download(r);
    const cell = document.createElement('td');
    cell.append(button);
    tr.append(cell);
    return tr;
  }));
}
