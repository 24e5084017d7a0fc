/**
 * Measures the lab's default settings in headless Chromium: seconds from Start until `ce` first
 * reaches validation F1 ≥ 0.5 (the page's own clock), with the load average before and after.
 *
 *   node --import tsx lab/measure.ts [--no-build] [--query 'variants=ce,weighted-ce']
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launchChromium } from './chromium.js';
import { buildLab, LAB_DIST, serveLab } from './serve.js';

interface Run { variant: string; losses: number[]; rows: { epoch: number; f1: number }[]; threads: number; reachedAt?: number }

const { values } = parseArgs({ options: { 'no-build': { type: 'boolean' }, query: { type: 'string', default: '' }, timeout: { type: 'string', default: '240' } } });
if (!values['no-build']) await buildLab();
const server = await serveLab(LAB_DIST);
const browser = await launchChromium();
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}?${values.query}`);
  const before = load();
  await page.click('#start');
  const deadline = Date.now() + 1000 * Number(values.timeout);
  let runs: Run[] = [];
  while (Date.now() < deadline) {
    await page.waitForTimeout(1000);
    runs = await page.evaluate(() => (globalThis as unknown as { labState(): { runs: Run[] } }).labState().runs);
    if (runs.find((r) => r.variant === 'ce')?.reachedAt !== undefined) break;
  }
  for (const r of runs) {
    const f1 = r.rows.map((w) => `e${w.epoch} ${w.f1.toFixed(3)}`).join(', ');
    process.stdout.write(`${r.variant}: ${r.losses.length} steps, ${r.threads} kernel thread(s), F1 ${f1}; F1 ≥ 0.5 after ${r.reachedAt?.toFixed(1) ?? '—'} s\n`);
  }
  process.stdout.write(`load average before ${before}, after ${load()}\n`);
} finally {
  await browser.close();
  await server.close();
}
