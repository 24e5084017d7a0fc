import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';
import { acquireRunLock } from '../src/train/run-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-run-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const lockOf = (d: string): { pid: number; started: number | null } => JSON.parse(readFileSync(join(d, '.lock'), 'utf8')) as { pid: number; started: number | null };

describe('the run folder lock', () => {
  it('refuses a second run on a folder in use, naming the owner; release frees it', () => {
    const d = join(dir, 'busy');
    const lock = acquireRunLock(d);
    expect(lockOf(d).pid).toBe(process.pid);
    expect(() => acquireRunLock(d)).toThrow(`--out: ${d} is in use by another run (pid ${process.pid}); wait for it to finish or stop it, then try again`);
    lock.release();
    expect(existsSync(join(d, '.lock'))).toBe(false);
    acquireRunLock(d, '--resume').release();
  });

  it.each([
    ['a dead pid', '{"pid":999999999,"started":1}\n'],
    ['a recycled pid (this process, another start time)', `{"pid":${process.pid},"started":-1}\n`],
    ['a half-written lock', '{"pid":12'],
    ['an empty lock', ''],
  ])('takes over a lock left by %s', (_what, content) => {
    const d = join(dir, `stale-${content.length}`);
    mkdirSync(d);
    writeFileSync(join(d, '.lock'), content);
    const lock = acquireRunLock(d);
    expect(lockOf(d).pid).toBe(process.pid);
    lock.release();
  });

  it('removes the temporary files killed writers left, in every subfolder, and nothing else', () => {
    const d = join(dir, 'temps');
    mkdirSync(join(d, 'state'), { recursive: true });
    for (const f of ['metrics.json.123.456.tmp', 'state/.progress.json.123.abc.tmp', 'state/progress.json', 'config.json']) writeFileSync(join(d, f), 'x');
    acquireRunLock(d).release();
    expect(readdirSync(d, { recursive: true }).map(String).sort()).toEqual(['config.json', 'state', 'state/progress.json']);
  });

  it('does not remove a lock another process took over', () => {
    const d = join(dir, 'taken');
    const lock = acquireRunLock(d);
    writeFileSync(join(d, '.lock'), '{"pid":1,"started":null}\n');
    lock.release();
    expect(lockOf(d).pid).toBe(1);
  });
});

describe('an output folder that cannot be written: one line, exit 2, before any work', () => {
  async function train(out: string): Promise<{ code: number; stderr: string; stdout: string }> {
    let stderr = '';
    let stdout = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true));
    vi.spyOn(console, 'log').mockImplementation((s: string) => void (stdout += s));
    const code = await main(['train', '--out', out, '--size', '16', '--depth', '2', '--epochs', '1']);
    return { code, stderr, stdout };
  }

  it.each([
    ['a file in the path', () => { writeFileSync(join(dir, 'file'), 'x'); return join(dir, 'file', 'run'); }, /a part of the path is a file, not a folder/],
    ['a file as the folder', () => join(dir, 'file'), /a part of the path is a file, not a folder/],
    // Node 20's recursive mkdir loops for ever here; the run must answer at once.
    ['a path under /proc', () => `/proc/tessera-${process.pid}/run`, /the folder cannot be made there \(no such file or directory\)/],
    ['a read-only file system (/sys)', () => '/sys/tessera-run', /permission denied \(the folder is not writable\)/],
  ])('%s', async (_what, path, message) => {
    const out = path();
    const r = await train(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^error: --out: cannot write to ${out.replace(/[.]/g, '\\.')}: ${message.source}`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe(''); // nothing was set up or trained
  });
});
