/**
 * Where a Tessera step goes, measured in the child process: every kernel of the active backend is
 * wrapped with a clock (in place, so the backend keeps its storage), and core's op timer attributes the time
 * between successive ops' forwards to the op that finished and each backward node's time (its
 * closure, un-broadcasting, accumulation) to its op. GC pauses come from a PerformanceObserver.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { getBackend, kernels, setOpTimer } from '@tessera/core';
import { median } from './harness.js';
import { prepareWorkload } from './tessera-workloads.js';
import type { WorkloadName } from './workloads.js';

export interface ProfileLine {
  name: string;
  /** Milliseconds per step. */
  ms: number;
  /** Calls per step. */
  calls: number;
}

export interface TesseraProfile {
  backend: string;
  threads: string;
  /** Median step time of the profiled steps (the clocks add a little). */
  stepMs: number;
  /** Mean ms per step: until the first backward node, the backward nodes, after the last one (optimiser, reading the loss). */
  phases: { forward: number; backward: number; after: number; gc: number };
  ops: ProfileLine[];
  kernels: ProfileLine[];
}

class Tally {
  private readonly map = new Map<string, { ms: number; calls: number }>();
  add(name: string, ms: number): void {
    const e = this.map.get(name);
    if (e) { e.ms += ms; e.calls++; } else this.map.set(name, { ms, calls: 1 });
  }
  lines(steps: number): ProfileLine[] {
    return [...this.map].map(([name, e]) => ({ name, ms: e.ms / steps, calls: e.calls / steps })).sort((a, b) => b.ms - a.ms);
  }
}

export async function profileTessera(workload: WorkloadName, steps: number): Promise<TesseraProfile> {
  const backend = getBackend();
  let ops = new Tally();
  let kern = new Tally();
  let depth = 0; // inside a backward node
  let last = 0;
  let nodeStart = 0;
  let firstBackward = NaN;
  let lastBackward = NaN;
  const active = kernels() as unknown as Record<string, unknown>;
  const original = { ...active };
  for (const [name, fn] of Object.entries(original)) {
    if (typeof fn !== 'function') continue;
    active[name] = (...args: unknown[]): unknown => {
      const t0 = performance.now();
      try {
        return (fn as (...a: unknown[]) => unknown)(...args);
      } finally {
        kern.add(`${name}${depth > 0 ? ' (backward)' : ''}`, performance.now() - t0);
      }
    };
  }
  const prepared = prepareWorkload(workload);
  for (let i = 0; i < 3; i++) prepared.step();
  ops = new Tally(); // count the profiled steps only
  kern = new Tally();
  setOpTimer({
    forwardDone(op) {
      if (depth > 0) return;
      const t = performance.now();
      ops.add(`${op} forward`, t - last);
      last = t;
    },
    backwardNode(op, start) {
      const t = performance.now();
      if (start) {
        if (depth++ === 0) nodeStart = t;
        if (Number.isNaN(firstBackward)) firstBackward = t;
        return;
      }
      if (--depth === 0) { ops.add(`${op} backward`, t - nodeStart); last = t; lastBackward = t; }
    },
  });
  let gc = 0;
  const observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) gc += e.duration; });
  observer.observe({ entryTypes: ['gc'] });
  const times: number[] = [];
  const phases = { forward: 0, backward: 0, after: 0, gc: 0 };
  for (let i = 0; i < steps; i++) {
    firstBackward = NaN;
    const t0 = performance.now();
    last = t0;
    prepared.step();
    const t1 = performance.now();
    times.push(t1 - t0);
    phases.forward += firstBackward - t0;
    phases.backward += lastBackward - firstBackward;
    phases.after += t1 - lastBackward;
  }
  setOpTimer(null);
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive on the event loop
  observer.disconnect();
  Object.assign(active, original);
  phases.forward /= steps; phases.backward /= steps; phases.after /= steps; phases.gc = gc / steps;
  return {
    backend, threads: process.env['TESSERA_THREADS'] ?? 'default', stepMs: median(times), phases,
    ops: ops.lines(steps), kernels: kern.lines(steps),
  };
}
