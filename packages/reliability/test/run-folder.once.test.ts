/**
 * Two runs on one folder, and a folder the run cannot write: real processes of the change-detection
 * CLI (bundled, see ../src/processes.ts).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { bundle, sleep, start } from '../src/processes.js';
import { cli, TINY } from '../src/training-kills.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-run-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !ok(); i++) await sleep(25);
  expect(ok()).toBe(true);
}

it('a second run on a folder in use refuses, naming the first; once the first is SIGKILLed, --resume takes its lock over', async () => {
  const script = await bundle(cli);
  const run = join(dir, 'shared');
  const long = [...TINY, '--epochs', '400']; // keeps the first run busy while the second tries (the last value counts)
  const first = start(script, ['train', '--out', run, ...long]);
  await until(() => existsSync(join(run, 'config.json')));
  for (const args of [['--out', run, ...long], ['--resume', run]]) {
    const second = start(script, ['train', ...args]);
    expect((await second.exited).code).toBe(2);
    expect(second.stderr()).toMatch(new RegExp(`^error: ${args[0]}: ${run} is in use by another run \\(pid ${first.proc.pid}\\); wait for it to finish or stop it`));
    expect(second.stderr().trim().split('\n')).toHaveLength(1);
    expect(second.lines.join('')).toBe('');
  }
  expect(first.proc.exitCode).toBe(null); // still running
  first.proc.kill('SIGKILL');
  await first.exited;
  expect(existsSync(join(run, '.lock'))).toBe(true); // left behind by the killed run
  const resumed = start(script, ['train', '--resume', run, '--max-steps', '1']); // the lock is what matters here
  expect((await resumed.exited).code, resumed.stderr()).toBe(0);
  expect(existsSync(join(run, '.lock'))).toBe(false);
  expect(existsSync(join(run, 'report.html'))).toBe(true);
}, 180_000);

it('a folder the user may not write to: one line, exit 2, before any work', async () => {
  const script = await bundle(cli);
  const locked = join(dir, 'not-yours');
  mkdirSync(locked);
  chmodSync(locked, 0o555); // no one may write, the owner included (root too: the child runs without capabilities)
  for (const out of [locked, join(locked, 'run')]) {
    const c = start(script, ['train', '--out', out, ...TINY], {}, { enforcePermissions: true });
    expect((await c.exited).code, c.stderr()).toBe(2);
    expect(c.stderr().trim()).toMatch(new RegExp(`^error: --out: cannot write to ${out}: permission denied \\(the folder is not writable\\) \\(usage:`));
    expect(c.lines.join('')).toBe('');
  }
}, 180_000);
