/**
 * Timing and the result record that a child process prints for the parent to collect.
 * A step is timed from the call to its return; every step ends by reading its result back
 * (the backends here are synchronous), so the time covers the whole computation.
 */
import { Generator } from '@tessera/core';
import type { WorkloadName } from './workloads.js';

/** One benchmark configuration: a Tessera backend (and thread count) or a TF.js backend. */
export interface ConfigSpec {
  /** Stable identifier, e.g. `tessera-js`, `tessera-wasm-t2`, `torch-t2`, `tfjs-wasm`. */
  readonly id: string;
  readonly kind: 'tessera' | 'tfjs' | 'torch';
  /** Tessera backend name, the TF.js variant (`wasm`, `wasm-fwdconv`, `cpu`), or `cpu` for PyTorch. */
  readonly backend: string;
  /** Thread count for backends that take one; null when the backend has no such setting. */
  readonly threads: number | null;
  /** Human-readable label for the table. */
  readonly label: string;
  /** Another checkout of the repository whose bench child runs this configuration (--baseline). */
  readonly root?: string;
}

/**
 * Warm-up and timed steps: at least `warmup` warm-up steps and `warmupMs` of warming up (JITs,
 * WebAssembly tier-up and the allocator settle over the first steps of a process, which a 5 ms
 * step does not get from 3 steps), then at least `steps` timed steps and `minMs` of them, at most
 * MAX_STEPS. Every configuration gets the same rule.
 */
export interface TimingOptions {
  readonly warmup: number;
  readonly steps: number;
  readonly warmupMs: number;
  readonly minMs: number;
}

/** Cap on timed steps per run. */
export const MAX_STEPS = 400;

/** What a child reports for one (configuration, workload). */
export interface BenchResult {
  readonly config: ConfigSpec;
  readonly workload: WorkloadName;
  readonly status: 'ok' | 'skipped' | 'error';
  /** Why a run was skipped or failed, or a caveat about how it ran. */
  readonly note: string | null;
  readonly warmup: number;
  readonly steps: number;
  readonly samplesMs: readonly number[];
  readonly medianMs: number | null;
  readonly minMs: number | null;
  /** FLOPs of one step (null for ce). */
  readonly stepFlops: number | null;
  /** stepFlops / median time, in GFLOP/s. */
  readonly gflops: number | null;
  /** What the first step returned (its loss; conv: dW[0]): equal inputs give equal values across frameworks. */
  readonly firstLoss: number | null;
  /** What the last step returned (a sanity check that the step computed something). */
  readonly lastLoss: number | null;
  /** Backend facts (e.g. TF.js's SIMD / threads flags, Tessera's active backend). */
  readonly info: Readonly<Record<string, string | number | boolean>>;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median: no samples');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** What timeSteps measured: warm-up count, timed durations (ms) and the first and last step's values. */
export interface Timed {
  warmup: number;
  samples: number[];
  first: number;
  last: number;
}

/** Runs `step` warmup + steps times and returns the timed steps' durations in ms. */
export function timeSteps(step: () => number, options: TimingOptions): Timed {
  // The first step is a warm-up step too (its value is the one compared across frameworks).
  const start = performance.now();
  const first = step();
  let last = first;
  let warmup = 1;
  for (; warmup < options.warmup || performance.now() - start < options.warmupMs; warmup++) last = step();
  const samples: number[] = [];
  let total = 0;
  while (samples.length < options.steps || (total < options.minMs && samples.length < MAX_STEPS)) {
    const t0 = performance.now();
    last = step();
    const dt = performance.now() - t0;
    samples.push(dt);
    total += dt;
  }
  return { warmup, samples, first, last };
}

/** The record for a run that completed. */
export function okResult(
  config: ConfigSpec, workload: WorkloadName, timed: Timed,
  stepFlops: number | null, info: Record<string, string | number | boolean>, note: string | null = null,
): BenchResult {
  const samplesMs = timed.samples;
  const med = median(samplesMs);
  return {
    config, workload, status: 'ok', note, warmup: timed.warmup, steps: samplesMs.length, samplesMs,
    medianMs: med, minMs: Math.min(...samplesMs), stepFlops,
    gflops: stepFlops === null ? null : stepFlops / (med * 1e6), firstLoss: timed.first, lastLoss: timed.last, info,
  };
}

/** The record for a run that did not happen (skipped) or failed (error). */
export function emptyResult(
  config: ConfigSpec, workload: WorkloadName, status: 'skipped' | 'error', note: string, stepFlops: number | null,
  options: TimingOptions = { warmup: 0, steps: 0, warmupMs: 0, minMs: 0 },
): BenchResult {
  return {
    config, workload, status, note, warmup: options.warmup, steps: options.steps, samplesMs: [],
    medianMs: null, minMs: null, stepFlops, gflops: null, firstLoss: null, lastLoss: null, info: {},
  };
}

/** Uniform [0, 1) float32 data from a seeded generator. */
export function uniformData(n: number, generator: Generator): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.uniform();
  return out;
}

/** Uniform [-bound, bound) float32 data (PyTorch's default conv init has bound 1/√fan_in). */
export function symmetricData(n: number, bound: number, generator: Generator): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * generator.uniform() - 1) * bound;
  return out;
}

/** Class ids in {0, 1} with about `fraction` ones. */
export function binaryTargets(n: number, fraction: number, generator: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.uniform() < fraction ? 1 : 0;
  return out;
}

/**
 * Class ids drawn with the given class frequencies, with about `ignoreFraction` of them set to
 * `ignoreIndex` (two draws per position: ignored or not, then the class).
 */
export function classTargets(n: number, fractions: readonly number[], ignoreFraction: number, ignoreIndex: number, generator: Generator): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (generator.uniform() < ignoreFraction) { out[i] = ignoreIndex; continue; }
    let u = generator.uniform();
    let k = 0;
    for (; k < fractions.length - 1 && u >= (fractions[k] as number); k++) u -= fractions[k] as number;
    out[i] = k;
  }
  return out;
}

/** Standard normal float32 data (the conv workload's fixed upstream gradient). */
export function normalData(n: number, generator: Generator): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = generator.normal();
  return out;
}

/** NCHW → NHWC copy (TF.js's wasm backend only takes channels-last). */
export function nchwToNhwc(x: Float32Array, n: number, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + ch] = x[(b * c + ch) * h * w + i] as number;
    }
  }
  return out;
}

export const RESULT_MARKER = '@@TESSERA_BENCH_RESULT ';
export const PROFILE_MARKER = '@@TESSERA_BENCH_PROFILE ';
