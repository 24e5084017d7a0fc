#!/usr/bin/env node
/**
 * Builds Tessera's WebAssembly kernels from AssemblyScript source:
 *   src/kernels/wasm/assembly/index.ts  ->  src/kernels/wasm/build/kernels.wasm          (SIMD)
 *                                       ->  src/kernels/wasm/build/kernels-relaxed.wasm  (SIMD + relaxed SIMD:
 *                                           fused multiply-add; used where the runtime supports it, see runtime.ts)
 *
 * Policy: the built .wasm is COMMITTED, so importing @tessera/core never needs a build step or the
 * compiler. test/kernels-wasm-build.test.ts runs `node scripts/build-wasm.mjs --check`, which rebuilds
 * in memory and fails if the committed bytes differ from a fresh build of the source (the compiler
 * is pinned exactly, so builds are reproducible). After editing assembly/*.ts run
 * `pnpm --filter @tessera/core build:wasm` and commit the new kernels.wasm with the source.
 *
 * Flags: SIMD on (f32x4), -O3 speed, no runtime/GC (the loader owns all memory), memory imported as
 * `env.memory` and shared so worker threads run the same instance code on the same memory.
 * Usage: node scripts/build-wasm.mjs [--check] [--wat]   (--wat also writes the .wat text next to each)
 */
import asc from 'assemblyscript/asc';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/kernels/wasm/assembly/index.ts');
const outDir = join(root, 'src/kernels/wasm/build');

/** Output file -> extra asc flags. */
export const VARIANTS = {
  'kernels.wasm': [],
  'kernels-relaxed.wasm': ['--enable', 'relaxed-simd'],
};

/** Maximum linear memory in 64 KiB pages (4 GiB, the wasm32 limit); must match the loader's. */
export const MAX_PAGES = 65536;

export const ASC_FLAGS = [
  '--enable', 'simd', '--enable', 'threads',
  '--optimizeLevel', '3', '--shrinkLevel', '0', '--converge',
  '--noAssert',
  '--runtime', 'stub',
  '--use', 'abort=',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', String(MAX_PAGES),
];

/** Compiles one variant of the kernels; resolves to { wasm: Uint8Array, wat: string }. */
export async function buildWasm(extraFlags = []) {
  const outputs = {};
  const errors = [];
  const args = [entry, '--outFile', 'kernels.wasm', '--textFile', 'kernels.wat', ...ASC_FLAGS, ...extraFlags];
  const { error } = await asc.main(args, {
    writeFile: (name, contents) => { outputs[name] = contents; },
    stdout: { write: () => true },
    stderr: { write: (chunk) => { errors.push(String(chunk)); return true; } },
  });
  if (error) throw new Error(`build-wasm: asc failed: ${error.message}\n${errors.join('')}`);
  const wasm = outputs['kernels.wasm'];
  const wat = String(outputs['kernels.wat'] ?? '');
  if (!(wasm instanceof Uint8Array)) throw new Error('build-wasm: asc produced no binary');
  // Every instance (one per thread) would re-apply data segments to the shared memory: forbid them.
  if (/\(data\b/.test(wat)) throw new Error('build-wasm: the module has static data segments; kernels must not use static data');
  return { wasm, wat };
}

function writeAtomic(file, bytes) {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = new Set(process.argv.slice(2));
  let stale = 0;
  for (const [name, flags] of Object.entries(VARIANTS)) {
    const t0 = performance.now();
    const { wasm, wat } = await buildWasm(flags);
    const file = join(outDir, name);
    if (args.has('--check')) {
      let committed;
      try { committed = readFileSync(file); } catch { committed = Buffer.alloc(0); }
      if (Buffer.from(wasm).equals(committed)) {
        console.log(`build-wasm: ${name} is up to date (${wasm.length} bytes)`);
      } else {
        console.error(`build-wasm: ${file} is stale: rebuild with \`pnpm --filter @tessera/core build:wasm\` and commit it`);
        stale++;
      }
    } else {
      writeAtomic(file, wasm);
      if (args.has('--wat')) writeAtomic(file.replace(/\.wasm$/, '.wat'), wat);
      console.log(`build-wasm: wrote ${file} (${wasm.length} bytes, ${(performance.now() - t0).toFixed(0)} ms)`);
    }
  }
  if (stale > 0) process.exit(1);
}
