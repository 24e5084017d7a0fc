/**
 * The platform in browsers and Web Workers (see types.ts). No `node:` import and no `process`.
 *
 * The kernels are fetched by URL (relative to this module, so bundlers that understand
 * `new URL('…', import.meta.url)` — Vite, webpack 5, Rollup with a URL plugin — copy them as assets)
 * and compiled asynchronously when this module is first imported (a top-level await), so that the
 * rest of the library keeps its synchronous API. When they cannot be fetched (a `file://` page, a
 * bundler that dropped them), the wasm backend reports itself unsupported and the js kernels run.
 *
 * Kernel threads are module Web Workers (worker-web.mjs) over the same shared WebAssembly.Memory.
 * Sharing a memory with a worker needs a cross-origin isolated page, and the calling thread blocks
 * in Atomics.wait while a job runs, which a page's main thread may not: anywhere else the kernels
 * run on one thread, with a console note saying why.
 */
import type { WasmModule } from '../kernels/wasm/webassembly.js';
import type { KernelThread, KernelThreadData, KernelsBuild, Platform, ReclaimHooks } from './types.js';

/** The Web Worker constructor (typed here: the project compiles without lib.dom). */
declare const Worker: new (url: URL, options: { type: 'module'; name: string }) => {
  postMessage(message: unknown): void;
  terminate(): void;
};

interface WebGlobals {
  fetch?: (url: URL) => Promise<{ ok: boolean; arrayBuffer(): Promise<ArrayBuffer> }>;
  navigator?: { hardwareConcurrency?: number; deviceMemory?: number };
  crossOriginIsolated?: boolean;
  WorkerGlobalScope?: unknown;
  Worker?: unknown;
  console: { info(message: string): void };
  WebAssembly: { validate(bytes: Uint8Array): boolean; compile(bytes: Uint8Array): Promise<WasmModule> };
}
const g = globalThis as unknown as WebGlobals;

const urls: Record<KernelsBuild, URL> = {
  'kernels.wasm': new URL('../kernels/wasm/build/kernels.wasm', import.meta.url),
  'kernels-relaxed.wasm': new URL('../kernels/wasm/build/kernels-relaxed.wasm', import.meta.url),
};

const bytes = new Map<KernelsBuild, Uint8Array>();
const modules = new Map<KernelsBuild, WasmModule>();

async function load(build: KernelsBuild): Promise<void> {
  try {
    const res = await g.fetch!(urls[build]);
    if (!res.ok) return;
    const b = new Uint8Array(await res.arrayBuffer());
    bytes.set(build, b);
    if (g.WebAssembly.validate(b)) modules.set(build, await g.WebAssembly.compile(b));
  } catch {
    // Not fetchable here: the wasm backend is then unsupported and the js kernels run.
  }
}

if (typeof g.fetch === 'function' && typeof g.WebAssembly === 'object') {
  await Promise.all([load('kernels.wasm'), load('kernels-relaxed.wasm')]);
}

function threadLimit(): { max: number; why?: string } {
  if (g.crossOriginIsolated !== true) {
    return { max: 1, why: 'the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)' };
  }
  if (g.WorkerGlobalScope === undefined) return { max: 1, why: "a page's main thread may not wait for kernel threads (train in a Web Worker)" };
  if (typeof g.Worker !== 'function') return { max: 1, why: 'this worker cannot start Web Workers' };
  return { max: Infinity };
}

/**
 * The plain registry: browsers offer neither cleanupSome nor a forced GC, so the heap's blocks come
 * back when the event loop turns (a training loop that awaits between steps lets it), and past its
 * budget the heap hands out ordinary JS memory.
 */
const hooks: ReclaimHooks = { Registry: FinalizationRegistry, cleanupSome: false, gc: null };

export const platform: Platform = {
  name: 'browser',
  env: () => undefined,
  // deviceMemory is in GiB, rounded and capped (Chromium: at most 8); absent elsewhere (Firefox, Safari).
  totalMemory: () => (g.navigator?.deviceMemory ?? 4) * 2 ** 30,
  reclaimHooks: () => hooks,
  parallelism: () => g.navigator?.hardwareConcurrency ?? 1,
  threadLimit,
  kernelsBytes: (build) => bytes.get(build),
  enableRelaxedSimd: () => undefined,
  compileKernels(build) {
    const m = modules.get(build);
    if (!m) throw new Error(`wasm kernels: ${build} was not loaded (fetching ${urls[build].href} failed or it does not validate)`);
    return m;
  },
  startKernelThread(data: KernelThreadData): KernelThread {
    const worker = new Worker(new URL('../kernels/wasm/worker-web.mjs', import.meta.url), { type: 'module', name: 'tessera-kernels' });
    worker.postMessage(data);
    return { terminate: async () => worker.terminate() };
  },
  note: (message) => g.console.info(`Tessera: ${message}`),
};
