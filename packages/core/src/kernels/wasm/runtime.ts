/**
 * One instance of the WebAssembly kernels: compiled module, shared linear memory, its layout, and
 * the item runner (inline or on the worker pool).
 *
 * Memory layout (byte addresses; the AssemblyScript side has no static data and allocates nothing):
 *   [0, 1024)                  unused (address 0 stays a null pointer)
 *   [CTRL, CTRL + 64)          pool control words (pool.ts)
 *   [DESC, DESC + 256)         job descriptor of the running kernel (e.g. gemm.ts)
 *   [SCRATCH, dataBase)        per-thread scratch (packing buffers), `threads` × scratchStride
 *   [dataBase, ...)            the heap (heap.ts): resident tensor data, staged operands, scratch;
 *                              grown on demand, never shrunk
 * The memory is shared (SharedArrayBuffer): grown pages appear in every thread, and views made
 * before a grow stay valid for the old range, so the control/descriptor views never need refreshing.
 */
import { platform } from '#platform';
import type { TypedArray } from '../../dtype.js';
import { WasmHeap, type HeapOptions } from './heap.js';
import { kernelsModule, resolveRelaxed } from './module.js';
import { MAX_ITEMS, WorkerPool } from './pool.js';
import { WA, type WasmMemory } from './webassembly.js';

/** Exported per-item entry points, `fn(desc, item, scratch)`; the pool refers to them by index. */
export const ITEM_FUNCTIONS = [
  'gemmF32Item', 'convF32Item', 'convWeightGradF32Item', 'crossEntropy2F32Item', 'crossEntropy2BackwardF32Item',
  'winogradF32Item', 'winogradWeightGradF32Item', 'convTransposeF32Item', 'crossEntropyF32Item', 'crossEntropyWeightF32Item',
  'winogradWeightGradFinishF32Item',
  'channelMomentsF32Item', 'channelAffineF32Item', 'channelGradSumsF32Item', 'channelCombineF32Item', 'maxPool2x2F32Item',
  'unaryF32Item', 'reluBackwardF32Item', 'binaryF32Item', 'resampleCopyF32Item', 'resampleCopyBackwardF32Item',
  'maxPool2dBackwardF32Item',
  'crossEntropyTargetCheckItem',
] as const;
export type ItemFunction = (typeof ITEM_FUNCTIONS)[number];

const PAGE = 65536;
/** Must equal MAX_PAGES in scripts/build-wasm.mjs (the module's declared maximum). */
const MAX_PAGES = 65536;
export const CTRL = 1024;
export const DESC = 2048;
const SCRATCH = PAGE;

export interface WasmRuntimeOptions {
  /**
   * Threads including the caller's; default `TESSERA_THREADS`, else the machine's parallelism. Where
   * the platform cannot run threads (a browser page that is not cross-origin isolated, or its main
   * thread) the kernels run on one, with a console note.
   */
  threads?: number;
  /** Jobs below this many flops run on the calling thread only (default 1e6). */
  minParallelFlops?: number;
  /**
   * Minimum rows/columns of C per work item (default 64). Each item repacks the whole other
   * operand (all of A when C is split by columns), so narrow items multiply memory traffic when k
   * is large (e.g. conv weight gradients, k = 32768).
   */
  minItemExtent?: number;
  /** Use the fused multiply-add build; see resolveRelaxed (default: TESSERA_WASM_RELAXED, else when available). */
  relaxed?: boolean;
  /**
   * Which 3×3 stride-1 convolutions run by Winograd's F(2×2, 3×3): 'auto' (default) those where it
   * measured faster (winograd.ts), 'always' every one it can run, 'never' none (the direct GEMM).
   */
  winograd?: 'auto' | 'always' | 'never';
  /** Sizes of the heap (heap.ts). */
  heap?: HeapOptions;
}

/**
 * Thread count from the option, else `TESSERA_THREADS` (a decimal integer; empty means unset), else
 * the machine's parallelism. Anything outside [1, 256] is an error, not clamped. Counts above the
 * machine's cores are honoured but only slow the kernels down (measured on 2 cores: 256 threads
 * take 7 s and 1.2 GB to start, and a 256² matmul runs 80× slower than on 2).
 */
export function resolveThreads(option?: number): number {
  const env = platform.env('TESSERA_THREADS');
  const fromEnv = (s: string): number => (/^\s*\d+\s*$/.test(s) ? Number(s) : NaN); // not '0x10', '1e2', '2.0'
  const n = option ?? (env !== undefined && env.trim() !== '' ? fromEnv(env) : platform.parallelism());
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    const from = option !== undefined ? 'option threads' : 'TESSERA_THREADS';
    throw new Error(`wasm kernels: ${from} must be an integer in [1, 256], got ${String(option ?? env)}`);
  }
  return n;
}

/**
 * Whether tensors live in the wasm memory (default on; `TESSERA_WASM_RESIDENT=0` keeps them in JS
 * memory, every kernel call then copying its operands in and out, as before the heap existed).
 */
export function resolveResident(): boolean {
  const env = platform.env('TESSERA_WASM_RESIDENT');
  if (env === undefined || env === '' || env === '1') return true;
  if (env === '0') return false;
  throw new Error(`wasm kernels: TESSERA_WASM_RESIDENT must be 0 or 1, got ${env}`);
}

