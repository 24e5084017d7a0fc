/**
 * One (configuration, workload) run in its own process: Tessera and TF.js in a Node child
 * (child.ts, under the same tsx loader as this process), PyTorch in torch_runner.py. The child
 * prints one result line (harness.ts's RESULT_MARKER); a child that prints none is an error row.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyResult, RESULT_MARKER, type BenchResult, type ConfigSpec, type TimingOptions } from './harness.js';
import { workloadFlops, type WorkloadName } from './workloads.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ChildOptions {
  timing: TimingOptions;
  /** The Python with torch (PyTorch configurations). */
  python: string;
  /** The manifest of the workload's inputs for PyTorch (torch-inputs.ts). */
  manifest: string | null;
  /** Extra arguments (profile mode). */
  extra?: readonly string[];
}

/** The command line of a run. */
function command(config: ConfigSpec, workload: WorkloadName, o: ChildOptions): { file: string; args: string[]; env: NodeJS.ProcessEnv } {
  const t = o.timing;
  const counts = [String(t.warmup), String(t.steps), String(t.warmupMs), String(t.minMs)];
  const env = { ...process.env };
  if (config.kind === 'torch') {
    if (!o.manifest) throw new Error('bench: a PyTorch run needs the inputs manifest');
    const spec = { ...config, stepFlops: workloadFlops(workload)?.step ?? null };
    return { file: o.python, args: [path.join(here, 'torch_runner.py'), JSON.stringify(spec), workload, ...counts, o.manifest, ...(o.extra ?? [])], env };
  }
  if (config.kind === 'tessera') {
    env['TESSERA_BACKEND'] = config.backend;
    if (config.threads !== null) env['TESSERA_THREADS'] = String(config.threads);
    else delete env['TESSERA_THREADS'];
  }
  // process.execArgv carries tsx's loader flags, so the child runs TypeScript the same way.
  const child = config.root ? path.join(config.root, 'packages', 'bench', 'src', 'child.ts') : path.join(here, 'child.ts');
  return { file: process.execPath, args: [...process.execArgv, child, JSON.stringify(config), workload, ...counts, ...(o.extra ?? [])], env };
}

/** Runs the child and returns its stdout, stderr and exit code. */
export function spawnRun(config: ConfigSpec, workload: WorkloadName, o: ChildOptions): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const { file, args, env } = command(config, workload, o);
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', (e) => { stderr += `\n${e.message}`; });
    child.on('close', (code) => resolve({ stdout, stderr, code }));
  });
}

/** The line after `marker` in a child's stdout, parsed, or null. */
export function markedJson<T>(stdout: string, marker: string): T | null {
  const line = stdout.split('\n').find((l) => l.startsWith(marker));
  return line ? (JSON.parse(line.slice(marker.length)) as T) : null;
}

export async function runChild(config: ConfigSpec, workload: WorkloadName, o: ChildOptions): Promise<BenchResult> {
  const { stdout, stderr, code } = await spawnRun(config, workload, o);
  const result = markedJson<BenchResult>(stdout, RESULT_MARKER);
  if (result) return result;
  const why = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
  return emptyResult(config, workload, 'error', `child failed: ${why}`, workloadFlops(workload)?.step ?? null, o.timing);
}
