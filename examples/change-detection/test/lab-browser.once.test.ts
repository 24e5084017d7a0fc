/**
 * The lab page in real headless Chromium (lab/chromium.ts): built by Vite, served cross-origin
 * isolated and not. Each check compares what the page shows with the same computation in Node:
 * step losses (LabTrainer, same seed and settings), precision/recall at the slider's threshold,
 * the downloaded checkpoint loaded by predict's loader, the downloaded CSV. Without Chromium the
 * suite says which checks it did not make.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { decodeImage } from '@tessera/data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../lab/chromium.js';
import { buildLab, serveLab, type LabServer } from '../lab/serve.js';
import { parseLabQuery } from '../src/lab/config.js';
import { LabTrainer, makeLabData, pairProbabilities } from '../src/lab/trainer.js';
import { loadCheckpoint } from '../src/train/checkpoint.js';
import type { EpochRow } from '../src/train/metrics.js';

/** Small settings so that a run takes seconds: 16 pairs of 32×32 in batches of 4, 2 epochs. */
const QUERY = 'train=16&val=8&size=32&width=4&batchSize=4&gridPairs=2&maxSteps=8';
const missing = chromiumMissing();

interface LabState {
  isolated: boolean;
  errors: string[];
  runs: { variant: string; losses: number[]; rows: EpochRow[]; threads: number; backend: string; done: boolean }[];
}

/** The same run in Node: every step's loss and, after each epoch, the validation row. */
function nodeRun(query: string, variant: 'ce' | 'weighted-ce'): { trainer: LabTrainer; losses: number[] } {
  const config = parseLabQuery(query);
  const trainer = new LabTrainer(config, variant, makeLabData(config));
  const losses: number[] = [];
  while (trainer.stepCount < config.maxSteps) {
    const r = trainer.step();
    losses.push(r.loss);
    if (r.epochDone) trainer.evaluate();
  }
  return { trainer, losses };
}

