import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { DEFAULT_CONFIG, type LandCoverConfig } from '../src/config.js';
import { runExperiment } from '../src/experiment.js';
import { rowNormalised } from '../src/figures.js';
import { CLASSES, IGNORE, makeSplit, markBorders } from '../src/scenes.js';
import type { EpochRow, TestRow } from '../src/summary.js';

const root = mkdtempSync(join(tmpdir(), 'tessera-land-cover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 8 training scenes of 16×16 in batches of 4 through a depth-1, width-2 U-Net: 2 epochs, 2 losses, 1 seed. */
const small = (): LandCoverConfig => ({
  ...structuredClone(DEFAULT_CONFIG),
  variants: ['ce', 'ce-median'],
  model: { depth: 1, width: 2, batchNorm: true },
  data: { size: 16, train: 8, val: 4, test: 4, seed: 5 },
  epochs: 2, batchSize: 4, seeds: 1, prBins: 8,
});
const silent = { log: (): void => {}, progressStream: null };
type Metrics = { rows: EpochRow[]; test: TestRow[] };
const metrics = (dir: string): Metrics => JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Metrics;
/** Everything but the wall-clock training time. */
const untimed = (rows: readonly EpochRow[]): unknown[] => rows.map(({ trainSeconds: _s, ...rest }) => rest);

describe('land-cover data', () => {
  it('ignores the commoner side of every class boundary (4-neighbours), and nothing else', () => {
    // A pixel is IGNORE when a 4-neighbour has a higher class index (a rarer class); labels:
    //   0 0 0 0        0 0 . .     the 0s above the water (4) and the building (2), left of the water and
    //   0 0 4 2   →    0 . 4 .     the road (3), below the road; the 2s beside the 4 and the 3; the 3 under
    //   0 0 3 2        0 . . .     the 4. The water has no rarer neighbour and keeps its label.
    //   0 0 0 0        0 0 . .     (. = IGNORE)
    const label = Uint8Array.from([0, 0, 0, 0, 0, 0, 4, 2, 0, 0, 3, 2, 0, 0, 0, 0]);
    const rows = (m: Int32Array): number[][] => [0, 1, 2, 3].map((r) => Array.from(m.subarray(r * 4, r * 4 + 4)));
    const I = IGNORE;
    expect(rows(markBorders(label, 4))).toEqual([[0, 0, I, I], [0, I, 4, I], [0, I, I, I], [0, 0, I, I]]);
  });

  it('makes scenes with five very unequal classes, labels in 0..4 or IGNORE, deterministic per seed', () => {
    const s = makeSplit(0, 'train', 12, 32);
    const total = s.counts.reduce((a, b) => a + b, 0);
    const shares = s.counts.map((n) => n / total);
    expect(shares[0]).toBeGreaterThan(0.5); // vegetation dominates
    expect(Math.min(...shares.slice(1))).toBeLessThan(0.05); // a rare class
    expect(s.masks.data.every((v) => (v >= 0 && v < CLASSES.length) || v === IGNORE)).toBe(true);
    expect(s.ignored).toBeGreaterThan(0);
    expect(Array.from(makeSplit(0, 'train', 2, 32).masks.data)).toEqual(Array.from(s.masks.data.subarray(0, 2 * 32 * 32)));
  });
});

describe('land-cover experiment', () => {
  it('trains each loss, scores the test split per class and writes the report, figures and checkpoints', async () => {
    const dir = join(root, 'whole');
    const r = await runExperiment({ runDir: dir, config: small(), ...silent });
    expect(r.complete).toBe(true);
    const files = ['report.html', 'metrics.csv', 'figures/confusion.png', 'figures/pr-curves.svg', 'figures/iou-curves.svg', 'figures/predictions.png',
      'checkpoints/ce-seed0.safetensors', 'checkpoints/ce-median-seed0.safetensors'];
    expect(files.filter((f) => !existsSync(join(dir, f)))).toEqual([]);
    const m = metrics(dir);
    expect(m.rows.map((x) => `${x.epoch} ${x.variant}`)).toEqual(['1 ce', '1 ce-median', '2 ce', '2 ce-median']);
    expect(m.test).toHaveLength(2);
    for (const t of m.test) {
      expect(t.iou).toHaveLength(5);
      expect(t.pr).toHaveLength(5);
      expect(t.miou).toBeCloseTo(t.iou.reduce((a, b) => a + b, 0) / 5, 12);
      // the confusion matrix counts every labelled test pixel once
      expect(t.confusion.flat().reduce((a, b) => a + b, 0)).toBe(makeSplit(5, 'test', 4, 16).counts.reduce((a, b) => a + b, 0));
      rowNormalised([t]).forEach((row) => expect([0, 1]).toContainEqual(Math.round(row.reduce((a, b) => a + b, 0) * 1e9) / 1e9));
    }
    expect(readdirSync(join(dir, 'state')).sort()).toEqual(['ce-median-seed0.e2.safetensors', 'ce-seed0.e2.safetensors', 'progress.json']);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain("'median' class weights");
    expect(html).toContain('Test confusion of ce-median, all seeds');
    expect(html).not.toMatch(/<img src="(?!data:)/);
  });

  it('gives the same numbers and checkpoints after two interruptions and --resume as in one go', async () => {
    const dir = join(root, 'resumed');
    // 3 steps: ce finishes epoch 1 (2 steps), ce-median stops inside its epoch 1
    const a = await runExperiment({ runDir: dir, config: small(), ...silent, maxSteps: 3 });
    expect([a.complete, a.rows.length, a.testRows.length]).toEqual([false, 1, 0]);
    expect((await runExperiment({ runDir: dir, resume: true, ...silent, maxSteps: 3 })).complete).toBe(false);
    expect((await runExperiment({ runDir: dir, resume: true, ...silent })).complete).toBe(true);
    const [whole, resumed] = [metrics(join(root, 'whole')), metrics(dir)];
    expect(untimed(resumed.rows)).toEqual(untimed(whole.rows));
    expect(resumed.test).toEqual(whole.test);
    for (const f of ['checkpoints/ce-median-seed0.safetensors', 'state/ce-seed0.e2.safetensors']) {
      expect(readFileSync(join(dir, f)).equals(readFileSync(join(root, 'whole', f))), f).toBe(true);
    }
  });

  it('the command line: help, one-line errors with exit 2, a folder in use or taken refused', async () => {
    const err: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => err.push(s) > 0) as typeof process.stderr.write;
    try {
      expect(await main(['--variants', 'ce,bogus', '--out', join(root, 'x')])).toBe(2);
      expect(await main(['--resume', join(root, 'whole'), '--epochs', '3'])).toBe(2);
      expect(await main(['--size', '20', '--out', join(root, 'y')])).toBe(2);
      expect(await main(['--out', join(root, 'whole'), '--variants', 'ce'])).toBe(2);
    } finally {
      process.stderr.write = write;
    }
    expect(err.join('')).toMatch(/--variants: unknown variant 'bogus'/);
    expect(err.join('')).toMatch(/--resume: the run folder's config.json decides; drop --epochs/);
    expect(err.join('')).toMatch(/--size: a U-Net of depth 3 needs a size that is a multiple of 8, got 20/);
    expect(err.join('')).toMatch(/already holds a run/);
  });
});
