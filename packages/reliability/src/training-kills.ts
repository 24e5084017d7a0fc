/**
 * The change-detection training run, killed and resumed. A reference run trains a tiny
 * configuration to the end; then, for each kill, a fresh run of the same configuration gets SIGKILL
 * or SIGINT at a random moment of the reference run's duration, its folder is checked (every file
 * whole), and `train --resume` finishes it. The resumed run must end with exit code 0, the
 * reference's metrics (all but wall-clock times) and byte-identical checkpoints, every file whole,
 * no temporary file and no lock left. A kill before the run folder has its config.json leaves
 * nothing to resume: the run is started again with the same --out (the lock left behind must not
 * stand in the way).
 */
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, seededRandom, sleep, start } from './processes.js';
import { checkRunFolder, type FolderCheck } from './run-folder.js';

export const cli = fileURLToPath(new URL('../../../examples/change-detection/src/cli.ts', import.meta.url));

/** A few seconds of training: 16×16 pairs, 2 epochs of 2 steps, 1 seed, 2 variants. */
export const TINY = [
  '--variants', 'ce,weighted-ce', '--depth', '2', '--width', '4', '--size', '16', '--train', '8', '--val', '4', '--test', '4',
  '--change-fraction', '0.05', '--data-seed', '3', '--epochs', '2', '--batch-size', '4', '--seeds', '1', '--grid-pairs', '2', '--pr-bins', '10',
];

export interface KillOutcome {
  signal: 'SIGKILL' | 'SIGINT';
  atMs: number;
  /** How the killed run ended: a signal, or its exit code (130: stopped by Ctrl-C and wrote what had finished). */
  ended: string;
  /** Whether the kill came before config.json existed (the run was started again, not resumed). */
  restarted: boolean;
  /** Files found whole, and temporary files, right after the kill. */
  afterKill: FolderCheck;
  afterResume: FolderCheck;
}

export interface TrainingKillReport {
  referenceSeconds: number;
  outcomes: KillOutcome[];
  seconds: number;
}

async function run(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const c = start(script, args);
  const { code } = await c.exited;
  return { code, stderr: c.stderr() };
}

interface Metrics {
  rows: Record<string, unknown>[];
  test: unknown[];
}
const timeless = (m: Metrics): unknown => ({ rows: m.rows.map(({ trainSeconds: _t, ...r }) => r), test: m.test });
const metrics = (dir: string): unknown => timeless(JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Metrics);
const CHECKPOINTS = ['checkpoints/ce-seed0.safetensors', 'checkpoints/weighted-ce-seed0.safetensors'];

export async function trainingKillCampaign(signals: ('SIGKILL' | 'SIGINT')[], seed: number, config: string[] = TINY): Promise<TrainingKillReport> {
  const t0 = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'tessera-training-kills-'));
  const script = await bundle(cli);
  const random = seededRandom(seed);
  try {
    const ref = join(root, 'reference');
    const r0 = performance.now();
    const r = await run(script, ['train', '--out', ref, ...config]);
    if (r.code !== 0) throw new Error(`the reference run failed (${r.code}): ${r.stderr}`);
    const referenceMs = performance.now() - r0;
    const expected = metrics(ref);
    const outcomes: KillOutcome[] = [];
    for (const [i, signal] of signals.entries()) {
      const dir = join(root, `kill-${i}`);
      const atMs = random(Math.ceil(referenceMs));
      const c = start(script, ['train', '--out', dir, ...config]);
      await sleep(atMs);
      c.proc.kill(signal);
      const exit = await c.exited;
      const ended = exit.signal ?? `exit ${exit.code}`;
      if (exit.code !== null && exit.code !== 0 && exit.code !== 130) throw new Error(`kill ${i}: the run failed (${ended}): ${c.stderr()}`);
      const afterKill = checkRunFolder(dir);
      const restarted = !existsSync(join(dir, 'config.json'));
      const args = restarted ? ['train', '--out', dir, ...config] : ['train', '--resume', dir];
      const again = await run(script, args);
      if (again.code !== 0) throw new Error(`kill ${i} (${signal} at ${atMs} ms): ${args.join(' ')} failed (${again.code}): ${again.stderr}`);
      const afterResume = checkRunFolder(dir);
      const problems = [...afterKill.broken, ...afterResume.broken, ...afterResume.temps.map((t) => `${t} left after the resumed run`)];
      if (afterResume.lock) problems.push('the lock is left after the resumed run');
      if (JSON.stringify(metrics(dir)) !== JSON.stringify(expected)) problems.push('metrics.json differs from the uninterrupted run');
      for (const f of CHECKPOINTS) if (!readFileSync(join(dir, f)).equals(readFileSync(join(ref, f)))) problems.push(`${f} differs from the uninterrupted run`);
      if (problems.length > 0) throw new Error(`kill ${i} (${signal} at ${atMs} ms, ${ended}):\n  ${problems.join('\n  ')}`);
      outcomes.push({ signal, atMs, ended, restarted, afterKill, afterResume });
      rmSync(dir, { recursive: true, force: true });
    }
    return { referenceSeconds: referenceMs / 1000, outcomes, seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** One line per kill, for the test log and the thorough run. */
export function describeOutcome(o: KillOutcome): string {
  const files = Object.values(o.afterKill.whole).reduce((a, b) => a + b, 0);
  return `${o.signal} at ${o.atMs} ms → ${o.ended}; ${files} files whole${o.afterKill.temps.length ? `, ${o.afterKill.temps.length} temporary left` : ''}` +
    `${o.restarted ? '; no config.json yet: started again' : '; resumed'} → identical metrics and checkpoints`;
}
