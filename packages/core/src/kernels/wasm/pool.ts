/**
 * Worker pool for the WebAssembly kernels, with a synchronous API (ops are synchronous).
 *
 * Every worker instantiates the same compiled module on the same shared memory (worker.mjs). A job
 * is a descriptor already written into memory plus a count of independent items; threads claim
 * items with an atomic counter until none are left. The calling thread works too, then blocks in
 * Atomics.wait until every item is done. Which thread runs an item never changes its arithmetic,
 * so results do not depend on the thread count or on scheduling.
 *
 * Control words (Int32 at byte `ctrl`):
 *   GEN   job generation, bumped to wake workers      NEXT  claim word: (GEN & 0x7ff) << 20 | next item
 *   DONE  finished items (waited on by the caller)    ITEMS item count of the job (< 2^20)
 *   FN    index of the item function                  DESC  descriptor address
 *   ERROR set by a worker whose item threw            STOP  set when terminating
 * Claiming is a compare-exchange on NEXT that only succeeds while NEXT still carries the tag of the
 * job the claimer was woken for, and the caller sets NEXT to -1 (no job's tag) before rewriting a
 * job. So a worker that is slow to leave one job can never claim an item of the next, half-written
 * one, nor an item index past the end of its own.
 * Threads are started by the platform (Node worker threads, unref'd so that an idle pool never keeps
 * the process alive; Web Workers in browsers) and run worker-loop.mjs.
 */
import { platform } from '#platform';
import type { KernelThread } from '../../platform/types.js';
import type { WasmMemory, WasmModule } from './webassembly.js';

export const GEN = 0;
export const NEXT = 1;
export const DONE = 2;
export const ITEMS = 3;
export const FN = 4;
export const DESC = 5;
export const ERROR = 6;
export const STOP = 7;
/** Largest item count of one job (the item index has 20 bits of the claim word). */
export const MAX_ITEMS = (1 << 20) - 1;
const NO_JOB = -1;
/** A job with no progress for this long means a worker died mid-item. */
const STALL_MS = 60_000;

export interface WorkerPoolOptions {
  module: WasmModule;
  memory: WasmMemory;
  /** Byte address of the 8 control words. */
  ctrl: number;
  /** Byte address of the job descriptor. */
  desc: number;
  /** Names of the exported item functions, indexed by `run`'s `fn`. */
  functions: readonly string[];
  /** Scratch address of thread t (0 is the caller). */
  scratch: (thread: number) => number;
  /** Threads including the caller. */
  threads: number;
}

export class WorkerPool {
  private readonly ctrl: Int32Array;
  private readonly workers: KernelThread[] = [];
  private readonly desc: number;
  private readonly scratch0: number;

  constructor(options: WorkerPoolOptions) {
    this.ctrl = new Int32Array(options.memory.buffer, options.ctrl, 8);
    this.desc = options.desc;
    this.scratch0 = options.scratch(0);
    Atomics.store(this.ctrl, NEXT, NO_JOB);
    for (let t = 1; t < options.threads; t++) {
      // A thread that fails to start just never claims items; the caller does them.
      this.workers.push(platform.startKernelThread({
        module: options.module, memory: options.memory, ctrl: options.ctrl,
        functions: options.functions, scratch: options.scratch(t),
      }));
    }
  }

  /** Runs items [0, items) of function `fn` on all threads; `local` is this thread's instance of it. */
  run(fn: number, items: number, local: (desc: number, item: number, scratch: number) => void): void {
    if (!(items >= 1 && items <= MAX_ITEMS)) throw new RangeError(`wasm worker pool: ${items} items (at most ${MAX_ITEMS})`);
    const c = this.ctrl;
    const gen = (Atomics.load(c, GEN) + 1) | 0; // only this thread writes GEN
    const tag = gen & 0x7ff;
    Atomics.store(c, NEXT, NO_JOB);
    Atomics.store(c, ITEMS, items);
    Atomics.store(c, FN, fn);
    Atomics.store(c, DESC, this.desc);
    Atomics.store(c, ERROR, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, NEXT, tag << 20);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    let failure: unknown;
    for (let i = claim(c, tag); i >= 0; i = claim(c, tag)) {
      try {
        local(this.desc, i, this.scratch0);
      } catch (e) {
        failure ??= e;
      }
      Atomics.add(c, DONE, 1);
    }
    let last = -1;
    let since = Date.now();
    for (let done = Atomics.load(c, DONE); done < items; done = Atomics.load(c, DONE)) {
      if (done !== last) { last = done; since = Date.now(); }
      else if (Date.now() - since > STALL_MS) throw new Error(`wasm worker pool: no progress for ${STALL_MS} ms (${done}/${items} items); a worker died`);
      Atomics.wait(c, DONE, done, 1000);
    }
    if (failure !== undefined) throw failure;
    if (Atomics.load(c, ERROR) !== 0) throw new Error('wasm worker pool: a kernel item failed in a worker thread');
  }

  async terminate(): Promise<void> {
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Claims the next item of the job tagged `tag`, or returns -1 when it has none left (mirrored in worker-loop.mjs). */
export function claim(c: Int32Array, tag: number): number {
  for (;;) {
    const v = Atomics.load(c, NEXT);
    if (v >>> 20 !== tag) return -1;
    const i = v & 0xfffff;
    if (i >= Atomics.load(c, ITEMS)) return -1;
    if (Atomics.compareExchange(c, NEXT, v, v + 1) === v) return i;
  }
}
