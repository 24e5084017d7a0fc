import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli.js';

const exampleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(exampleDir, '..', '..', 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'tessera-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs main in-process and captures what it writes on stderr. */
async function run(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true));
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const code = await main(args);
  return { code, stderr };
}

describe('cli (spawned with tsx)', () => {
  it('exits 2 with one line on stderr for an unknown variant, before doing any work', () => {
    const r = spawnSync(tsx, ['src/cli.ts', 'train', '--variants', 'ce,bogus', '--out', join(dir, 'never')], { cwd: exampleDir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: --variants: unknown variant 'bogus' \(known: ce, weighted-ce, focal, dice, ce\+dice\)/);
    expect(r.stdout).toBe('');
  });

  it('exits 2 for a missing checkpoint', () => {
    const r = spawnSync(tsx, ['src/cli.ts', 'predict', '--checkpoint', join(dir, 'none.safetensors'), '--t1', 'a.png', '--t2', 'b.png'], { cwd: exampleDir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('checkpoint not found');
  });
});

describe('cli (in process)', () => {
  it.each([
    [['train', '--size', '40', '--depth', '4'], /--size: FCSiamDiff with depth 4 needs a size that is a multiple of 16, got 40/],
    [['train', '--epochs', 'many'], /--epochs: expected a number, got 'many'/],
    [['train', '--colour', 'red'], /Unknown option '--colour'/],
    [['train', '--resume', '/no/such/run'], /--resume: \/no\/such\/run is not a run folder/],
    [['predict', '--t1', 'a.png'], /--checkpoint is required/],
    [['data', '--size', '8'], /--size: must be an integer of at least 16/],
    [['data', '--train', '4'], /--train, --val, --test: only with --levir/],
    [['train', '--data', 'somewhere', '--train', '5'], /--train: describes the synthetic data; with --data the folder decides/],
    [['train', '--stride', '8'], /--stride: only with --data/],
    [['train', '--data', '/no/such/folder', '--out', join(dir, 'no-data')], /--data: LEVIR-CD dataset: \/no\/such\/folder is not a folder/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j exits 2 with a one-line error', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('leaves no run behind when the --data folder does not load', async () => {
    expect((await run(['train', '--data', '/no/such/folder', '--out', join(dir, 'no-data')])).code).toBe(2);
    expect(existsSync(join(dir, 'no-data', 'config.json'))).toBe(false);
  });

  it('prints help and exits 0', async () => {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    expect(await main(['train', '--help'])).toBe(0);
    expect(out).toContain('--variants LIST');
    expect(out).toContain('--resume DIR');
  });
});
