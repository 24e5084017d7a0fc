/** The machine and commit a benchmark ran on, recorded once per process (printed and written to --json). */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** The commit benchmarked, with '+dirty' when the packages have uncommitted changes. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', ':(top)packages') === '' ? '' : '+dirty');
  } catch {
    return 'unknown';
  }
}

let record: Record<string, string | number | undefined> | undefined;

/** CPU, cores, memory, OS, Node, date, commit and the load average at the first call; callers may add fields. */
export function machine(): Record<string, string | number | undefined> {
  record ??= {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    node: process.version,
    date: new Date().toISOString(),
    commit: revision(),
    // The machine is shared: the load at the start says how much else was running.
    loadavg1AtStart: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
  return record;
}
