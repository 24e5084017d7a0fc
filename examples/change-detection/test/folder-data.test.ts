/**
 * Training on a folder: synthetic pairs written as PNG files in the LEVIR-CD layout, trained with
 * `--data`, give exactly the metrics and checkpoints of training on the same pairs in memory
 * (rounded to 8 bits, as the files store them), for the same seed.
 */
import { readFileSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLevirFolder } from '../src/commands/data.js';
import { DEFAULT_CONFIG, type ExperimentConfig } from '../src/train/config.js';
import { UsageError } from '../src/train/errors.js';
import { runExperiment } from '../src/train/experiment.js';
import type { EpochRow } from '../src/train/metrics.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const data = { size: 16, train: 6, val: 3, test: 3, changeFraction: 0.05, nuisance: 1, seed: 3 };
const base = (): ExperimentConfig => ({
  ...structuredClone(DEFAULT_CONFIG), variants: ['weighted-ce'], model: { name: 'FCSiamDiff', depth: 2, width: 4, batchNorm: true },
  data: { ...data }, epochs: 2, batchSize: 4, seeds: 1, gridPairs: 2, prBins: 10,
});
const quiet = { log: (): void => {}, progressStream: null, estimate: false } as const;
const metrics = (runDir: string): { rows: Omit<EpochRow, 'trainSeconds'>[]; test: unknown[] } => {
  const m = JSON.parse(readFileSync(join(runDir, 'metrics.json'), 'utf8')) as { rows: EpochRow[]; test: unknown[] };
  return { rows: m.rows.map(({ trainSeconds: _t, ...r }) => r), test: m.test };
};

describe('train --data', () => {
  const folder = join(dir, 'levir');
  writeLevirFolder({ out: folder, size: data.size, train: data.train, val: data.val, test: data.test, changeFraction: data.changeFraction, seed: data.seed, log: () => {} });

  it('gives the metrics and checkpoints of the same 8-bit pairs in memory, exactly', async () => {
    const fromFolder = await runExperiment({ runDir: join(dir, 'folder'), config: { ...base(), data: { ...data, dir: folder } }, ...quiet });
    const inMemory = await runExperiment({ runDir: join(dir, 'memory'), config: { ...base(), data: { ...data, quantize: true } }, ...quiet });
    expect(fromFolder.complete && inMemory.complete).toBe(true);
    expect(metrics(join(dir, 'folder'))).toEqual(metrics(join(dir, 'memory')));
    expect(metrics(join(dir, 'folder')).rows).toHaveLength(2);
    const ckpt = 'checkpoints/weighted-ce-seed0.safetensors';
    expect(readFileSync(join(dir, 'folder', ckpt)).equals(readFileSync(join(dir, 'memory', ckpt)))).toBe(true);
    const html = readFileSync(join(dir, 'folder', 'report.html'), 'utf8');
    expect(html).toContain('LEVIR-CD-layout folder');
    expect(html).toContain('train 6 tiles');
  });

  it('stops at setup, naming the file, when a pair is incomplete', async () => {
    unlinkSync(join(folder, 'val', 'label', 'pair-002.png'));
    const run = runExperiment({ runDir: join(dir, 'broken'), config: { ...base(), data: { ...data, dir: folder } }, ...quiet });
    await expect(run).rejects.toThrow(UsageError);
    await expect(runExperiment({ runDir: join(dir, 'broken2'), config: { ...base(), data: { ...data, dir: folder } }, ...quiet }))
      .rejects.toThrow(/--data: LEVIR-CD dataset: missing pairs: .*val\/A\/pair-002.png has no partner in label\//);
  });
});
