import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../src/train/checkpoint.js';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../src/train/config.js';
import { runExperiment } from '../src/train/experiment.js';
import type { EpochRow } from '../src/train/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A few steps on 16×16 pairs: 8 training pairs in batches of 4, 2 epochs, 1 seed, 2 variants. */
export const tiny = (): ExperimentConfig => ({
  ...structuredClone(DEFAULT_CONFIG),
  variants: ['ce', 'weighted-ce'],
  model: { name: 'FCSiamDiff', depth: 2, width: 4, batchNorm: true },
  data: { size: 16, train: 8, val: 4, test: 4, changeFraction: 0.05, nuisance: 1, seed: 3 },
  epochs: 2, batchSize: 4, seeds: 1, gridPairs: 2, prBins: 10,
});

const quiet = { log: (): void => {}, progressStream: null };
/** Rows without their wall-clock times, which differ from run to run. */
const timeless = (rows: readonly EpochRow[]): Omit<EpochRow, 'trainSeconds'>[] => rows.map(({ trainSeconds: _t, ...r }) => r);

describe('runExperiment', () => {
  it('trains every variant and writes every artifact of the run folder', async () => {
    const runDir = join(dir, 'full');
    const r = await runExperiment({ runDir, config: tiny(), ...quiet, estimate: true });
    expect(r.complete).toBe(true);
    for (const f of ['config.json', 'metrics.csv', 'metrics.json', 'report.html', 'state/progress.json',
      'figures/loss.svg', 'figures/f1.svg', 'figures/precision-recall-epochs.svg', 'figures/pr-curves.svg',
      'figures/pr-curves-test.svg', 'figures/grid.png', 'checkpoints/ce-seed0.safetensors', 'checkpoints/weighted-ce-seed0.safetensors']) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    const metrics = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { rows: EpochRow[]; test: unknown[] };
    // every epoch × variant × seed: 2 × 2 × 1
    expect(metrics.rows.map((x) => `${x.epoch}/${x.variant}/${x.seed}`)).toEqual(['1/ce/0', '1/weighted-ce/0', '2/ce/0', '2/weighted-ce/0']);
    expect(metrics.rows.every((x) => x.steps === 2 * x.epoch && x.f1 >= 0 && x.f1 <= 1 && Number.isFinite(x.trainLoss))).toBe(true);
    expect(metrics.test).toHaveLength(2);
    expect(readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    // only the last epoch's training state is kept
    expect(readdirSync(join(runDir, 'state')).sort()).toEqual(['ce-seed0.e2.safetensors', 'progress.json', 'weighted-ce-seed0.e2.safetensors']);
    const { meta } = loadCheckpoint(join(runDir, 'checkpoints/ce-seed0.safetensors'));
    expect(meta.model).toEqual(tiny().model);
    expect(meta.variant).toBe('ce');
    const html = readFileSync(join(runDir, 'report.html'), 'utf8');
    expect(html).toContain('weighted-ce');
    expect(html).not.toMatch(/src="(?!data:)/);
  });

  it('refuses to overwrite an existing run folder', async () => {
    await expect(runExperiment({ runDir: join(dir, 'full'), config: tiny(), ...quiet })).rejects.toThrow(/already holds a run/);
  });

  it('resumes an interrupted run to the same metrics and checkpoints as an uninterrupted one', async () => {
    const runDir = join(dir, 'interrupted');
    // 3 steps: the first unit finishes epoch 1 (2 steps), the second stops inside its epoch 1
    const first = await runExperiment({ runDir, config: tiny(), ...quiet, estimate: false, maxSteps: 3 });
    expect(first.complete).toBe(false);
    expect(first.rows.map((x) => `${x.epoch}/${x.variant}`)).toEqual(['1/ce']);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
    const second = await runExperiment({ runDir, resume: true, ...quiet, estimate: false, maxSteps: 3 });
    expect(second.complete).toBe(false);
    const third = await runExperiment({ runDir, resume: true, ...quiet, estimate: false });
    expect(third.complete).toBe(true);
    const full = JSON.parse(readFileSync(join(dir, 'full', 'metrics.json'), 'utf8')) as { rows: EpochRow[]; test: unknown[] };
    const resumed = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { rows: EpochRow[]; test: unknown[] };
    expect(timeless(resumed.rows)).toEqual(timeless(full.rows));
    expect(resumed.test).toEqual(full.test);
    for (const f of ['checkpoints/ce-seed0.safetensors', 'checkpoints/weighted-ce-seed0.safetensors', 'state/weighted-ce-seed0.e2.safetensors']) {
      expect(readFileSync(join(runDir, f)).equals(readFileSync(join(dir, 'full', f))), f).toBe(true);
    }
  });
});
