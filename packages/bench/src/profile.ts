/**
 * `pnpm bench --profile [workload]`: where a step goes, on Tessera's wasm backend (per op, forward
 * and backward, and per kernel; tessera-profile.ts) and on PyTorch (torch.profiler: per phase and
 * per op by self CPU time; torch_runner.py), both at each thread count of `--threads` (default 2),
 * one after the other, with the load.
 */
import os from 'node:os';
import path from 'node:path';
import { PROFILE_MARKER, type ConfigSpec } from './harness.js';
import { fmtMs } from './report.js';
import { markedJson, spawnRun } from './run-child.js';
import type { ProfileLine, TesseraProfile } from './tessera-profile.js';
import { writeTorchInputs } from './torch-inputs.js';
import type { WorkloadName } from './workloads.js';

interface TorchProfile {
  stepMs: number;
  threads: number;
  phases: Record<string, number>;
  ops: { name: string; selfMs: number; calls: number }[];
}

export interface ProfileOptions {
  python: string;
  torch: boolean;
  inputsDir: string;
  steps: number;
  /** Thread counts to profile at, one after the other. */
  threads: readonly number[];
}

const say = (s: string): void => { process.stdout.write(s + '\n'); };
const pct = (x: number, of: number): string => `${((100 * x) / of).toFixed(1)}%`;

function lines(title: string, xs: readonly ProfileLine[], total: number, top: number): string {
  const rows = [`| ${title} | ms/step | share | calls/step |`, '|---|---:|---:|---:|'];
  for (const l of xs.slice(0, top)) rows.push(`| ${l.name} | ${fmtMs(l.ms)} | ${pct(l.ms, total)} | ${l.calls.toFixed(1)} |`);
  const rest = xs.slice(top).reduce((a, l) => a + l.ms, 0);
  if (xs.length > top) rows.push(`| (${xs.length - top} more) | ${fmtMs(rest)} | ${pct(rest, total)} | |`);
  return rows.join('\n');
}

async function child<T>(config: ConfigSpec, workload: WorkloadName, o: ProfileOptions, manifest: string | null): Promise<T> {
  const timing = { warmup: 0, steps: 0, warmupMs: 0, minMs: 0 };
  const { stdout, stderr } = await spawnRun(config, workload, { timing, python: o.python, manifest, extra: ['--profile', String(o.steps)] });
  const p = markedJson<T>(stdout, PROFILE_MARKER);
  if (!p) throw new Error(`bench --profile: ${config.id} printed no profile: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return p;
}

export async function runProfile(workload: WorkloadName, o: ProfileOptions): Promise<void> {
  for (const threads of o.threads) await profileAt(workload, threads, o);
}

async function profileAt(workload: WorkloadName, THREADS: number, o: ProfileOptions): Promise<void> {
  say(`# Where a ${workload} step goes (${o.steps} profiled steps after 3 warm-up steps, ${THREADS} thread${THREADS === 1 ? '' : 's'})`);
  say(`load average ${os.loadavg()[0]?.toFixed(2)} at start\n`);
  const tessera: ConfigSpec = { id: `tessera-wasm-t${THREADS}`, kind: 'tessera', backend: 'wasm', threads: THREADS, label: 'Tessera wasm' };
  const t = await child<TesseraProfile>(tessera, workload, o, null);
  const k = t.kernels.reduce((a, l) => a + l.ms, 0);
  const ph = t.phases;
  say(`## Tessera (${t.backend}, TESSERA_THREADS=${t.threads}): median step ${fmtMs(t.stepMs)} ms`);
  say(`mean per step: forward ${fmtMs(ph.forward)} ms, backward ${fmtMs(ph.backward)} ms, after the backward (optimiser, reading the loss) ` +
    `${fmtMs(ph.after)} ms; GC pauses ${fmtMs(ph.gc)} ms (inside those); in kernels ${fmtMs(k)} ms, outside ${fmtMs(ph.forward + ph.backward + ph.after - k)} ms\n`);
  say('Op time: forward = time since the previous op finished; backward = the node\'s closure, un-broadcasting and accumulation.\n');
  say(lines('op', t.ops, t.stepMs, 25) + '\n');
  say(lines('kernel', t.kernels, t.stepMs, 25) + '\n');
  if (!o.torch) { say('PyTorch: not available; its profile is not shown'); return; }
  const manifest = writeTorchInputs(workload, path.join(o.inputsDir, workload));
  const torch: ConfigSpec = { id: `torch-t${THREADS}`, kind: 'torch', backend: 'cpu', threads: THREADS, label: 'PyTorch' };
  const p = await child<TorchProfile>(torch, workload, o, manifest);
  say(`## PyTorch (torch.profiler, ${p.threads} threads): mean step ${fmtMs(p.stepMs)} ms under the profiler`);
  say(`per step: ${Object.entries(p.phases).map(([n, ms]) => `${n} ${fmtMs(ms)} ms`).join(', ')}\n`);
  say(lines('op (self CPU time)', p.ops.map((x) => ({ name: x.name, ms: x.selfMs, calls: x.calls })), p.stepMs, 25) + '\n');
  say(`load average ${os.loadavg()[0]?.toFixed(2)} at the end`);
}
