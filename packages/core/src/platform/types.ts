/**
 * What Tessera needs from the JavaScript runtime it runs on, in one small interface, so that the
 * rest of @tessera/core imports no `node:` module and reads no `process` global. Two
 * implementations, picked by the package's `#platform` import map (package.json `imports`):
 * node.ts under the `node` condition (Node, tsx, vitest, esbuild --platform=node) and browser.ts
 * otherwise (bundlers building for browsers, Web Workers).
 */
import type { WasmMemory, WasmModule } from '../kernels/wasm/webassembly.js';

/** The compiled kernels: the plain SIMD build and the relaxed-SIMD (fused multiply-add) build. */
export type KernelsBuild = 'kernels.wasm' | 'kernels-relaxed.wasm';

/** What a kernel thread receives (mirrored by kernels/wasm/worker-loop.mjs). */
export interface KernelThreadData {
  module: WasmModule;
  memory: WasmMemory;
  /** Byte address of the pool's control words. */
  ctrl: number;
  /** Names of the exported item functions. */
  functions: readonly string[];
  /** Byte address of this thread's scratch area. */
  scratch: number;
}

/** What the wasm storage heap (kernels/wasm/heap.ts) needs to give memory back synchronously. */
export interface ReclaimHooks {
  Registry: typeof FinalizationRegistry;
  /** Whether the Registry's instances have cleanupSome(). */
  cleanupSome: boolean;
  /** A forced major GC, or null. */
  gc: (() => void) | null;
}

/** A started kernel thread (a Node worker thread or a Web Worker). */
export interface KernelThread {
  terminate(): Promise<unknown>;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  /** An environment setting (Node: `process.env`; browsers have none: undefined). */
  env(name: string): string | undefined;
  /** Bytes of memory of the machine (browsers: navigator.deviceMemory, else 4 GiB), which bounds the wasm heap. */
  totalMemory(): number;
  /**
   * The FinalizationRegistry the wasm heap registers its blocks with, and how to reclaim them
   * synchronously (Node: cleanupSome and gc from a vm context; browsers: neither, so blocks come
   * back when the event loop turns).
   */
  reclaimHooks(): ReclaimHooks;
  /** Logical processors (Node: os.availableParallelism(); browsers: navigator.hardwareConcurrency). */
  parallelism(): number;
  /**
   * How many kernel threads this context can run, with the reason when that is 1: threads need a
   * memory shared with Web Workers (a cross-origin isolated page) and a thread that may block in
   * Atomics.wait (not a page's main thread).
   */
  threadLimit(): { max: number; why?: string };
  /** The bytes of a kernels build, or undefined when it cannot be had (browsers: not fetched). */
  kernelsBytes(build: KernelsBuild): Uint8Array | undefined;
  /** Lets this runtime run relaxed SIMD if it has it behind a flag (Node 20's V8); else nothing. */
  enableRelaxedSimd(): void;
  /** The compiled module of a build (browsers: compiled when the platform loaded). */
  compileKernels(build: KernelsBuild): WasmModule;
  /** Starts one kernel thread running worker-loop.mjs over `data`. */
  startKernelThread(data: KernelThreadData): KernelThread;
  /** A one-line note for the developer (console.info in browsers, nothing in Node). */
  note(message: string): void;
}
