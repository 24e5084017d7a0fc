/**
 * The committed src/kernels/wasm/build/kernels.wasm must be exactly what the AssemblyScript source
 * compiles to (scripts/build-wasm.mjs --check rebuilds in memory and compares the bytes).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('kernels.wasm is up to date with src/kernels/wasm/assembly', () => {
  const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
  const res = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8', timeout: 120_000 });
  expect(res.stderr).toBe('');
  expect(res.stdout).toMatch(/kernels\.wasm is up to date/);
  expect(res.status).toBe(0);
});
