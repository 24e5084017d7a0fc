import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runData } from '../src/commands/data.js';
import { predict } from '../src/commands/predict.js';
import { readMaskPng, readPng, writeRgbPng } from '../src/io/png.js';
import { DEFAULT_CONFIG } from '../src/train/config.js';
import { UsageError } from '../src/train/errors.js';
import { runExperiment } from '../src/train/experiment.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-predict-'));
const checkpoint = join(dir, 'run', 'checkpoints', 'weighted-ce-seed0.safetensors');
const quiet = { log: (): void => {} };
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await runExperiment({
    runDir: join(dir, 'run'), log: () => {}, progressStream: null, estimate: false,
    config: {
      ...structuredClone(DEFAULT_CONFIG), variants: ['weighted-ce'], epochs: 1, batchSize: 4, seeds: 1, gridPairs: 1, prBins: 10,
      model: { name: 'FCSiamDiff', depth: 2, width: 4, batchNorm: true },
      data: { size: 16, train: 4, val: 2, test: 2, changeFraction: 0.05, nuisance: 1, seed: 0 },
    },
  });
  runData({ out: join(dir, 'pairs'), pairs: 1, size: 20, seed: 5, log: () => {} });
});

describe('predict', () => {
  it('writes a mask and an overlay of the input size from PNGs written by data', () => {
    const r = predict({ checkpoint, t1: join(dir, 'pairs/pair-000-t1.png'), t2: join(dir, 'pairs/pair-000-t2.png'), out: join(dir, 'out'), ...quiet });
    expect(existsSync(r.maskPath) && existsSync(r.overlayPath)).toBe(true);
    const mask = readMaskPng(r.maskPath);
    expect([mask.width, mask.height]).toEqual([20, 20]);
    expect(mask.mask.reduce((a, b) => a + b, 0)).toBe(r.changed);
    const t2 = readPng(join(dir, 'pairs/pair-000-t2.png'));
    const over = readPng(r.overlayPath);
    // unchanged pixels of the overlay are the t2 image
    for (let i = 0; i < 400; i++) {
      if (!mask.mask[i]) expect(Math.abs(over.data[i]! - t2.data[i]!)).toBeLessThan(1e-6);
    }
  });

  it('pads a size that is not a multiple of 2^depth (17 × 13) and crops back', () => {
    const img = readPng(join(dir, 'pairs/pair-000-t1.png'));
    const crop = new Float32Array(3 * 17 * 13);
    for (let c = 0; c < 3; c++) for (let y = 0; y < 13; y++) for (let x = 0; x < 17; x++) crop[(c * 13 + y) * 17 + x] = img.data[(c * 20 + y) * 20 + x]!;
    writeRgbPng(join(dir, 'odd.png'), crop, 17, 13);
    const r = predict({ checkpoint, t1: join(dir, 'odd.png'), t2: join(dir, 'odd.png'), out: join(dir, 'odd'), ...quiet });
    expect([r.width, r.height]).toEqual([17, 13]);
    expect(readMaskPng(r.maskPath).mask.length).toBe(17 * 13);
  });

  it('predicts an image larger than a tile on overlapping tiles, blended, close to the one-pass prediction', () => {
    runData({ out: join(dir, 'big'), pairs: 1, size: 40, seed: 6, log: () => {} });
    const [t1, t2] = ['t1', 't2'].map((k) => join(dir, `big/pair-000-${k}.png`)) as [string, string];
    const tiled = predict({ checkpoint, t1, t2, out: join(dir, 'tiled'), tile: 16, overlap: 4, threshold: 0.3, ...quiet });
    const whole = predict({ checkpoint, t1, t2, out: join(dir, 'whole'), tile: 64, threshold: 0.3, ...quiet });
    expect([tiled.width, tiled.height]).toEqual([40, 40]);
    const a = readMaskPng(tiled.maskPath).mask;
    const b = readMaskPng(whole.maskPath).mask;
    // the model's receptive field reaches past a 16-pixel tile's border, so tiles differ near their borders; most pixels agree
    const agree = a.reduce((n, v, i) => n + (v === b[i] ? 1 : 0), 0);
    expect(agree / a.length).toBeGreaterThan(0.8);
    expect(() => predict({ checkpoint, t1, t2, out: dir, tile: 10, ...quiet })).toThrow(/--tile: must be a positive multiple of 4/);
    expect(() => predict({ checkpoint, t1, t2, out: dir, tile: 16, overlap: 16, ...quiet })).toThrow(/--overlap: must be an integer in \[0, --tile\), got 16/);
  });

  it('refuses a missing checkpoint or image, and images of different sizes, with a UsageError', () => {
    const t1 = join(dir, 'pairs/pair-000-t1.png');
    expect(() => predict({ checkpoint: join(dir, 'nope.safetensors'), t1, t2: t1, out: dir, ...quiet })).toThrow(UsageError);
    expect(() => predict({ checkpoint, t1: join(dir, 'nope.png'), t2: t1, out: dir, ...quiet })).toThrow(/--t1: image not found/);
    expect(() => predict({ checkpoint, t1, t2: join(dir, 'odd.png'), out: dir, ...quiet })).toThrow(/same size.*20x20.*17x13/);
  });
});
