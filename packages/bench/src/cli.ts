/**
 * `pnpm bench`: the workloads of WORKLOADS.md on every registered Tessera backend (and, for wasm,
 * 1 and 2 threads) and on TF.js 4.22's wasm and cpu backends, one child process per run.
 *
 *   pnpm bench [--quick] [--full] [--only segstep,conv,ce] [--json out.json] [--warmup N] [--steps N]
 *
 * Each run warms up for at least N steps (default 3) and 1 s, then times at least N steps (default
 * 10) and 2 s (at most 400 steps); --quick: 1 + 3 steps, no minimum times.
 *
 * --quick    1 warm-up + 3 timed steps (for trying things; below the documented protocol)
 * --full     also run TF.js cpu on segstep and conv (minutes per step)
 * --only     comma-separated workloads
 * --json     write every figure, with the machine, to a file
 */
import { execFileSync, spawn } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listBackends } from '@tessera/core';
import { emptyResult, MAX_STEPS, RESULT_MARKER, type BenchResult, type ConfigSpec, type TimingOptions } from './harness.js';
import { CE, WORKLOAD_NAMES, convForwardFlops, segstepForwardFlops, workloadFlops, type WorkloadName } from './workloads.js';

interface CliOptions {
  quick: boolean;
  full: boolean;
  only: WorkloadName[];
  json: string | null;
  timing: TimingOptions;
}

