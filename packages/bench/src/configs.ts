/**
 * The benchmark configurations: Tessera's wasm backend at 1 and 2 threads and PyTorch (CPU) at the
 * same thread counts by default; Tessera's js backend and TF.js on request (they take seconds to
 * minutes a step and would dominate the run).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { listBackends } from '@tessera/core';
import type { ConfigSpec } from './harness.js';
import type { WorkloadName } from './workloads.js';

/** Tessera backends that take a thread count (TESSERA_THREADS). */
const THREADED_BACKENDS = new Set(['wasm']);
export const THREAD_COUNTS = [1, 2] as const;

export interface ConfigChoice {
  js: boolean;
  tfjs: boolean;
  torch: boolean;
  /** Thread counts of the threaded configurations (default THREAD_COUNTS). */
  threads?: readonly number[];
  /** Another checkout (--baseline): its wasm backend runs as `base-wasm-t<threads>`. */
  baseline?: string | null;
}

export function configs(choice: ConfigChoice): ConfigSpec[] {
  const out: ConfigSpec[] = [];
  const counts = choice.threads ?? THREAD_COUNTS;
  for (const backend of listBackends()) {
    if (THREADED_BACKENDS.has(backend)) {
      for (const threads of counts) {
        out.push({ id: `tessera-${backend}-t${threads}`, kind: 'tessera', backend, threads, label: `Tessera ${backend}, ${threads} thread${threads > 1 ? 's' : ''}` });
      }
    } else if (backend !== 'js' || choice.js) {
      out.push({ id: `tessera-${backend}`, kind: 'tessera', backend, threads: null, label: `Tessera ${backend}` });
    }
  }
  if (choice.baseline) {
    for (const threads of counts) {
      out.push({ id: `base-wasm-t${threads}`, kind: 'tessera', backend: 'wasm', threads, label: `baseline wasm, ${threads} thread${threads > 1 ? 's' : ''}`, root: choice.baseline });
    }
  }
  if (choice.torch) {
    for (const threads of counts) {
      out.push({ id: `torch-t${threads}`, kind: 'torch', backend: 'cpu', threads, label: `PyTorch CPU, ${threads} thread${threads > 1 ? 's' : ''}` });
    }
  }
  if (choice.tfjs) {
    out.push(
      { id: 'tfjs-wasm', kind: 'tfjs', backend: 'wasm', threads: 1, label: 'TF.js 4.22 wasm (SIMD, 1 thread)' },
      { id: 'tfjs-wasm-fwdconv', kind: 'tfjs', backend: 'wasm-fwdconv', threads: 1, label: 'TF.js 4.22 wasm, conv grads as fwd convs' },
      { id: 'tfjs-cpu', kind: 'tfjs', backend: 'cpu', threads: 1, label: 'TF.js 4.22 cpu (pure JS)' },
    );
  }
  return out;
}

export const LEGEND = [
  '  tessera-wasm-t<threads>: the wasm backend at TESSERA_THREADS=1 and 2; tessera-js: the plain TypeScript kernels (--js)',
  '  base-wasm-t<threads>: the wasm backend of the --baseline checkout (an earlier commit), the same protocol',
  '  torch-t<threads>: PyTorch (CPU, oneDNN) with torch.set_num_threads(1 and 2), the same inputs and initial parameters',
  '  tfjs-wasm: TF.js as shipped, plus the one kernel it lacks for a conv backward (Conv2DBackpropFilter),',
  '             routed through its own Conv3DBackpropFilterV2 kernel (as WORKLOADS.md measured it) (--tfjs)',
  '  tfjs-wasm-fwdconv: both conv gradients rewritten as XNNPACK forward convs (our workaround, not shipped) (--tfjs)',
  '  tfjs-cpu: TF.js pure-JS backend (--tfjs; segstep and conv only with --full)',
  '',
].join('\n');

/** Why a configuration does not run a workload (null: it does). */
export function skipReason(config: ConfigSpec, workload: WorkloadName, full: boolean): string | null {
  if (config.kind === 'tfjs' && workload !== 'segstep' && workload !== 'conv' && workload !== 'ce') return `TF.js runs segstep, conv and ce only`;
  if (config.id === 'tfjs-wasm-fwdconv' && workload === 'ce') return 'same as tfjs-wasm (ce has no conv)';
  if (config.id === 'tfjs-cpu' && !full && (workload === 'segstep' || workload === 'conv')) {
    return `skipped (≈${workload === 'segstep' ? 231 : 107} s/step measured, see WORKLOADS.md); --full runs it`;
  }
  return null;
}

/** The Python that runs the PyTorch configurations: /usr/bin/python3 (as the project documents), else python3 on PATH. */
export function pythonPath(): string {
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** Whether `python -c 'import torch'` works; the reason when it does not. */
export function torchAvailable(python: string): { ok: true; version: string } | { ok: false; why: string } {
  const r = spawnSync(python, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return { ok: false, why: `${python}: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, why: `${python} -c 'import torch' failed: ${(r.stderr || '').trim().split('\n').pop() ?? ''}` };
  return { ok: true, version: r.stdout.trim() };
}
