/**
 * The compiled kernels (build/kernels.wasm, plain SIMD, and build/kernels-relaxed.wasm, with
 * relaxed SIMD's fused multiply-add), loaded through the platform (Node: the package's files;
 * browsers: fetched by URL) and compiled once per process, the checks of what this runtime can run,
 * and the hooks the storage heap needs to reclaim memory (also from the platform).
 */
import { platform } from '#platform';
import type { ReclaimHooks } from '../../platform/types.js';
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
  const env = platform.env('TESSERA_WASM_RELAXED');
  const wanted = option ?? (env === '1' ? true : env === '0' ? false : undefined);
  if (env !== undefined && env !== '' && env !== '0' && env !== '1' && option === undefined) {
    throw new Error(`wasm kernels: TESSERA_WASM_RELAXED must be 0 or 1, got ${env}`);
  }
  if (wanted === false) return false;
  const bytes = platform.kernelsBytes('kernels-relaxed.wasm');
  if (bytes && WA.validate(bytes)) return true;
  platform.enableRelaxedSimd();
  if (bytes && WA.validate(bytes)) return true;
  if (wanted === undefined) return false;
  throw new Error('wasm kernels: relaxed SIMD was requested but this runtime cannot run it');
}

let supported: boolean | undefined;

/**
 * Whether this runtime can run the kernels: WebAssembly with SIMD and threads (a shared memory,
 * which browsers create even on pages that are not cross-origin isolated; only sharing it with
 * workers needs isolation). Checked once by validating the compiled module (no instance is created).
 */
export function wasmSupported(): boolean {
  if (supported === undefined) {
    try {
      const bytes = platform.kernelsBytes('kernels.wasm');
      supported = WA !== undefined && bytes !== undefined && WA.validate(bytes) &&
        new WA.Memory({ initial: 1, maximum: 1, shared: true }).buffer.byteLength > 0;
    } catch {
      supported = false;
    }
  }
  return supported;
}

/** The compiled kernels, SIMD or relaxed-SIMD build (compiled once per process, synchronously). */
export function kernelsModule(relaxed: boolean): WasmModule {
  let m = modules.get(relaxed);
  if (!m) {
    m = platform.compileKernels(relaxed ? 'kernels-relaxed.wasm' : 'kernels.wasm');
    modules.set(relaxed, m);
  }
  return m;
}

export type { ReclaimHooks } from '../../platform/types.js';

/** What heap.ts needs to give memory back synchronously, from the platform (see platform/types.ts). */
export function reclaimHooks(): ReclaimHooks {
  return platform.reclaimHooks();
}
