/**
 * The platform under Node (see types.ts): process.env, os, V8 flags, a vm context for the heap's
 * synchronous reclaim, worker_threads, and the kernels read from the package's files. The only file
 * of @tessera/core that imports `node:`.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { createContext, runInContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import { WA } from '../kernels/wasm/webassembly.js';
import type { KernelsBuild, Platform, ReclaimHooks } from './types.js';

const files: Record<KernelsBuild, URL> = {
  'kernels.wasm': new URL('../kernels/wasm/build/kernels.wasm', import.meta.url),
  'kernels-relaxed.wasm': new URL('../kernels/wasm/build/kernels-relaxed.wasm', import.meta.url),
};

let hooks: ReclaimHooks | undefined;

/**
 * A FinalizationRegistry with cleanupSome() and a gc(), from a new vm context created after turning
 * on V8's `--harmony-weak-refs-with-cleanup-some` and `--expose-gc` (both take effect only in
 * contexts created afterwards; the main context gets neither). Measured on Node 20 (V8 11.3):
 * targets found dead by a major GC are reclaimed by cleanupSome(), synchronously; a minor GC does
 * not process them. Where either is missing, the plain registry: its callbacks run when the event
 * loop turns.
 */
function reclaimHooks(): ReclaimHooks {
  if (hooks) return hooks;
  hooks = { Registry: FinalizationRegistry, cleanupSome: false, gc: null };
  try {
    setFlagsFromString('--harmony-weak-refs-with-cleanup-some');
    setFlagsFromString('--expose-gc');
    const context = createContext({});
    const Registry = runInContext('FinalizationRegistry', context) as typeof FinalizationRegistry;
    const gc = runInContext('typeof gc === "function" ? gc : null', context) as (() => void) | null;
    hooks = { Registry, cleanupSome: typeof (Registry.prototype as { cleanupSome?: unknown }).cleanupSome === 'function', gc };
  } catch {
    // Keep the plain registry.
  }
  return hooks;
}

export const platform: Platform = {
  name: 'node',
  env: (name) => process.env[name],
  totalMemory: () => totalmem(),
  reclaimHooks,
  parallelism: () => availableParallelism(),
  threadLimit: () => ({ max: Infinity }),
  kernelsBytes: (build) => readFileSync(files[build]),
  enableRelaxedSimd: () => setFlagsFromString('--experimental-wasm-relaxed-simd'),
  compileKernels: (build) => new WA.Module(readFileSync(files[build])),
  startKernelThread(data) {
    const worker = new Worker(new URL('../kernels/wasm/worker.mjs', import.meta.url), {
      // The worker is plain JS: do not inherit loader hooks (tsx, vitest) that would slow its start.
      execArgv: [],
      workerData: data,
    });
    // Idle workers wait in Atomics.wait; unref'd, they never keep the process alive.
    worker.unref();
    // A worker that fails to start just never claims items; the caller does them.
    worker.on('error', () => undefined);
    return worker;
  },
  note: () => undefined,
};
