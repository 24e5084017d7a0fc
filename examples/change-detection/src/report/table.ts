/**
 * The summary tables, as plain cells, rendered for the terminal (aligned columns) and for HTML.
 */
import { formatDuration } from '../train/progress.js';
import { formatStat, type ExperimentSummary, type Stat } from '../train/summary.js';

export interface Table {
  title: string;
  header: string[];
  rows: string[][];
}

const reachCell = (s: Stat, reached: number, seeds: number, fmt: (v: number) => string): string => {
  if (reached === 0) return `never (0/${seeds})`;
  const m = fmt(s.mean);
  const sd = Number.isNaN(s.std) ? '' : ` ± ${fmt(s.std)}`;
  return `${m}${sd}${reached < seeds ? ` (${reached}/${seeds})` : ''}`;
};

/** The validation table, the speed table and (when evaluated) the test table. */
export function summaryTables(summary: ExperimentSummary): Table[] {
  const { finalEpoch, targetF1, variants } = summary;
  const seeds = Math.max(0, ...variants.map((v) => v.seeds.length));
  const val: Table = {
    title: `Validation at epoch ${finalEpoch}, mean ± std over ${seeds} seed${seeds === 1 ? '' : 's'} (change class, threshold argmax)`,
    header: ['variant', 'F1', 'IoU', 'precision', 'recall', 'F1 at best threshold', 'AP', 'kappa'],
    rows: variants.map((v) => [
      v.variant, formatStat(v.final.f1), formatStat(v.final.iou), formatStat(v.final.precision),
      formatStat(v.final.recall), formatStat(v.final.bestF1), formatStat(v.final.ap), formatStat(v.final.kappa),
    ]),
  };
  const speed: Table = {
    title: `Speed: first epoch with validation F1 ≥ ${targetF1}, and the F1 AUC (mean F1 over epochs 1..${finalEpoch})`,
    header: ['variant', `epochs to F1 ≥ ${targetF1}`, `training time to F1 ≥ ${targetF1}`, 'F1 AUC'],
    rows: variants.map((v) => [
      v.variant,
      reachCell(v.reach.epochs, v.reach.reached, v.seeds.length, (x) => x.toFixed(1)),
      reachCell(v.reach.seconds, v.reach.reached, v.seeds.length, (x) => formatDuration(x)),
      formatStat(v.auc),
    ]),
  };
  const tables = [val, speed];
  if (variants.some((v) => v.test)) {
    tables.push({
      title: 'Test split, best checkpoint of each seed (by validation F1), mean ± std over seeds',
      header: ['variant', 'F1', 'IoU', 'precision', 'recall', 'F1 at best threshold', 'best epochs'],
      rows: variants.map((v) => v.test
        ? [v.variant, formatStat(v.test.f1), formatStat(v.test.iou), formatStat(v.test.precision),
          formatStat(v.test.recall), formatStat(v.test.bestF1), v.testEpochs.join(', ')]
        : [v.variant, '–', '–', '–', '–', '–', '–']),
    });
  }
  return tables;
}

/** A table as aligned text for the terminal. */
export function renderText(t: Table): string {
  const widths = t.header.map((h, i) => Math.max(h.length, ...t.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [t.title, line(t.header), rule, ...t.rows.map(line)].join('\n');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A table as an HTML <table> with a caption. */
export function renderHtml(t: Table): string {
  const head = `<tr>${t.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n<caption>${escapeHtml(t.title)}</caption>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}