const align = (x: number, to: number): number => Math.ceil(x / to) * to;

export class WasmRuntime {
  readonly threads: number;
  readonly minParallelFlops: number;
  readonly minItemExtent: number;
  readonly winograd: 'auto' | 'always' | 'never';
  /** Whether this runtime runs the relaxed-SIMD (fused multiply-add) build. */
  readonly relaxed: boolean;
  readonly memory: WasmMemory;
  /** Int32 / Float32 views of the descriptor area (valid forever, see the layout note). */
  readonly descI32: Int32Array;
  readonly descF32: Float32Array;
  readonly dataBase: number;
  /** Bytes wasm32 can address. */
  readonly maxBytes = MAX_PAGES * PAGE;
  /** The machine's memory (bytes), which bounds the heap's default sizes. */
  readonly totalMemory = platform.totalMemory();
  /** Resident arrays and the blocks of staged operands and scratch. */
  readonly heap: WasmHeap;
  private readonly fns: ((desc: number, item: number, scratch: number) => undefined)[];
  private readonly exports: Record<string, unknown>;
  private readonly scratchStride: number;
  /** Every SharedArrayBuffer this memory has shown (a grow makes a new one; views on older ones stay valid). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private pool: WorkerPool | undefined;
  private readonly jobs = new Map<ItemFunction, number>();

  constructor(options: WasmRuntimeOptions = {}) {
    this.threads = resolveThreads(options.threads);
    const limit = platform.threadLimit();
    if (this.threads > limit.max) {
      platform.note(`the wasm kernels run on ${limit.max} thread${limit.max === 1 ? '' : 's'}, not ${this.threads}: ${limit.why ?? ''}`);
      this.threads = limit.max;
    }
    this.minParallelFlops = options.minParallelFlops ?? 1e6;
    this.minItemExtent = options.minItemExtent ?? 64;
    this.winograd = options.winograd ?? 'auto';
    this.relaxed = resolveRelaxed(options.relaxed);
    const module = kernelsModule(this.relaxed);
    this.memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    this.exports = new WA.Instance(module, { env: { memory: this.memory } }).exports;
    this.fns = ITEM_FUNCTIONS.map((name) => this.fn<(d: number, i: number, s: number) => undefined>(name));
    this.scratchStride = align(this.exportI32('gemmScratchBytes'), 4096);
    this.dataBase = align(SCRATCH + this.threads * this.scratchStride, PAGE);
    this.ensure(this.dataBase);
    this.heap = new WasmHeap(this, this.dataBase, options.heap);
    this.descI32 = new Int32Array(this.memory.buffer, DESC, 64);
    this.descF32 = new Float32Array(this.memory.buffer, DESC, 64);
  }

  /** An exported function of the kernels module (for a kernel family's TypeScript side). */
  fn<F extends (...args: number[]) => number | undefined>(name: string): F {
    const f = this.exports[name];
    if (typeof f !== 'function') throw new Error(`wasm kernels: the module exports no function '${name}'`);
    return f as F;
  }

  /** Calls a parameterless i32 export (constants the AssemblyScript side owns). */
  exportI32(name: string): number {
    return this.fn<() => number>(name)();
  }

  scratchOf(thread: number): number {
    return SCRATCH + thread * this.scratchStride;
  }

  /** Makes the memory cover byte addresses [0, end), growing it if needed. */
  ensure(end: number): void {
    if (end > this.maxBytes) throw new RangeError(`wasm kernels: ${end} bytes exceed the 4 GiB wasm32 memory`);
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.buffers.add(this.memory.buffer);
  }

  /** The byte address of an array that is a view on this memory (wasm-resident), else -1. */
  addressOf(a: TypedArray): number {
    return this.buffers.has(a.buffer) ? a.byteOffset : -1;
  }

  /**
   * Runs items [0, items) of `fn` over the descriptor at DESC, on all threads when the job is worth
   * it (`flops` ≥ minParallelFlops), else on this thread. Returns when every item is done.
   */
  run(fn: ItemFunction, items: number, flops: number): void {
    const index = ITEM_FUNCTIONS.indexOf(fn);
    this.jobs.set(fn, (this.jobs.get(fn) ?? 0) + 1);
    if (this.threads > 1 && items > 1 && items <= MAX_ITEMS && flops >= this.minParallelFlops) {
      this.pool ??= new WorkerPool({
        module: kernelsModule(this.relaxed), memory: this.memory, ctrl: CTRL, desc: DESC,
        functions: ITEM_FUNCTIONS, scratch: (t) => this.scratchOf(t), threads: this.threads,
      });
      this.pool.run(index, items, this.fns[index]!);
      return;
    }
    const f = this.fns[index]!;
    const scratch = this.scratchOf(0);
    for (let i = 0; i < items; i++) f(DESC, i, scratch);
  }

  /** How many jobs of `fn` this runtime has run (tests check which algorithm a kernel chose). */
  jobCount(fn: ItemFunction): number {
    return this.jobs.get(fn) ?? 0;
  }

  /** Stops the worker threads (they are unref'd, so this is only needed to free them early). */
  async dispose(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.terminate();
  }
}
