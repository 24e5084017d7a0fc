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
 * Each stages its operands in wasm memory once per call (a memcpy each way), runs, copies results back.
 *
 * Adding a kernel family: write assembly/<family>.ts and export it from assembly/index.ts; run
 * `pnpm --filter @tessera/core build:wasm`; write wasm/<family>.ts that places operands at
 * `runtime.stage([...lengths])`, calls `runtime.fn('name')(...)` or, for multi-threaded work, writes a
 * descriptor at DESC and calls `runtime.run('<name>Item', items, flops)` after adding the item
 * function to ITEM_FUNCTIONS (runtime.ts); add it to `WasmKernels` below, with a test against js.
 */
import type { Kernels } from '../types.js';
import { createWasmConv } from './conv.js';
import { createWasmCrossEntropy } from './cross-entropy.js';
import { createWasmElementwise } from './elementwise.js';
import { createWasmGemm } from './gemm.js';
import { createWasmNorm } from './norm.js';
import { createWasmPooling } from './pooling.js';
import { WasmRuntime, type WasmRuntimeOptions } from './runtime.js';

export { resolveRelaxed, wasmSupported } from './module.js';
export { WasmRuntime, resolveThreads, type WasmRuntimeOptions } from './runtime.js';

/** The kernels this backend implements (the rest come from the js backend). */
export type WasmKernels = Pick<
  Kernels,
  | 'gemm' | 'conv2dForward' | 'conv2dBackward' | 'unary' | 'reluBackward' | 'binary' | 'resample1d' | 'resample1dBackward'
  | 'crossEntropyForward' | 'crossEntropyBackward' | 'maxPool2d'
  | 'channelMoments' | 'channelAffine' | 'channelGradSums' | 'channelCombine'
>;

/** Kernels over a new runtime; `dispose` stops its worker threads. */
export function createWasmKernels(options: WasmRuntimeOptions = {}): WasmKernels & { runtime: WasmRuntime; dispose(): Promise<void> } {
  const runtime = new WasmRuntime(options);
  const gemm = createWasmGemm(runtime);
  return {
    gemm, ...createWasmConv(runtime, gemm), ...createWasmElementwise(runtime), ...createWasmCrossEntropy(runtime),
    ...createWasmPooling(runtime), ...createWasmNorm(runtime),
    runtime, dispose: () => runtime.dispose(),
  };
}

let shared: ReturnType<typeof createWasmKernels> | undefined;
const lazy = (): WasmKernels => (shared ??= createWasmKernels());

/** Bytes of linear memory the process-wide runtime holds (0 before its first use). */
export function wasmMemoryBytes(): number {
  return shared ? shared.runtime.memory.buffer.byteLength : 0;
}

/** The process-wide wasm kernels, instantiated lazily so merely registering the backend is free. */
export const wasmKernels: WasmKernels = {
  gemm: (...args) => lazy().gemm(...args),
  conv2dForward: (...args) => lazy().conv2dForward(...args),
  conv2dBackward: (...args) => lazy().conv2dBackward(...args),
  unary: (...args) => lazy().unary(...args),
  reluBackward: (...args) => lazy().reluBackward(...args),
  binary: (...args) => lazy().binary(...args),
  resample1d: (...args) => lazy().resample1d(...args),
  resample1dBackward: (...args) => lazy().resample1dBackward(...args),
  crossEntropyForward: (...args) => lazy().crossEntropyForward(...args),
  crossEntropyBackward: (...args) => lazy().crossEntropyBackward(...args),
  maxPool2d: (...args) => lazy().maxPool2d(...args),
  channelMoments: (...args) => lazy().channelMoments(...args),
  channelAffine: (...args) => lazy().channelAffine(...args),
  channelGradSums: (...args) => lazy().channelGradSums(...args),
  channelCombine: (...args) => lazy().channelCombine(...args),
};
