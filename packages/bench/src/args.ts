/** `pnpm bench`'s command line (see cli.ts for the usage). */
import path from 'node:path';
import type { TimingOptions } from './harness.js';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

export interface CliOptions {
  quick: boolean;
  full: boolean;
  js: boolean;
  tfjs: boolean;
  torch: boolean;
  rounds: number;
  only: WorkloadName[];
  json: string | null;
  /** A checkout of an earlier commit (installed) whose Tessera runs as the `base-wasm-t<n>` configurations. */
  baseline: string | null;
  /** Thread counts of the threaded configurations. */
  threads: number[];
  timing: TimingOptions;
  /** Profile mode: the workload to profile, or null for the benchmark. */
  profile: WorkloadName | null;
  profileSteps: number;
  /** Thread counts the profile runs at: those of --threads if given, else 2. */
  profileThreads: number[];
}

export const USAGE = 'usage: pnpm bench [--quick] [--rounds N] [--only ' + WORKLOAD_NAMES.join(',') + '] [--js] [--tfjs] [--full] [--no-torch]\n'
  + '                  [--json out.json] [--warmup N] [--steps N] [--threads 1,2] [--baseline DIR]\n'
  + '       pnpm bench --profile [workload] [--steps N] [--threads 1,2]\n';

function workloadList(flag: string, v: string | undefined): WorkloadName[] {
  const list = (v ?? '').split(',').filter((s) => s.length > 0);
  const bad = list.filter((w) => !(WORKLOAD_NAMES as readonly string[]).includes(w));
  if (list.length === 0 || bad.length > 0) throw new Error(`bench: ${flag} takes ${WORKLOAD_NAMES.join(',')}; got '${v ?? ''}'`);
  return list as WorkloadName[];
}

export function parseArgs(argv: readonly string[]): CliOptions {
  const opts: CliOptions = {
    quick: false, full: false, js: false, tfjs: false, torch: true, rounds: 3, only: [...WORKLOAD_NAMES], json: null, baseline: null, threads: [1, 2],
    timing: { warmup: 3, steps: 10, warmupMs: 1000, minMs: 2000 }, profile: null, profileSteps: 20, profileThreads: [2],
  };
  let warmup: number | null = null;
  let steps: number | null = null;
  let rounds: number | null = null;
  const intArg = (flag: string, v: string | undefined, min = 0): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`bench: ${flag} needs an integer >= ${min}, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue; // pnpm passes it through
    else if (a === '--quick') opts.quick = true;
    else if (a === '--full') opts.full = true;
    else if (a === '--js') opts.js = true;
    else if (a === '--tfjs') opts.tfjs = true;
    else if (a === '--no-torch') opts.torch = false;
    else if (a === '--only') opts.only = workloadList(a, argv[++i]);
    else if (a === '--rounds') rounds = intArg(a, argv[++i], 1);
    else if (a === '--profile') {
      const next = argv[i + 1];
      opts.profile = next !== undefined && !next.startsWith('--') ? (workloadList(a, argv[++i])[0] as WorkloadName) : 'segstep';
    } else if (a === '--json') {
      const p = argv[++i];
      if (!p) throw new Error('bench: --json needs a path');
      opts.json = path.resolve(process.env['INIT_CWD'] ?? process.cwd(), p);
    } else if (a === '--baseline') {
      const p = argv[++i];
      if (!p) throw new Error('bench: --baseline needs the folder of another checkout');
      opts.baseline = path.resolve(process.env['INIT_CWD'] ?? process.cwd(), p);
    } else if (a === '--threads') {
      const v = argv[++i];
      opts.threads = (v ?? '').split(',').map((x) => intArg(a, x, 1));
      opts.profileThreads = opts.threads;
    } else if (a === '--warmup') warmup = intArg(a, argv[++i]);
    else if (a === '--steps') steps = intArg(a, argv[++i], 1);
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE);
      process.exit(0);
    } else throw new Error(`bench: unknown argument '${a}' (try --help)`);
  }
  opts.rounds = rounds ?? (opts.quick ? 1 : 3);
  opts.profileSteps = steps ?? 20;
  opts.timing = {
    warmup: warmup ?? (opts.quick ? 1 : 3), steps: steps ?? (opts.quick ? 3 : 10),
    warmupMs: opts.quick ? 0 : 1000, minMs: opts.quick ? 0 : 2000,
  };
  return opts;
}
