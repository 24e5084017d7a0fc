/**
 * The published packages, as a user gets them: @tessera/core and @tessera/nn built (dist/) and
 * packed with `pnpm pack`, installed from the tarballs into a scratch project outside the workspace
 * (its other dependency, fast-check, from the store the workspace filled: offline when pnpm has its
 * registry metadata cached, else that metadata is fetched from the registry the lockfile uses),
 * and a small training script run there in Node and, bundled by Vite, in headless Chromium (in a
 * module Web Worker on 2 kernel threads, and on the page's main thread). All three runs give the
 * same losses.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from '../lab/chromium.js';
import { serveLab } from '../lab/serve.js';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const fixture = fileURLToPath(new URL('./fixtures/packages', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'tessera-packages-'));
/** pnpm itself when the suite runs under `pnpm test` (npx would spend seconds finding it again), else through npx. */
const execpath = process.env['npm_execpath'] ?? '';
const [command, ...prefix] = /pnpm/.test(execpath) ? [process.execPath, execpath] : ['npx', '-y', 'pnpm@10.34.9'];
const pnpm = (args: string[], cwd: string): string =>
  execFileSync(command!, [...prefix, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });

interface Result {
  backend: string;
  threads: number | undefined;
  losses: number[];
  roundTrip: boolean;
}

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed packages in a scratch project', () => {
  let node: Result;

  it('build, pack and install from the tarballs, and train in Node', () => {
    execFileSync(process.execPath, [join(repo, 'scripts/build-dist.mjs'), 'packages/core', 'packages/nn'], { cwd: repo, stdio: 'pipe' });
    const packs = join(scratch, 'packs');
    for (const p of ['core', 'nn']) pnpm(['pack', '--pack-destination', packs], join(repo, 'packages', p));
    const tgz = Object.fromEntries(readdirSync(packs).map((f) => [f.startsWith('tessera-core') ? 'core' : 'nn', join(packs, f)]));
    const app = join(scratch, 'app');
    cpSync(fixture, app, { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({
      name: 'tessera-scratch', private: true, type: 'module',
      dependencies: { '@tessera/core': `file:${tgz.core}`, '@tessera/nn': `file:${tgz.nn}` },
      pnpm: { overrides: { '@tessera/core': `file:${tgz.core}` } },
    }, null, 2));
    try {
      pnpm(['install', '--offline'], app); // tarballs from the store the workspace filled
    } catch {
      pnpm(['install', '--prefer-offline'], app); // …after fetching the registry's metadata pnpm had not cached
    }
    node = JSON.parse(execFileSync(process.execPath, ['node.mjs'], { cwd: app, encoding: 'utf8' })) as Result;
    expect(node.backend).toBe('wasm');
    expect(node.losses).toHaveLength(12);
    expect(node.losses.at(-1)!).toBeLessThan(node.losses[0]!);
    expect(node.roundTrip).toBe(true);
  }, 120_000);

  const missing = chromiumMissing();
  if (missing !== undefined) {
    it('in a browser: not run, and says so', () => {
      console.warn(`packed packages in a browser NOT RUN: ${missing}. Not checked: that the tarballs bundle with Vite and train in Chromium with Node's losses.`);
      expect(missing).toMatch(/no Chromium at/);
    });
    return;
  }

  it("bundle with Vite and train in Chromium (a Web Worker on 2 threads, the main thread on 1) with Node's losses", async () => {
    const app = join(scratch, 'app');
    const { build } = await import('vite');
    await build({ root: app, configFile: false, logLevel: 'warn', worker: { format: 'es' }, build: { outDir: 'dist', target: 'es2022', rolldownOptions: { checks: { pluginTimings: false } } } });
    const server = await serveLab(join(app, 'dist'));
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await page.waitForFunction(() => (globalThis as { results?: unknown }).results !== undefined, undefined, { timeout: 60_000 });
      const got = await page.evaluate(() => (globalThis as unknown as { results: { worker: Result; main: Result } }).results);
      expect(errors).toEqual([]);
      expect(got.worker).toMatchObject({ backend: 'wasm', threads: 2, roundTrip: true });
      expect(got.main).toMatchObject({ backend: 'wasm', threads: 1, roundTrip: true });
      for (const run of [got.worker, got.main]) run.losses.forEach((l, i) => expect(Math.abs(l - node.losses[i]!)).toBeLessThanOrEqual(1e-6));
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);
});
