/**
 * The compiled kernels (build/kernels.wasm, plain SIMD, and build/kernels-relaxed.wasm, with
 * relaxed SIMD's fused multiply-add), loaded from the package and compiled once per process, and
 * the checks of what this runtime can run, and the hooks the storage heap needs to reclaim memory.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { createContext, runInContext } from 'node:vm';
import { WA, type WasmModule } from './webassembly.js';

const modules = new Map<boolean, WasmModule>();

/**
 * Whether to use the relaxed-SIMD build (f32x4.relaxed_madd: a fused multiply-add where the CPU has
 * FMA; measured 34 -> 44 GFLOP/s on the GEMM, ~20% off a segmenter training step on this machine):
 * the option, else TESSERA_WASM_RELAXED=1|0, else on when this runtime can run it. Node ≥ 22 runs it
 * natively. Node 20's V8 (11.3) has it complete but behind `--experimental-wasm-relaxed-simd`
 * (on by default from V8 11.4): we turn that flag on at run time, which only enables the feature for
 * modules compiled afterwards; if the build still does not validate, the plain SIMD build is used
 * (with `true`/TESSERA_WASM_RELAXED=1 that is an error instead). Results differ from the plain
 * build by float rounding only, and are the same on every thread of a machine (tested); between
 * machines with and without FMA they can differ in the last bits.
 */
export function resolveRelaxed(option?: boolean): boolean {
  const env = process.env['TESSERA_WASM_RELAXED'];
  const wanted = option ?? (env === '1' ? true : env === '0' ? false : undefined);
  if (env !== undefined && env !== '' && env !== '0' && env !== '1' && option === undefined) {
    throw new Error(`wasm kernels: TESSERA_WASM_RELAXED must be 0 or 1, got ${env}`);
  }
  if (wanted === false) return false;
  const bytes = readBuild('kernels-relaxed.wasm');
  if (WA.validate(bytes)) return true;
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (WA.validate(bytes)) return true;
  if (wanted === undefined) return false;
  throw new Error('wasm kernels: relaxed SIMD was requested but this runtime cannot run it');
}

let supported: boolean | undefined;

/**
 * Whether this runtime can run the kernels: WebAssembly with SIMD, threads (shared memory) and
 * SharedArrayBuffer. Checked once by validating the compiled module (no instance is created).
 */
export function wasmSupported(): boolean {
  if (supported === undefined) {
    try {
      supported = typeof SharedArrayBuffer === 'function' && WA !== undefined && WA.validate(readBuild('kernels.wasm'));
    } catch {
      supported = false;
    }
  }
  return supported;
}

function readBuild(file: string): Uint8Array {
  return readFileSync(fileURLToPath(new URL(`./build/${file}`, import.meta.url)));
}

/** The compiled kernels, SIMD or relaxed-SIMD build (compiled once per process, synchronously). */
export function kernelsModule(relaxed: boolean): WasmModule {
  let m = modules.get(relaxed);
  if (!m) {
    m = new WA.Module(readBuild(relaxed ? 'kernels-relaxed.wasm' : 'kernels.wasm'));
    modules.set(relaxed, m);
  }
  return m;
}

/** What heap.ts needs to give memory back synchronously (see reclaimHooks). */
export interface ReclaimHooks {
  Registry: typeof FinalizationRegistry;
  /** Whether the Registry's instances have cleanupSome(). */
  cleanupSome: boolean;
  /** A forced major GC, or null. */
  gc: (() => void) | null;
}

let hooks: ReclaimHooks | undefined;

/**
 * A FinalizationRegistry with cleanupSome() and a gc(), from a new vm context created after turning
 * on V8's `--harmony-weak-refs-with-cleanup-some` and `--expose-gc` (both take effect only in
 * contexts created afterwards; the main context gets neither). Measured on Node 20 (V8 11.3):
 * targets found dead by a major GC are reclaimed by cleanupSome(), synchronously; a minor GC does
 * not process them. Where either is missing (other runtimes), the plain registry: its callbacks
 * run when the event loop turns.
 */
export function reclaimHooks(): ReclaimHooks {
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
