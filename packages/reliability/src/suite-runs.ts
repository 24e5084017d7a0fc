/**
 * The thorough modes that are the suite's own tests run longer: vitest on one test file with the
 * environment that scales it (TESSERA_FUZZ_RUNS, TESSERA_PARITY_CE, TESSERA_MEMORY_STEPS, …), on
 * each kernel backend; the test's summary lines are what the campaign reports.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const vitest = fileURLToPath(new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url));

/** Runs `file` (relative to the repository) with `env` on `backend`; returns the lines that match `summary`. */
export function runTestFile(file: string, env: Record<string, string>, backend: 'wasm' | 'js', summary: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [vitest, 'run', file], {
      cwd: root, env: { ...process.env, ...env, TESSERA_BACKEND: backend, NO_COLOR: '1', FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    p.stderr.setEncoding('utf8').on('data', (s: string) => (out += s));
    p.on('exit', (code) => {
      const lines = out.split('\n').filter((l) => summary.test(l)).map((l) => `${backend}: ${l.trim()}`);
      if (code === 0) resolve(lines);
      else reject(new Error(`${file} failed on ${backend} (exit ${code}):\n${out.split('\n').filter((l) => /FAIL|Error|×|AssertionError/.test(l)).slice(0, 30).join('\n')}`));
    });
  });
}

/** The same test file on both backends, one after the other. */
export async function onBothBackends(file: string, env: Record<string, string>, summary: RegExp): Promise<string[]> {
  return [...(await runTestFile(file, env, 'wasm', summary)), ...(await runTestFile(file, env, 'js', summary))];
}
