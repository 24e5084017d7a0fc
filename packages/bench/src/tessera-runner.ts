/**
 * Runs a workload on Tessera, on the backend named by TESSERA_BACKEND (thread count from
 * TESSERA_THREADS, read by the wasm backend). Inputs come from tessera-workloads.ts (the same
 * seeded numbers the TF.js runs draw and the PyTorch runs read). Each step reads its result back
 * before the clock stops.
 */
import { getBackend, setBackend } from '@tessera/core';
import { okResult, timeSteps, type BenchResult, type ConfigSpec, type TimingOptions } from './harness.js';
import { prepareWorkload } from './tessera-workloads.js';
import { workloadFlops, type WorkloadName } from './workloads.js';

export async function runTessera(config: ConfigSpec, workload: WorkloadName, options: TimingOptions): Promise<BenchResult> {
  if (getBackend() !== config.backend) setBackend(config.backend);
  const prepared = prepareWorkload(workload);
  const timed = timeSteps(prepared.step, options);
  const info: Record<string, string | number | boolean> = { backend: getBackend() };
  const threads = process.env['TESSERA_THREADS'];
  if (threads) info['TESSERA_THREADS'] = threads;
  return okResult(config, workload, timed, workloadFlops(workload)?.step ?? null, info);
}
