import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runData } from '../src/commands/data.js';
import { makeDataset } from '../src/data/dataset.js';
import { readMaskPng, readPng } from '../src/io/png.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('runData', () => {
  it('writes t1, t2, mask and preview PNGs of the training pairs and reports the class counts', () => {
    const lines: string[] = [];
    const out = join(dir, 'out');
    const summary = runData({ out, pairs: 3, size: 32, changeFraction: 0.05, nuisance: 1, seed: 4, log: (l) => lines.push(l) });
    const names = ['t1', 't2', 'mask', 'preview'].flatMap((k) => [0, 1, 2].map((i) => `pair-00${i}-${k}.png`));
    expect(readdirSync(out).sort()).toEqual(names.sort());
    expect(summary.files.every((f) => existsSync(f))).toBe(true);

    const ds = makeDataset({ n: 3, size: 32, changeFraction: 0.05, nuisance: 1, seed: 4 });
    expect(summary.counts).toEqual(ds.counts);
    for (let i = 0; i < 3; i++) {
      const mask = readMaskPng(join(out, `pair-00${i}-mask.png`));
      expect(Array.from(mask.mask)).toEqual(Array.from(ds.mask.subarray(i * 1024, (i + 1) * 1024)));
      const t2 = readPng(join(out, `pair-00${i}-t2.png`));
      const expected = ds.t2.subarray(i * 3072, (i + 1) * 3072);
      expect(t2.data.every((v, k) => Math.abs(v - expected[k]!) <= 0.5 / 255 + 1e-6)).toBe(true);
    }
    const preview = readPng(join(out, 'pair-000-preview.png'));
    expect([preview.width, preview.height]).toEqual([3 * 128 + 4, 128]);

    expect(lines.join('\n')).toContain(`no change ${ds.counts[0]}`);
    expect(lines.join('\n')).toContain(`change ${ds.counts[1]}`);
  });
});
