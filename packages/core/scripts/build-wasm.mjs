#!/usr/bin/env node
/**
 * Builds Tessera's WebAssembly kernels from AssemblyScript source:
 *   src/kernels/wasm/assembly/index.ts  ->  src/kernels/wasm/build/kernels.wasm
 *
 * Policy: the built .wasm is COMMITTED, so importing @tessera/core never needs a build step or the
 * compiler. test/kernels-wasm-build.test.ts runs `node scripts/build-wasm.mjs --check`, which rebuilds
 * in memory and fails if the committed bytes differ from a fresh build of the source (the compiler
 * is pinned exactly, so builds are reproducible). After editing assembly/*.ts run
 * `pnpm --filter @tessera/core build:wasm` and commit the new kernels.wasm with the source.
 *
 * Flags: SIMD on (f32x4), -O3 speed, no runtime/GC (the loader owns all memory), memory imported as
 * `env.memory` and shared so worker threads run the same instance code on the same memory.
 * Usage: node scripts/build-wasm.mjs [--check] [--wat]   (--wat also writes build/kernels.wat)
 */
import asc from 'assemblyscript/asc';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'src/kernels/wasm/assembly/index.ts');
const outFile = join(root, 'src/kernels/wasm/build/kernels.wasm');

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

/** Compiles the kernels; resolves to { wasm: Uint8Array, wat: string }. */
export async function buildWasm() {
  const outputs = {};
  const errors = [];
  const { error } = await asc.main([entry, '--outFile', 'kernels.wasm', '--textFile', 'kernels.wat', ...ASC_FLAGS], {
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
  const t0 = performance.now();
  const { wasm, wat } = await buildWasm();
  if (args.has('--check')) {
    let committed;
    try { committed = readFileSync(outFile); } catch { committed = Buffer.alloc(0); }
    if (!Buffer.from(wasm).equals(committed)) {
      console.error(`build-wasm: ${outFile} is stale: rebuild with \`pnpm --filter @tessera/core build:wasm\` and commit it`);
      process.exit(1);
    }
    console.log(`build-wasm: kernels.wasm is up to date (${wasm.length} bytes)`);
  } else {
    writeAtomic(outFile, wasm);
    if (args.has('--wat')) writeAtomic(outFile.replace(/\.wasm$/, '.wat'), wat);
    console.log(`build-wasm: wrote ${outFile} (${wasm.length} bytes, ${(performance.now() - t0).toFixed(0)} ms)`);
  }
}