function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {
    quick: false, full: false, only: [...WORKLOAD_NAMES], json: null, timing: { warmup: 3, steps: 10, warmupMs: 1000, minMs: 2000 },
  };
  let warmup: number | null = null;
  let steps: number | null = null;
  const intArg = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`bench: ${flag} needs a non-negative integer, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue; // pnpm passes it through
    else if (a === '--quick') opts.quick = true;
    else if (a === '--full') opts.full = true;
    else if (a === '--only') {
      const list = (argv[++i] ?? '').split(',').filter((s) => s.length > 0);
      const bad = list.filter((w) => !(WORKLOAD_NAMES as readonly string[]).includes(w));
      if (list.length === 0 || bad.length > 0) throw new Error(`bench: --only takes ${WORKLOAD_NAMES.join(',')}; got '${argv[i] ?? ''}'`);
      opts.only = list as WorkloadName[];
    } else if (a === '--json') {
      const p = argv[++i];
      if (!p) throw new Error('bench: --json needs a path');
      opts.json = path.resolve(process.env['INIT_CWD'] ?? process.cwd(), p);
    } else if (a === '--warmup') warmup = intArg(a, argv[++i]);
    else if (a === '--steps') steps = intArg(a, argv[++i]);
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: pnpm bench [--quick] [--full] [--only segstep,conv,ce] [--json out.json] [--warmup N] [--steps N]\n');
      process.exit(0);
    } else throw new Error(`bench: unknown argument '${a}' (try --help)`);
  }
  opts.timing = {
    warmup: warmup ?? (opts.quick ? 1 : 3), steps: steps ?? (opts.quick ? 3 : 10),
    warmupMs: opts.quick ? 0 : 1000, minMs: opts.quick ? 0 : 2000,
  };
  if (opts.timing.steps < 1) throw new Error('bench: --steps must be at least 1');
  return opts;
}

/** Tessera backends that take a thread count (TESSERA_THREADS). */
const THREADED_BACKENDS = new Set(['wasm']);

function configs(): ConfigSpec[] {
  const out: ConfigSpec[] = [];
  for (const backend of listBackends()) {
    if (THREADED_BACKENDS.has(backend)) {
      for (const threads of [1, 2]) {
        out.push({ id: `tessera-${backend}-t${threads}`, kind: 'tessera', backend, threads, label: `Tessera ${backend}, ${threads} thread${threads > 1 ? 's' : ''}` });
      }
    } else {
      out.push({ id: `tessera-${backend}`, kind: 'tessera', backend, threads: null, label: `Tessera ${backend}` });
    }
  }
  out.push(
    { id: 'tfjs-wasm', kind: 'tfjs', backend: 'wasm', threads: 1, label: 'TF.js 4.22 wasm (SIMD, 1 thread)' },
    { id: 'tfjs-wasm-fwdconv', kind: 'tfjs', backend: 'wasm-fwdconv', threads: 1, label: 'TF.js 4.22 wasm, conv grads as fwd convs' },
    { id: 'tfjs-cpu', kind: 'tfjs', backend: 'cpu', threads: 1, label: 'TF.js 4.22 cpu (pure JS)' },
  );
  return out;
}

const LEGEND = [
  '  tessera-<backend>[-t<threads>]: every backend listBackends() reports; wasm at TESSERA_THREADS=1 and 2',
  '  tfjs-wasm: TF.js as shipped, plus the one kernel it lacks for a conv backward (Conv2DBackpropFilter),',
  '             routed through its own Conv3DBackpropFilterV2 kernel (as WORKLOADS.md measured it)',
  '  tfjs-wasm-fwdconv: both conv gradients rewritten as XNNPACK forward convs (our workaround, not shipped;',
  '             the fastest TF.js wasm configuration we found)',
  '  tfjs-cpu: TF.js pure-JS backend; TF.js wasm runs one thread in Node (no multithreaded build there)',
  '',
].join('\n');

/** TF.js cpu runs that take minutes a step; skipped unless --full. Figures from WORKLOADS.md. */
const TFJS_CPU_SLOW: Partial<Record<WorkloadName, string>> = {
  segstep: 'skipped (≈231 s/step measured, see WORKLOADS.md)',
  conv: 'skipped (≈107 s/step measured, see WORKLOADS.md)',
};

function runChild(config: ConfigSpec, workload: WorkloadName, timing: TimingOptions): Promise<BenchResult> {
  const childPath = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child.ts');
  const env = { ...process.env };
  if (config.kind === 'tessera') {
    env['TESSERA_BACKEND'] = config.backend;
    if (config.threads !== null) env['TESSERA_THREADS'] = String(config.threads);
    else delete env['TESSERA_THREADS'];
  }
  // process.execArgv carries tsx's loader flags, so the child runs TypeScript the same way.
  const args = [
    ...process.execArgv, childPath, JSON.stringify(config), workload,
    String(timing.warmup), String(timing.steps), String(timing.warmupMs), String(timing.minMs),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (line) {
        resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as BenchResult);
        return;
      }
      const why = stderr.trim().split('\n').slice(-3).join(' | ') || `exit code ${code}`;
      resolve(emptyResult(config, workload, 'error', `child failed: ${why}`, workloadFlops(workload)?.step ?? null, timing));
    });
  });
}

const fmtMs = (ms: number | null): string =>
  ms === null ? '—' : ms >= 100 ? Math.round(ms).toLocaleString('en-US') : ms.toFixed(1);
const fmtNum = (x: number | null, digits = 2): string => (x === null ? '—' : x.toFixed(digits));

/** The commit benchmarked, with '+dirty' when the packages have uncommitted changes. */
function revision(): string {
  try {
    const git = (...args: string[]): string => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return git('rev-parse', '--short', 'HEAD') + (git('status', '--porcelain', '--', ':(top)packages') === '' ? '' : '+dirty');
  } catch {
    return 'unknown';
  }
}

function machine(): Record<string, string | number> {
  return {
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
}

function resultTable(workload: WorkloadName, results: readonly BenchResult[]): string {
  const rows = ['| configuration | median ms | min ms | GFLOP/s | steps | note |', '|---|---:|---:|---:|---:|---|'];
  for (const r of results) {
    const note = r.status === 'ok' ? (r.note ?? '') : r.status === 'skipped' ? r.note ?? 'skipped' : `ERROR: ${r.note ?? ''}`;
    const gf = workload === 'ce' ? 'n/a' : fmtNum(r.gflops);
    rows.push(`| ${r.config.label} | ${fmtMs(r.medianMs)} | ${fmtMs(r.minMs)} | ${gf} | ${r.status === 'ok' ? r.steps : '—'} | ${note} |`);
  }
  return rows.join('\n');
}

/** Ratios "TF.js median / Tessera median": above 1 means Tessera is faster. */
function ratioTable(workload: WorkloadName, results: readonly BenchResult[]): string | null {
  const ours = results.filter((r) => r.config.kind === 'tessera' && r.status === 'ok');
  const theirs = results.filter((r) => r.config.kind === 'tfjs' && r.status === 'ok');
  if (ours.length === 0 || theirs.length === 0) return null;
  const rows = [
    `| ${workload}: TF.js time ÷ Tessera time | ${theirs.map((t) => t.config.id).join(' | ')} |`,
    `|---|${theirs.map(() => '---:').join('|')}|`,
  ];
  for (const o of ours) {
    rows.push(`| ${o.config.label} | ${theirs.map((t) => `${fmtNum((t.medianMs as number) / (o.medianMs as number))}×`).join(' | ')} |`);
  }
  return rows.join('\n');
}

function summaryTable(workloads: readonly WorkloadName[], all: readonly BenchResult[], cfgs: readonly ConfigSpec[]): string {
  const rows = [`| median ms per step | ${workloads.join(' | ')} |`, `|---|${workloads.map(() => '---:').join('|')}|`];
  for (const c of cfgs) {
    const cells = workloads.map((w) => {
      const r = all.find((x) => x.config.id === c.id && x.workload === w);
      if (!r) return '—';
      if (r.status === 'skipped') return 'skipped';
      if (r.status === 'error') return 'error';
      return fmtMs(r.medianMs);
    });
    rows.push(`| ${c.label} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const cfgs = configs();
  const m = machine();
  const say = (s: string): void => { process.stdout.write(s + '\n'); };
  say(`# Tessera benchmarks — ${m['date']}, commit ${m['commit']}`);
  say(`machine: ${m['cpu']}, ${m['cores']} cores, ${m['memoryGiB']} GiB, ${m['platform']}, node ${m['node']}, load average ${m['loadavg1AtStart']} at start`);
  say(
    `protocol: at least ${opts.timing.warmup} warm-up steps and ${opts.timing.warmupMs / 1000} s, then at least ${opts.timing.steps} ` +
      `timed steps and ${opts.timing.minMs / 1000} s (at most ${MAX_STEPS}), one process per run` +
      `${opts.quick ? ' (--quick: fewer steps than the documented protocol)' : ''}`,
  );
  say(`FLOPs (multiply-add = 2, conv multiply-adds only, fwd+bwd = 3 × fwd): ` +
    `segstep ${(segstepForwardFlops() / 1e9).toFixed(3)} GFLOP forward / ${((workloadFlops('segstep')?.step ?? 0) / 1e9).toFixed(3)} per step; ` +
    `conv ${(convForwardFlops() / 1e9).toFixed(3)} / ${((workloadFlops('conv')?.step ?? 0) / 1e9).toFixed(3)}; ` +
    `ce: memory-bound, no GFLOP/s (logits [${CE.batch}, ${CE.classes}, ${CE.size}, ${CE.size}])`);
  say(`configurations: ${cfgs.map((c) => c.id).join(', ')}`);
  say(LEGEND);

  const all: BenchResult[] = [];
  for (const workload of opts.only) {
    const results: BenchResult[] = [];
    for (const config of cfgs) {
      const slow = config.id === 'tfjs-cpu' ? TFJS_CPU_SLOW[workload] : undefined;
      if (slow && !opts.full) {
        results.push(emptyResult(config, workload, 'skipped', `${slow}; --full runs it`, workloadFlops(workload)?.step ?? null));
        continue;
      }
      if (config.id === 'tfjs-wasm-fwdconv' && workload === 'ce') {
        results.push(emptyResult(config, workload, 'skipped', 'same as tfjs-wasm (ce has no conv)', null));
        continue;
      }
      process.stderr.write(`  running ${workload} on ${config.id} ...`);
      const t0 = performance.now();
      const r = await runChild(config, workload, opts.timing);
      process.stderr.write(` ${r.status === 'ok' ? `${fmtMs(r.medianMs)} ms/step` : r.status} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
      results.push(r);
    }
    all.push(...results);
    say(`## ${workload}\n`);
    say(resultTable(workload, results));
    const ratios = ratioTable(workload, results);
    if (ratios) say('\n' + ratios);
    say('');
  }
  say('## Summary\n');
  say(summaryTable(opts.only, all, cfgs));
  m['loadavg1AtEnd'] = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  say(`\nload average ${m['loadavg1AtEnd']} at the end (2 cores: above ~2 means other work shared the CPU)`);

  if (opts.json) {
    const doc = { machine: m, protocol: { ...opts.timing, quick: opts.quick, full: opts.full }, flops: Object.fromEntries(opts.only.map((w) => [w, workloadFlops(w)])), results: all };
    const tmp = `${opts.json}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
    renameSync(tmp, opts.json);
    say(`\nwrote ${opts.json}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
