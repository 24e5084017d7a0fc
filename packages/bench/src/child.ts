/**
 * One benchmark run in its own process: `child.ts '<config json>' <workload> <warmup> <steps> warmupMs minMs [--profile N]`.
 * With --profile N (Tessera only) it profiles N steps instead and prints `@@TESSERA_BENCH_PROFILE {json}`.
 * Tessera children get TESSERA_BACKEND / TESSERA_THREADS in their environment from the parent.
 * Prints one line `@@TESSERA_BENCH_RESULT {json}` on stdout; progress and errors go to stderr.
 */
import { emptyResult, PROFILE_MARKER, RESULT_MARKER, type BenchResult, type ConfigSpec, type TimingOptions } from './harness.js';
import { WORKLOAD_NAMES, workloadFlops, type WorkloadName } from './workloads.js';

async function main(): Promise<void> {
  const [configJson, workloadArg, warmupArg, stepsArg, warmupMsArg, minMsArg] = process.argv.slice(2);
  if (!configJson || !workloadArg || !warmupArg || !stepsArg) {
    throw new Error('usage: child.ts <config json> <workload> <warmup> <steps> [warmupMs minMs]');
  }
  const config = JSON.parse(configJson) as ConfigSpec;
  if (!(WORKLOAD_NAMES as readonly string[]).includes(workloadArg)) throw new Error(`child: unknown workload '${workloadArg}'`);
  const workload = workloadArg as WorkloadName;
  const options: TimingOptions = {
    warmup: Number(warmupArg), steps: Number(stepsArg), warmupMs: Number(warmupMsArg ?? 0), minMs: Number(minMsArg ?? 0),
  };
  const profile = process.argv.indexOf('--profile');
  if (profile > 0) {
    const { profileTessera } = await import('./tessera-profile.js');
    const p = await profileTessera(workload, Number(process.argv[profile + 1] ?? 20));
    process.stdout.write(PROFILE_MARKER + JSON.stringify(p) + '\n');
    return;
  }
  let result: BenchResult;
  try {
    if (config.kind === 'tfjs') {
      const { runTfjs } = await import('./tfjs-runner.js');
      result = await runTfjs(config, workload, options);
    } else {
      const { runTessera } = await import('./tessera-runner.js');
      result = await runTessera(config, workload, options);
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${config.id} ${workload}: ${e instanceof Error && e.stack ? e.stack : message}\n`);
    result = emptyResult(config, workload, 'error', message.split('\n')[0] ?? message, workloadFlops(workload)?.step ?? null, options);
  }
  process.stdout.write(RESULT_MARKER + JSON.stringify(result) + '\n');
}

main().then(
  () => process.exit(0), // worker pools and TF.js keep handles open; the result is written
  (e: unknown) => { process.stderr.write(String(e) + '\n'); process.exit(1); },
);
