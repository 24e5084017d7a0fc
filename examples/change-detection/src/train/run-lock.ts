/**
 * One writer per run folder. A run takes `<runDir>/.lock` before it writes anything: the file holds
 * the owner's pid (and, on Linux, its start time, so that a recycled pid is not taken for the
 * owner). A second run on the same folder refuses with a UsageError naming the owner; a lock whose
 * owner is gone (killed, crashed) is taken over. Holding the lock, the run also removes the
 * temporary files that a killed writer left (`*.tmp`): no other process writes there.
 */
import { closeSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../io/folders.js';
import { UsageError } from './errors.js';

interface Owner {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat), when known. */
  started: number | null;
}

function startTime(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const v = Number(fields[19]);
    return Number.isFinite(v) ? v : null;
  } catch {
    return null;
  }
}

function alive(o: Owner): boolean {
  try {
    process.kill(o.pid, 0);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EPERM') return false;
  }
  const now = startTime(o.pid);
  return o.started === null || now === null || now === o.started;
}

function readOwner(path: string): Owner | null {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as Partial<Owner>;
    return Number.isSafeInteger(o.pid) && o.pid! > 0 ? { pid: o.pid!, started: typeof o.started === 'number' ? o.started : null } : null;
  } catch {
    return null; // unreadable or half-written by a writer that died: nobody owns it
  }
}

/** What an fs error on the run folder means, as a one-line UsageError. */
export function folderError(option: string, runDir: string, err: unknown): UsageError {
  const code = (err as { code?: unknown } | null)?.code;
  const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied (the folder is not writable)'
    : code === 'ENOTDIR' || code === 'EEXIST' ? 'a part of the path is a file, not a folder'
      : code === 'ENOENT' ? 'the folder cannot be made there (no such file or directory)'
        : code === 'ENOSPC' ? 'no space left on the device'
          : (err as Error).message;
  return new UsageError(`${option}: cannot write to ${runDir}: ${why}`);
}

export interface RunLock {
  /** Removes the lock file (idempotent). */
  release(): void;
}

/** Takes the lock of `runDir` (created if missing) or throws a UsageError; see the file comment. */
export function acquireRunLock(runDir: string, option = '--out'): RunLock {
  const path = join(runDir, '.lock');
  const me: Owner = { pid: process.pid, started: startTime(process.pid) };
  try {
    makeFolder(runDir);
  } catch (err) {
    throw folderError(option, runDir, err);
  }
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw folderError(option, runDir, err);
      const owner = readOwner(path);
      if (owner !== null && alive(owner)) {
        throw new UsageError(`${option}: ${runDir} is in use by another run (pid ${owner.pid}); wait for it to finish or stop it, then try again`);
      }
      if (attempt > 3) throw new UsageError(`${option}: cannot take the lock of ${runDir} (${path} keeps coming back)`);
      rmSync(path, { force: true }); // its owner is gone: take it over
      continue;
    }
    try {
      writeSync(fd, `${JSON.stringify(me)}\n`);
    } finally {
      closeSync(fd);
    }
    break;
  }
  removeStaleTemps(runDir);
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readOwner(path)?.pid === process.pid) rmSync(path, { force: true });
  };
  process.on('exit', release); // also on process.exit (a second Ctrl-C)
  return { release };
}

/** Runs `fn` holding the lock of `runDir` (see acquireRunLock), released however `fn` ends. */
export async function withRunLock<T>(runDir: string, option: string, fn: () => Promise<T>): Promise<T> {
  const lock = acquireRunLock(runDir, option);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

/** Removes every `*.tmp` file in the run folder and its subfolders (a lock holder's privilege). */
function removeStaleTemps(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) removeStaleTemps(p);
    else if (e.name.endsWith('.tmp')) rmSync(p, { force: true });
  }
}
