/**
 * The WebAssembly backend: float32 kernels compiled from AssemblyScript (assembly/, built into
 * build/kernels.wasm by scripts/build-wasm.mjs) running on a shared memory, multi-threaded through
 * a worker pool. Kernels it does not implement, and float64 calls, fall back to the js backend.
 *
 * `wasmKernels` is what kernels/index.ts registers as backend 'wasm'; its runtime (memory,
 * threads from TESSERA_THREADS or the machine) is created on first use. `createWasmKernels`
 * makes an independent instance with explicit options (tests, benchmarks).
 *
 * Families: gemm.ts (GEMM), conv.ts (conv2d forward/backward, the unfolding fused into the GEMM's
 * packing), cross-entropy.ts (two-class fused loss), elementwise.ts (relu, add, nearest resampling),
 * pooling.ts (2×2 max pooling), norm.ts (batch normalisation).
 * Each goes through dispatch.ts: `withFallback` hands calls it does not cover to the js kernel,
 * `withOperands` gives it the byte address of every operand (staging copies of arrays that are not
 * in the wasm memory).
 *
 * Adding a kernel family: write assembly/<family>.ts and export it from assembly/index.ts; run
 * `pnpm --filter @tessera/core build:wasm`; write wasm/<family>.ts whose kernels are
 * `withFallback(name, eligible, (...) => withOperands(rt, operands, scratch, (at) => ...))`, calling
 * `runtime.fn('name')(...)` or, for multi-threaded work, writing a descriptor at DESC and calling
 * `runtime.run('<name>Item', items, flops)` after adding the item function to ITEM_FUNCTIONS
 * (runtime.ts); add the kernel names to WASM_KERNELS below, with a test against js.
 */
import type { KernelName, Kernels } from '../types.js';
import { createWasmConv } from './conv.js';
import { createWasmCrossEntropy } from './cross-entropy.js';
import { createWasmElementwise } from './elementwise.js';
import { createWasmGemm } from './gemm.js';
import { createWasmNorm } from './norm.js';
import { createWasmPooling } from './pooling.js';
import type { HeapOptions, WasmHeap } from './heap.js';
import { checkWasmOptions } from './options.js';
import { resolveResident, WasmRuntime, type WasmRuntimeOptions } from './runtime.js';

export { resolveRelaxed, wasmSupported } from './module.js';
export { WasmRuntime, resolveResident, resolveThreads, type WasmRuntimeOptions } from './runtime.js';

/** The kernels this backend implements (the rest come from the js backend). */
export const WASM_KERNELS = [
  'gemm', 'conv2dForward', 'conv2dBackward', 'unary', 'reluBackward', 'binary', 'resample1d', 'resample1dBackward',
  'crossEntropyForward', 'crossEntropyBackward', 'firstInvalidTarget', 'maxPool2d', 'maxPool2dBackward',
  'channelMoments', 'channelAffine', 'channelGradSums', 'channelCombine',
] as const satisfies readonly KernelName[];
export type WasmKernelName = (typeof WASM_KERNELS)[number];
export type WasmKernels = Pick<Kernels, WasmKernelName>;

/** Kernels over a new runtime; `dispose` stops its worker threads. */
export function createWasmKernels(options: WasmRuntimeOptions = {}): WasmKernels & { runtime: WasmRuntime; dispose(): Promise<void> } {
  checkWasmOptions('createWasmKernels', options);
  const runtime = new WasmRuntime(options);
  const gemm = createWasmGemm(runtime);
  return {
    gemm, ...createWasmConv(runtime, gemm), ...createWasmElementwise(runtime), ...createWasmCrossEntropy(runtime),
    ...createWasmPooling(runtime), ...createWasmNorm(runtime),
    runtime, dispose: () => runtime.dispose(),
  };
}

let shared: ReturnType<typeof createWasmKernels> | undefined;
let sharedOptions: WasmRuntimeOptions = {};
const lazy = (): WasmKernels => (shared ??= createWasmKernels(sharedOptions));

/**
 * Options of the process-wide wasm runtime (the 'wasm' backend), taken when it starts, at the first
 * float32 kernel call: call this before any op. Browsers have no TESSERA_THREADS; this is how a page
 * (or a Web Worker) picks its kernel thread count.
 *
 * @example
 * configureWasm({ threads: 2 }); // this worker's kernels on 2 threads (itself and one Web Worker)
 */
export function configureWasm(options: WasmRuntimeOptions): void {
  checkWasmOptions('configureWasm', options);
  if (shared) throw new Error(`configureWasm: the wasm kernels already started (${shared.runtime.threads} threads); call it before the first op`);
  sharedOptions = { ...sharedOptions, ...options };
}

/** Threads of the process-wide wasm runtime, or undefined before it starts (or on another backend). */
export function wasmThreads(): number | undefined {
  return shared?.runtime.threads;
}

/**
 * Sizes of the process-wide runtime's heap (tests use a small budget to reach the steady state
 * quickly); only before its first use.
 */
export function configureSharedHeap(heap: HeapOptions): void {
  if (shared) throw new Error('configureSharedHeap: the wasm runtime is already in use');
  sharedOptions = { ...sharedOptions, heap };
}

/**
 * Tensor storage from the process-wide runtime's heap (heap.ts) when residency is on (see
 * resolveResident) and the memory is shared, else null (JS memory).
 */
export function wasmStorage(dtype: 'float32' | 'int32', size: number, zero: boolean): Float32Array | Int32Array | null {
  if (resident === undefined) {
    // Only a shared memory keeps views valid when it grows (a non-shared one detaches them).
    resident = resolveResident() && typeof SharedArrayBuffer === 'function' && lazy() && shared!.runtime.memory.buffer instanceof SharedArrayBuffer;
  }
  if (!resident) return null;
  return shared!.runtime.heap.array(dtype, size, zero);
}
let resident: boolean | undefined;

/** Gives a resident array's block back to the heap at once (see WasmHeap.recycle); false for any other array. */
export function wasmRelease(a: Float32Array | Int32Array): boolean {
  return resident === true && shared!.runtime.heap.recycle(a);
}

/** The process-wide runtime's heap (null before its first use), for tests and profiles. */
export function sharedHeap(): WasmHeap | null {
  return shared ? shared.runtime.heap : null;
}

/** Bytes of linear memory the process-wide runtime holds (0 before its first use). */
export function wasmMemoryBytes(): number {
  return shared ? shared.runtime.memory.buffer.byteLength : 0;
}

/** The process-wide wasm kernels, instantiated lazily so merely registering the backend is free. */
export const wasmKernels = Object.fromEntries(WASM_KERNELS.map((name) => [
  name, (...args: unknown[]): unknown => (lazy()[name] as (...a: unknown[]) => unknown)(...args),
])) as unknown as WasmKernels;
