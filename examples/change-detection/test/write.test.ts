import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPng } from '../src/io/png.js';
import { truthTile } from '../src/report/grid.js';
import { writeReport } from '../src/report/write.js';
import { DEFAULT_CONFIG } from '../src/train/config.js';
import type { EpochRow } from '../src/train/metrics.js';
import type { VariantName } from '../src/train/variants.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pr = { thresholds: [0, 0.25, 0.5, 0.75], precision: [0.03, 0.3, 0.6, 0.9], recall: [1, 0.8, 0.5, 0.1] };
const rows: EpochRow[] = (['ce', 'weighted-ce'] as VariantName[]).flatMap((variant, v) =>
  [0, 1].flatMap((seed) =>
    [1, 2, 3].map((epoch) => {
      const f1 = 0.2 * epoch + 0.05 * v + 0.01 * seed;
      return {
        variant, seed, epoch, steps: 4 * epoch, trainSeconds: epoch, trainLoss: 1 / epoch, valLoss: 1.2 / epoch, valCe: 0.5 / epoch,
        precision: f1, recall: f1, f1, iou: f1 / 2, accuracy: 0.97, kappa: f1, bestF1: f1 + 0.02, bestThreshold: 0.4, ap: f1, pr,
      };
    }),
  ),
);

describe('writeReport', () => {
  it('writes metrics.csv/json, SVG figures, the grid PNG and a self-contained report.html', async () => {
    const tile = truthTile([1, 0, 0, 1], 2);
    const out = await writeReport({
      runDir: dir, config: structuredClone(DEFAULT_CONFIG), seeds: [0, 1], rows, testRows: [],
      status: 'Complete.', setup: ['Data: a test.'], weights: [0.5, 16],
      grid: { size: 2, columns: ['t1', 't2', 'truth'], rows: [[tile, tile, tile]], pairs: [3], caption: 'grid' },
    });
    for (const f of ['metrics.csv', 'metrics.json', 'report.html', 'figures/loss.svg', 'figures/f1.svg', 'figures/pr-curves.svg', 'figures/grid.png']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const csv = readFileSync(join(dir, 'metrics.csv'), 'utf8').trim().split('\n');
    expect(csv.length).toBe(1 + 12);
    expect(csv[0]!.split(',').slice(0, 3)).toEqual(['variant', 'seed', 'epoch']);
    expect(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')).rows).toHaveLength(12);
    const svg = readFileSync(join(dir, 'figures/f1.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('weighted-ce');
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('data:image/svg+xml;base64,');
    expect(html).toContain('data:image/png;base64,');
    expect(html).not.toMatch(/src="(?!data:)/);
    expect(html).toContain('weighted-ce ends with a higher validation F1 than ce');
    expect(out.summary.finalEpoch).toBe(3);
    const grid = readPng(join(dir, 'figures/grid.png'));
    // three 2-pixel tiles scaled 96× (tiles of about 192 pixels) with two 2-pixel gaps
    expect([grid.width, grid.height]).toEqual([3 * 192 + 2 * 2, 192]);
  });
});
