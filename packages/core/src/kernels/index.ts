/**
 * Backend selection. Ops call `kernels()` and never know which backend answers. A backend may
 * implement only some kernels; the rest fall back to the plain TypeScript ones.
 * The default is 'wasm' when this runtime validates the WebAssembly SIMD kernels (Node ≥ 16.4),
 * else 'js'. The wasm kernels take float32 arrays only and hand float64 (gradcheck) to the js
 * ones, so float64 always runs the js path. `TESSERA_BACKEND=js|wasm` picks the backend at
 * start-up; `setBackend` switches at run time.
 */
import { checkOptions, describeValue } from '../args.js';
import { platform } from '#platform';
import { setStorageProvider, setStorageRelease, type StorageProvider } from '../dtype.js';
import { jsKernels } from './js.js';
import type { Kernels } from './types.js';
import { wasmKernels, wasmRelease, wasmStorage, wasmSupported } from './wasm/index.js';

export type { Kernels, BinaryKernelOp, UnaryKernelOp, GemmOptions } from './types.js';

const backends = new Map<string, Kernels>([['js', jsKernels]]);
/** Storage each backend serves (none: ordinary JS memory). */
const storage = new Map<string, StorageProvider>();
let active: Kernels = jsKernels;

/** The active kernels. */
export function kernels(): Kernels {
  return active;
}

/**
 * Registers a backend by name; missing kernels fall back to the js backend. `storage` serves the
 * data of tensors allocated while it is active (see dtype.ts's allocate).
 */
export function registerBackend(name: string, partial: Partial<Kernels>, options: { storage?: StorageProvider } = {}): void {
  if (typeof name !== 'string' || name === '') throw new Error(`registerBackend: name must be a non-empty string, got ${describeValue(name)}`);
  if (partial === null || typeof partial !== 'object') throw new Error(`registerBackend: kernels must be an object of kernel functions, got ${describeValue(partial)}`);
  for (const [k, f] of Object.entries(partial)) {
    if (typeof f !== 'function' && k !== 'name') throw new Error(`registerBackend: kernels.${k} must be a function, got ${describeValue(f)}`);
  }
  checkOptions('registerBackend', options, ['storage']);
  backends.set(name, { ...jsKernels, ...partial, name });
  if (options.storage) storage.set(name, options.storage);
  else storage.delete(name);
}

/** Selects a registered backend by name. */
export function setBackend(name: string): void {
  const k = backends.get(name);
  if (!k) throw new Error(`setBackend: unknown backend '${name}' (registered: ${[...backends.keys()].join(', ')})`);
  active = k;
  setStorageProvider(storage.get(name) ?? null);
}

export function getBackend(): string {
  return active.name;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

// WebAssembly float32 kernels (worker threads, shared memory); instantiated on first use.
registerBackend('wasm', wasmKernels, { storage: wasmStorage });
// Only the wasm heap's own blocks are ever given back (it checks), so this holds for any backend.
setStorageRelease(wasmRelease);
if (wasmSupported()) setBackend('wasm');
else platform.note('the WebAssembly kernels cannot run here, so the plain TypeScript kernels do');

const fromEnv = platform.env('TESSERA_BACKEND');
if (fromEnv !== undefined && fromEnv !== '') {
  if (!backends.has(fromEnv)) {
    throw new Error(`TESSERA_BACKEND: unknown backend '${fromEnv}' (registered: ${[...backends.keys()].join(', ')})`);
  }
  setBackend(fromEnv);
}
