import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator } from '@tessera/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader, encodeMaskPng } from '../src/index.js';
import { DatasetWorkers, readMask, type SegmentationSample } from '../src/node/index.js';
import { augmentedScenes } from './fixtures/worker-datasets.js';
import { writeSegmentation } from './folders.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-workers-'));
const fixture = new URL('./fixtures/worker-datasets.ts', import.meta.url);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('DatasetWorkers', () => {
  it('give the same batches, augmentations included, as reading on the main thread', async () => {
    const root = join(dir, 'scenes');
    writeSegmentation(root, '', 7, 8, 8, 4, 2);
    const workers = new DatasetWorkers<SegmentationSample>({ module: fixture, export: 'augmentedScenes', args: [root], numWorkers: 2 });
    try {
      const options = { batchSize: 3, shuffle: true } as const;
      const main = [...new DataLoader(augmentedScenes(root), { ...options, generator: new Generator(5) })];
      const threaded = new DataLoader(augmentedScenes(root), { ...options, generator: new Generator(5), workers, prefetchFactor: 2 });
      const got = [];
      for await (const b of threaded) got.push(b);
      expect(got.map((b) => b.name)).toEqual(main.map((b) => b.name));
      got.forEach((b, k) => {
        expect(b.image.shape).toEqual([b.name.length, 3, 6, 6]);
        expect(b.image.data).toEqual(main[k]!.image.data);
        expect(b.mask.data).toEqual(main[k]!.mask.data);
      });
      // a second pass draws a new order, in the workers as here
      const again = [];
      for await (const b of threaded) again.push(b.name);
      expect(again).not.toEqual(got.map((b) => b.name));
    } finally {
      await workers.close();
    }
  });

  it('reject a batch with the worker\'s error, naming the file; and a bad module or export', async () => {
    const root = join(dir, 'broken');
    writeSegmentation(root, '', 4, 8, 8, 4, 2);
    const bad = readMask(join(root, 'masks', 's3.png'), { numClasses: 4, ignoreValue: 255 });
    bad.data[0] = 6;
    writeFileSync(join(root, 'masks', 's3.png'), encodeMaskPng(bad, { encoding: 'index', ignoreValue: 255 }));
    const workers = new DatasetWorkers<SegmentationSample>({ module: fixture, export: 'augmentedScenes', args: [root] });
    const names: string[][] = [];
    try {
      await expect((async () => {
        for await (const b of new DataLoader(augmentedScenes(root), { batchSize: 2, workers })) names.push(b.name);
      })()).rejects.toThrow(/DatasetWorkers .*masks\/s3.png: value 6 at \(x 0, y 0\) is not a class/);
      expect(names).toEqual([['s0', 's1']]);
    } finally {
      await workers.close();
    }
    const wrong = new DatasetWorkers<SegmentationSample>({ module: fixture, export: 'notAFunction' });
    await expect(wrong.load([0], [1])).rejects.toThrow(/worker-datasets.ts has no function export 'notAFunction'/);
    await wrong.close();
    await expect(wrong.load([0], [1])).rejects.toThrow(/closed/);
    expect(() => new DatasetWorkers({ module: fixture, export: 'x', numWorkers: 0 })).toThrow(/numWorkers must be a positive integer, got 0/);
  });
});
