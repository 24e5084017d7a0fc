/**
 * The wasm backend's worker pool under faults: garbage settings give a clear error; a process that
 * uses the pool ends by itself (done, thrown, rejected, its workers dead at start-up, a trap inside
 * a worker); dispose gives the threads back; no child is left behind as a zombie (checked with ps).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createWasmKernels, resolveRelaxed, resolveThreads } from '../../core/src/kernels/wasm/index.js';
import { bundle, sleep, start, type Child } from '../src/processes.js';

const child = fileURLToPath(new URL('../src/children/pool-user.ts', import.meta.url));
const pids: number[] = [];

function withEnv<T>(name: string, value: string, f: () => T): T {
  const old = process.env[name];
  process.env[name] = value;
  try {
    return f();
  } finally {
    if (old === undefined) delete process.env[name];
    else process.env[name] = old;
  }
}

describe('garbage settings: a clear error naming the setting and the value', () => {
  it.each(['0', '-1', '1.5', '257', '1e9', 'abc', '0x10', '2.0', 'NaN', '∞'])('TESSERA_THREADS=%s', (v) => {
    expect(() => withEnv('TESSERA_THREADS', v, () => resolveThreads())).toThrow(`wasm kernels: TESSERA_THREADS must be an integer in [1, 256], got ${v}`);
  });

  it('accepts a decimal count in range (spaces allowed) and reads an empty value as unset', () => {
    expect(withEnv('TESSERA_THREADS', ' 3 ', () => resolveThreads())).toBe(3);
    expect(withEnv('TESSERA_THREADS', '256', () => resolveThreads())).toBe(256);
    expect(withEnv('TESSERA_THREADS', '', () => resolveThreads())).toBeGreaterThanOrEqual(1);
  });

  it.each([0, -2, 0.5, 257, 1e9, Number.NaN, Number.POSITIVE_INFINITY])('option threads: %s', (n) => {
    expect(() => createWasmKernels({ threads: n })).toThrow(`createWasmKernels: threads must be an integer in [1, 256], got ${n}`);
  });

  it.each(['2', 'yes', 'true'])('TESSERA_WASM_RELAXED=%s', (v) => {
    expect(() => withEnv('TESSERA_WASM_RELAXED', v, () => resolveRelaxed())).toThrow(`wasm kernels: TESSERA_WASM_RELAXED must be 0 or 1, got ${v}`);
  });

  it('TESSERA_BACKEND=bogus stops the process at import with the registered names; TESSERA_THREADS=abc at the first kernel', async () => {
    const script = await bundle(child);
    const bogus = start(script, ['done'], { TESSERA_BACKEND: 'bogus' });
    expect((await bogus.exited).code).toBe(1);
    expect(bogus.stderr()).toContain("TESSERA_BACKEND: unknown backend 'bogus' (registered: js, wasm)");
    const abc = start(script, ['done'], { TESSERA_THREADS: 'abc' });
    expect((await abc.exited).code).toBe(1);
    expect(abc.stderr()).toContain('wasm kernels: TESSERA_THREADS must be an integer in [1, 256], got abc');
    pids.push(bogus.proc.pid!, abc.proc.pid!);
  });
});

/** Waits for the child to exit by itself (at most 30 s; then it is killed and the test fails). */
async function ends(c: Child): Promise<{ code: number | null; seconds: number }> {
  const t0 = performance.now();
  const timeout = sleep(30_000).then(() => 'timeout' as const);
  const r = await Promise.race([c.exited, timeout]);
  if (r === 'timeout') {
    c.proc.kill('SIGKILL');
    throw new Error(`the process did not end by itself within 30 s: ${c.lines.join(' | ')}`);
  }
  pids.push(c.proc.pid!);
  return { code: r.code, seconds: (performance.now() - t0) / 1000 };
}

describe('a process using the wasm worker pool ends by itself', () => {
  const threadsOf = (c: Child): number[] => c.lines.filter((l) => l.startsWith('threads ')).map((l) => Number(l.slice(8)));

  it.each([
    ['done', 0, null],
    ['throw', 1, 'Error: pool-user: thrown after a pooled job'],
    ['reject', 1, 'Error: pool-user: rejected after a pooled job'],
    ['worker-error', 0, null],
    ['item-trap', 1, 'Error: wasm worker pool: a kernel item failed in a worker thread'],
  ])('%s', async (mode, code, message) => {
    const c = start(await bundle(child), [mode]);
    const r = await ends(c);
    expect(r.code, c.stderr()).toBe(code);
    if (message !== null) expect(c.stderr()).toContain(message);
    if (mode === 'worker-error') expect(c.lines).toContain('items 4000'); // the caller ran every item
    if (mode === 'done') expect(threadsOf(c)[1]).toBeGreaterThan(threadsOf(c)[0]!); // the pools did start workers
  });

  it('dispose gives the worker threads back', async () => {
    const c = start(await bundle(child), ['dispose']);
    expect((await ends(c)).code).toBe(0);
    const [before, during, after] = threadsOf(c);
    expect(during).toBe(before! + 2); // a 3-thread pool: 2 workers
    expect(after).toBe(before);
  });
});

afterAll(() => {
  // No child left as a zombie (or at all): ps knows none of their pids, and none of ours is <defunct>.
  const ps = spawnSync('ps', ['-eo', 'pid=,ppid=,stat='], { encoding: 'utf8' });
  const rows = ps.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  expect(rows.filter(([pid]) => pids.includes(Number(pid)))).toEqual([]);
  expect(rows.filter(([, ppid, stat]) => Number(ppid) === process.pid && stat!.startsWith('Z'))).toEqual([]);
  expect(pids.length).toBe(8);
});
