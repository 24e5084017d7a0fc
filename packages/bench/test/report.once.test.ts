import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Generator } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { classTargets, emptyResult, type BenchResult, type ConfigSpec } from '../src/harness.js';
import { firstStepMismatches, ratioRows, ratioTable, type RoundResult } from '../src/report.js';
import { prepareWorkload } from '../src/tessera-workloads.js';
import { writeTorchInputs, type TorchManifest } from '../src/torch-inputs.js';

const config = (id: string, kind: ConfigSpec['kind'], threads: number): ConfigSpec => ({ id, kind, backend: kind === 'torch' ? 'cpu' : 'wasm', threads, label: id });

function run(round: number, id: string, kind: ConfigSpec['kind'], threads: number, medianMs: number, first = 1): RoundResult {
  const r: BenchResult = { ...emptyResult(config(id, kind, threads), 'ce', 'skipped', '', null), status: 'ok', note: null, medianMs, firstLoss: first };
  return { round, load: 1, result: r };
}

describe('the Tessera ÷ PyTorch table', () => {
  it('divides within each round and reports the median and range of the per-round ratios', () => {
    // Round 1: 10 / 5 = 2; round 2: 12 / 4 = 3; round 3: 9 / 9 = 1 → median 2, range 1–3. The
    // medians over the rounds are those of (10, 12, 9) = 10 and (5, 4, 9) = 5.
    const runs = [
      run(1, 'tessera-wasm-t2', 'tessera', 2, 10), run(1, 'torch-t2', 'torch', 2, 5),
      run(2, 'tessera-wasm-t2', 'tessera', 2, 12), run(2, 'torch-t2', 'torch', 2, 4),
      run(3, 'torch-t2', 'torch', 2, 9), run(3, 'tessera-wasm-t2', 'tessera', 2, 9),
    ];
    const [row, ...rest] = ratioRows(['ce'], runs);
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ workload: 'ce', threads: 2, tesseraMs: 10, torchMs: 5, ratios: [2, 3, 1] });
    expect(ratioTable([row!])).toContain('| ce | 2 | 10.0 | 5.00 | 2.00× [1.00×–3.00×] |');
  });

  it('divides by a --baseline checkout instead, round by round', () => {
    // Round 1: 8 / 10 = 0.8; round 2: 9 / 9 = 1 → median 0.9 (of two), range 0.8–1.
    const runs = [
      run(1, 'tessera-wasm-t2', 'tessera', 2, 8), run(1, 'base-wasm-t2', 'tessera', 2, 10), run(1, 'torch-t2', 'torch', 2, 4),
      run(2, 'base-wasm-t2', 'tessera', 2, 9), run(2, 'tessera-wasm-t2', 'tessera', 2, 9),
    ];
    const [row, ...rest] = ratioRows(['ce'], runs, 'base-wasm');
    expect(rest).toEqual([]);
    expect(row).toMatchObject({ threads: 2, tesseraMs: 8.5, torchMs: 9.5, ratios: [0.8, 1] });
    expect(ratioTable([row!], 'baseline')).toContain('| ce | 2 | 8.50 | 9.50 | 0.90× [0.80×–1.00×] |');
  });

  it('leaves out rounds where one side failed, and flags first steps that disagree', () => {
    const failed: RoundResult = { round: 2, load: 1, result: emptyResult(config('torch-t1', 'torch', 1), 'ce', 'error', 'boom', null) };
    const runs = [run(1, 'tessera-wasm-t1', 'tessera', 1, 6, 0.5), run(1, 'torch-t1', 'torch', 1, 3, 0.6), run(2, 'tessera-wasm-t1', 'tessera', 1, 6), failed];
    const rows = ratioRows(['ce'], runs);
    expect(rows.map((r) => r.ratios)).toEqual([[2]]);
    expect(firstStepMismatches(rows)).toEqual(['ce (1 thread): first step 0.5 in Tessera, 0.6 in PyTorch']);
  });
});

describe('the inputs handed to PyTorch', () => {
  it('are the bytes of the tensors Tessera trains on, with their dtypes and shapes', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-test-'));
    try {
      const manifest = JSON.parse(readFileSync(writeTorchInputs('ce4', dir), 'utf8')) as TorchManifest;
      const ours = prepareWorkload('ce4').inputs;
      expect(manifest.inputs.map((e) => [e.name, e.dtype, e.shape])).toEqual([
        ['logits', 'float32', [8, 4, 256, 256]], ['y', 'int32', [8, 256, 256]], ['weight', 'float32', [4]],
      ]);
      for (const e of manifest.inputs) {
        const bytes = readFileSync(path.join(dir, e.file));
        const t = ours[e.name]!;
        expect(Buffer.compare(bytes, Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('give segstep its parameters by their PyTorch names', () => {
    const names = prepareWorkload('segstep').params.map(([n]) => n);
    expect(names.slice(0, 4)).toEqual(['enc1.0.weight', 'enc1.0.bias', 'enc1.2.weight', 'enc1.2.bias']);
    expect(prepareWorkload('smallseg').params.map(([n]) => n)).toContain('dec1.4.weight'); // a BatchNorm2d's weight
  });
});

describe('classTargets', () => {
  it('draws the classes at their frequencies and ignores about the asked fraction', () => {
    const t = classTargets(40_000, [0.7, 0.15, 0.1, 0.05], 0.05, 255, new Generator(1));
    const count = (v: number): number => t.filter((x) => x === v).length / t.length;
    expect(count(255)).toBeCloseTo(0.05, 2);
    // Each class gets its frequency of the non-ignored 95%.
    [0.7, 0.15, 0.1, 0.05].forEach((f, k) => expect(count(k)).toBeCloseTo(0.95 * f, 2));
  });
});
