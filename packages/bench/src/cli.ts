/**
 * `pnpm bench`: the workloads (workloads.ts) on Tessera's wasm backend at 1 and 2 threads and, when
 * `python3 -c 'import torch'` works, on PyTorch at the same thread counts, interleaved round-robin
 * (every configuration once per round, ≥ 3 rounds) so that the machine's drift hits both alike;
 * prints Tessera ÷ PyTorch per workload with the per-round spread and the load average.
 *
 *   pnpm bench [--quick] [--rounds N] [--only w1,w2] [--js] [--tfjs] [--full] [--no-torch]
 *              [--json out.json] [--warmup N] [--steps N] [--threads 1,2] [--baseline DIR]
 *   pnpm bench --profile [workload] [--threads 1,2]   where a step goes, per op (profile.ts)
 *
 * Each run warms up for at least N steps (default 3) and 1 s, then times at least N steps (default
 * 10) and 2 s (at most 400 steps); --quick: 1 + 3 steps, no minimum times, 1 round. --baseline DIR
 * adds the wasm backend of another checkout (an earlier commit: `git worktree add --detach DIR
 * <commit>`, then `pnpm install` there) as `base-wasm-t<threads>`, in the same rounds, and prints
 * Tessera ÷ baseline: a before/after comparison measured in one interleaved run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, type CliOptions } from './args.js';
import { configs, LEGEND, pythonPath, skipReason, torchAvailable } from './configs.js';
import { emptyResult, MAX_STEPS, type ConfigSpec } from './harness.js';
import { machine } from './machine.js';
import { runProfile } from './profile.js';
import { firstStepMismatches, fmtMs, ratioRows, ratioTable, roundTable, type RoundResult } from './report.js';
import { runChild } from './run-child.js';
import { writeTorchInputs } from './torch-inputs.js';
import { CE, convForwardFlops, segstepForwardFlops, smallsegForwardFlops, workloadFlops } from './workloads.js';

const say = (s: string): void => { process.stdout.write(s + '\n'); };

/** The commit a --baseline checkout is at, as `git log --oneline` shows it (or why not). */
function baselineCommit(dir: string): string {
  const r = spawnSync('git', ['-C', dir, 'log', '-1', '--format=%h %s'], { encoding: 'utf8' });
  return r.status === 0 ? `${dir} at ${r.stdout.trim().slice(0, 100)}` : `${dir} (not a git checkout)`;
}
const load1 = (): number => Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
const gflop = (x: number): string => (x / 1e9).toFixed(3);