describe('the lab in headless Chromium', () => {
  if (missing !== undefined) {
    it('is not run: says what it did not check', () => {
      console.warn(`lab browser tests NOT RUN: ${missing}. Not checked: that the lab page loads cross-origin isolated, trains in 2 workers with Node's losses, ` +
        'moves precision/recall with the threshold, downloads a checkpoint predict loads and a CSV, renders, and trains without isolation.');
      expect(missing).toMatch(/no Chromium at/);
    });
    return;
  }
  let browser: Browser;
  let isolated: LabServer;
  let plain: LabServer;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-lab-'));
  const consoleLines: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const dist = await buildLab();
    [isolated, plain, browser] = await Promise.all([serveLab(dist), serveLab(dist, { isolated: false }), launchChromium()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await isolated?.close();
    await plain?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(server: LabServer, query: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('console', (m: ConsoleMessage) => {
      consoleLines.push(`${m.type()}: ${m.text()}`);
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${server.url}?${query}`);
    await page.click('#start');
    await page.waitForFunction(() => {
      const s = (globalThis as unknown as { labState(): LabState }).labState();
      return s.errors.length > 0 || (s.runs.length > 0 && s.runs.every((r) => r.done));
    }, undefined, { timeout: 90_000, polling: 250 });
    return page;
  }

  const state = (page: Page): Promise<LabState> => page.evaluate(() => (globalThis as unknown as { labState(): LabState }).labState());

  it('trains ce and weighted-ce in 2 workers of an isolated page, with the losses, thresholds, checkpoint and CSV of Node', async () => {
    const page = await open(isolated, `${QUERY}&threads=2`);
    const s = await state(page);
    expect(s.errors).toEqual([]);
    expect(s.isolated).toBe(true);
    expect(page.workers().filter((w) => /worker/.test(w.url()) && !/worker-web/.test(w.url()))).toHaveLength(2);
    const ref = { ce: nodeRun(QUERY, 'ce'), 'weighted-ce': nodeRun(QUERY, 'weighted-ce') };
    for (const run of s.runs) {
      const node = ref[run.variant as 'ce' | 'weighted-ce'];
      expect(run.backend).toBe('wasm');
      expect(run.threads).toBe(2); // each worker's kernels: itself and one more Web Worker
      expect(run.losses).toHaveLength(8);
      const gap = Math.max(...run.losses.map((l, i) => Math.abs(l - node.losses[i]!)));
      console.log(`lab ${run.variant}: ${run.losses.length} steps in Chromium (2 kernel threads) vs Node: max |loss difference| ${gap}`);
      expect(gap).toBeLessThanOrEqual(1e-6);
      expect(run.rows.map((r) => r.f1)).toEqual(node.trainer.rows.map((r) => r.f1));
    }

    // The slider moves the operating point: precision and recall at p ≥ 0.2 are Node's curve at index 10.
    const read = async (): Promise<Record<string, readonly number[]>> => Object.fromEntries(await Promise.all(s.runs.map(async (r) => [r.variant, [
      Number(await page.textContent(`tr[data-variant="${r.variant}"] td.precision`)), Number(await page.textContent(`tr[data-variant="${r.variant}"] td.recall`)),
    ]] as const)));
    const before = await read();
    await page.locator('#threshold').fill('10');
    const after = await read();
    for (const v of ['ce', 'weighted-ce'] as const) {
      const pr = ref[v].trainer.rows.at(-1)!.pr;
      expect(before[v]).toEqual([pr.precision[25], pr.recall[25]]);
      expect(after[v]).toEqual([pr.precision[10], pr.recall[10]]);
      expect(after[v]).not.toEqual(before[v]);
    }

    // The checkpoint download loads with predict's loader and gives Node's outputs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-download="ce"]')]);
    expect(download.suggestedFilename()).toBe('ce-seed0.safetensors');
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const { model, meta } = loadCheckpoint(file);
    expect(meta).toMatchObject({ variant: 'ce', seed: 0, epoch: 2 });
    const node = ref.ce.trainer;
    const mine = pairProbabilities(model, node.data.val, 8);
    const theirs = pairProbabilities(node.model, node.data.val, 8);
    mine.forEach((p, i) => expect(p).toEqual(theirs[i]));

    // Opening it again with the file picker (fromBlob) shows its metadata next to the live models.
    await page.setInputFiles('#open', file);
    await page.waitForFunction(() => (globalThis as unknown as { labState(): { opened?: unknown } }).labState().opened !== undefined, undefined, { timeout: 30_000 });
    expect(await page.textContent('#opened')).toMatch(/^ce-seed0\.safetensors: ce, seed 0, epoch 2, validation F1 /);

    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#csv')]);
    const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^variant,seed,epoch,steps,trainSeconds,trainLoss,valLoss,valCe,precision,recall,f1,/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(['ce,0,1', 'weighted-ce,0,1', 'ce,0,2', 'weighted-ce,0,2']);

    const png = decodeImage(new Uint8Array(await page.screenshot({ fullPage: true })), 'screenshot');
    expect(png.channels).toBe(3);
    const colours = new Set<number>();
    let ink = 0;
    for (let i = 0; i < png.data.length; i += 3) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      colours.add((r << 16) | (g << 8) | b);
      if (r + g + b < 600) ink++;
    }
    expect(colours.size).toBeGreaterThan(200); // charts, photos of the pairs, masks
    expect(ink / (png.width * png.height)).toBeGreaterThan(0.05);
    await page.close();
  }, 120_000);

  it('without cross-origin isolation still trains, on one kernel thread, with the same losses', async () => {
    const query = `${QUERY}&variants=ce&maxSteps=4`;
    const page = await open(plain, query);
    const s = await state(page);
    expect(s.isolated).toBe(false);
    expect(s.errors).toEqual([]);
    expect(s.runs[0]!.threads).toBe(1);
    const node = nodeRun(query, 'ce');
    s.runs[0]!.losses.forEach((l, i) => expect(Math.abs(l - node.losses[i]!)).toBeLessThanOrEqual(1e-6));
    expect(consoleLines.some((l) => /^info: Tessera: the wasm kernels run on 1 thread, not 2: the page is not cross-origin isolated/.test(l))).toBe(true);
    await page.close();
  }, 120_000);

  it('printed no console error and threw nothing', () => {
    expect(problems).toEqual([]);
  });
});
