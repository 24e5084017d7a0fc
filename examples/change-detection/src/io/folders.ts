/**
 * `mkdir -p` that cannot hang. Node 20's `mkdirSync(p, { recursive: true })` loops for ever on a
 * path under /proc (mkdir answers ENOENT although the parent exists, and it steps back and forth):
 * `--out /proc/x/run` would freeze the CLI. This walk makes each missing folder once, top down, and
 * lets the first failure through (ENOENT, EACCES, ENOTDIR, ...) for the caller to explain.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeFolder(path: string): void {
  const missing: string[] = [];
  for (let p = resolve(path); !existsSync(p); p = dirname(p)) {
    missing.push(p);
    if (dirname(p) === p) break;
  }
  for (const p of missing.reverse()) {
    try {
      mkdirSync(p);
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'EEXIST') throw err; // made by someone else meanwhile
    }
  }
}