async function bench(opts: CliOptions, python: string, torch: boolean, inputsDir: string): Promise<void> {
  const cfgs = configs({ js: opts.js, tfjs: opts.tfjs, torch, threads: opts.threads, baseline: opts.baseline });
  const m = machine();
  say(`# Tessera benchmarks — ${m['date']}, commit ${m['commit']}`);
  say(`machine: ${m['cpu']}, ${m['cores']} cores, ${m['memoryGiB']} GiB, ${m['platform']}, node ${m['node']}, load average ${m['loadavg1AtStart']} at start`);
  say(
    `protocol: ${opts.rounds} round${opts.rounds > 1 ? 's' : ''}, every configuration once per round (round-robin, one process per run); ` +
      `each run at least ${opts.timing.warmup} warm-up steps and ${opts.timing.warmupMs / 1000} s, then at least ${opts.timing.steps} ` +
      `timed steps and ${opts.timing.minMs / 1000} s (at most ${MAX_STEPS})${opts.quick ? ' (--quick: below the documented protocol)' : ''}`,
  );
  say(`FLOPs (multiply-add = 2, conv multiply-adds only, fwd+bwd = 3 × fwd): segstep ${gflop(segstepForwardFlops())} forward / ` +
    `${gflop(workloadFlops('segstep')?.step ?? 0)} per step; conv ${gflop(convForwardFlops())} / ${gflop(workloadFlops('conv')?.step ?? 0)}; ` +
    `smallseg ${gflop(smallsegForwardFlops())} / ${gflop(3 * smallsegForwardFlops())}; ce, ce4, ce8: memory-bound, no GFLOP/s ` +
    `(logits [${CE.batch}, C, ${CE.size}, ${CE.size}])`);
  say(torch ? `PyTorch: ${m['torch'] ?? ''} via ${python}` : `PyTorch: not run (${m['torchMissing'] ?? 'disabled'}); Tessera only`);
  if (opts.baseline) say(`baseline: ${baselineCommit(opts.baseline)} (base-wasm-t<threads>)`);
  say(`configurations: ${cfgs.map((c) => c.id).join(', ')}`);
  say(LEGEND);

  const runs: RoundResult[] = [];
  for (const workload of opts.only) {
    const manifest = torch ? writeTorchInputs(workload, path.join(inputsDir, workload)) : null;
    for (let round = 1; round <= opts.rounds; round++) {
      // Rotate the starting configuration each round, so no configuration always runs first.
      const order = cfgs.map((_, i) => cfgs[(i + round - 1) % cfgs.length] as ConfigSpec);
      for (const config of order) {
        const load = load1();
        const skip = skipReason(config, workload, opts.full);
        if (skip) { runs.push({ round, load, result: emptyResult(config, workload, 'skipped', skip, null) }); continue; }
        process.stderr.write(`  ${workload} round ${round}: ${config.id} (load ${load.toFixed(2)}) ...`);
        const t0 = performance.now();
        const result = await runChild(config, workload, { timing: opts.timing, python, manifest });
        process.stderr.write(` ${result.status === 'ok' ? `${fmtMs(result.medianMs)} ms/step` : result.status} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
        runs.push({ round, load, result });
      }
    }
    say(`## ${workload}\n`);
    say(roundTable(workload, runs, cfgs));
    say('');
  }
  const rows = ratioRows(opts.only, runs);
  if (rows.length > 0) {
    say('## Tessera wasm ÷ PyTorch (below 1: Tessera faster)\n');
    say(ratioTable(rows));
    for (const w of firstStepMismatches(rows)) say(`WARNING: ${w}`);
    say('');
  }
  const baseRows = opts.baseline ? ratioRows(opts.only, runs, 'base-wasm') : [];
  if (baseRows.length > 0) {
    say('## Tessera wasm ÷ the baseline (below 1: this commit faster)\n');
    say(ratioTable(baseRows, 'baseline'));
    for (const w of firstStepMismatches(baseRows)) say(`WARNING: ${w.replace('PyTorch', 'the baseline')}`);
    say('');
  }
  m['loadavg1AtEnd'] = load1();
  say(`load average ${m['loadavg1AtEnd']} at the end (2 cores: above ~2 means other work shared the CPU)`);
  if (opts.json) {
    const doc = { machine: m, protocol: { ...opts.timing, rounds: opts.rounds, quick: opts.quick }, flops: Object.fromEntries(opts.only.map((w) => [w, workloadFlops(w)])), ratios: rows, runs };
    const tmp = `${opts.json}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(doc, null, 1) + '\n');
    renameSync(tmp, opts.json);
    say(`wrote ${opts.json}`);
  }
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.baseline && !existsSync(path.join(opts.baseline, 'packages', 'bench', 'src', 'child.ts'))) {
    throw new Error(`bench: --baseline ${opts.baseline} has no packages/bench/src/child.ts (give a checkout of this repository, installed)`);
  }
  const python = pythonPath();
  const probe = opts.torch ? torchAvailable(python) : { ok: false as const, why: '--no-torch' };
  if (!probe.ok) process.stderr.write(`bench: PyTorch is not available (${probe.why}); running Tessera only\n`);
  machine()['torch'] = probe.ok ? probe.version : undefined;
  if (!probe.ok) machine()['torchMissing'] = probe.why;
  const inputsDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-'));
  try {
    if (opts.profile) await runProfile(opts.profile, { python, torch: probe.ok, inputsDir, steps: opts.profileSteps, threads: opts.profileThreads });
    else await bench(opts, python, probe.ok, inputsDir);
  } finally {
    rmSync(inputsDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
