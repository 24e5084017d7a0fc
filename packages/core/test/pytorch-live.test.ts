/**
 * PyTorch parity, live: each run asks PyTorch (/usr/bin/python3 with torch, which .ci/run installs)
 * for a fresh batch of reference cases with a new seed — fixtures/generate_live.py: cross-entropy in
 * all its options and every op with a gradient — and compares them in float64 as the committed
 * reference tests do (|a − b| ≤ 1e-7 + 1e-6·|b|), on whichever backend this pass runs; the
 * cross-entropy cases also in float32 (1e-4 relative), which runs the wasm kernels in the wasm pass.
 * Python starts once per pass. Without PyTorch the suite says so and checks the committed fixtures
 * only (the other reference tests). TESSERA_PARITY_SEED=<seed> replays a run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';
import { getBackend } from '../src/index.js';
import { checkOpCase, type RefCase } from './fixtures/calls.js';
import { assertCloseToReference, fixtureNumber, runCrossEntropyCase, type CrossEntropyCase } from './fixtures/load.js';

const PYTHON = '/usr/bin/python3';
const script = fileURLToPath(new URL('./fixtures/generate_live.py', import.meta.url));
const seed = Number(process.env['TESSERA_PARITY_SEED'] ?? Date.now() % 2 ** 31);

interface LiveBatch {
  producer: string;
  seed: number;
  crossEntropy: CrossEntropyCase[];
  ops: RefCase[];
}

function live(): { batch: LiveBatch } | { why: string } {
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { why: `${PYTHON} cannot import torch (${(probe.error?.message ?? probe.stderr.trim().split('\n').pop()) || 'no reason given'})` };
  // TESSERA_PARITY_CE / TESSERA_PARITY_PER_OP: more cases (pnpm reliability); the suite keeps the defaults (40, 3).
  const counts = ['--ce', process.env['TESSERA_PARITY_CE'] ?? '40', '--per-op', process.env['TESSERA_PARITY_PER_OP'] ?? '3'];
  const r = spawnSync(PYTHON, [script, '--seed', String(seed), ...counts], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`generate_live.py --seed ${seed} failed (${r.status}): ${r.stderr}`);
  return { batch: JSON.parse(r.stdout) as LiveBatch };
}

const got = live();
const batch = 'batch' in got ? got.batch : null;
console.log(batch
  ? `PyTorch parity: LIVE — ${batch.producer}, seed ${seed} (replay: TESSERA_PARITY_SEED=${seed}): ${batch.crossEntropy.length} cross-entropy and ` +
    `${batch.ops.length} op cases over ${new Set(batch.ops.map((c) => c.op)).size} ops, float64 on the ${getBackend()} backend`
  : `PyTorch parity: COMMITTED FIXTURES ONLY — ${(got as { why: string }).why}; no live cases were generated or compared ` +
    '(install python3-torch, as .ci/run does, to compare against PyTorch live)');

/** Exports that are not ops with a gradient, or whose gradient is not compared here (with the reason). */
const NOT_COMPARED: Record<string, string> = {
  ...Object.fromEntries(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'argmax', 'argmin'].map((k) => [k, 'no gradient'])),
  dropout: 'random: compared by its statistics in dropout.test.ts', cast: 'a dtype conversion: its gradient is the identity',
  crossEntropy: 'its own cases (crossEntropy in the batch)',
};
/** Exported functions that are not ops at all (creation, engine, backends, shapes, weights). */
const NOT_OPS = new Set([
  'tensor', 'zeros', 'ones', 'full', 'zerosLike', 'onesLike', 'arange', 'rand', 'randn', 'uniform', 'randint', 'randperm', 'manualSeed', 'defaultGenerator',
  'backward', 'noGrad', 'enableGrad', 'isGradEnabled', 'record', 'unbroadcast',
  'grad', 'recordMulti', 'valueAndGrad', 'vjp', 'jvp', 'hvp', 'customOp', 'markModified', 'versionOf', 'setDetectAnomaly', 'isAnomalyEnabled', 'detectAnomaly', 'kernels', 'setBackend', 'getBackend', 'listBackends',
  'registerBackend', 'configureWasm', 'wasmThreads', 'setOpTimer', 'broadcastShapes', 'sizeOf', 'formatShape', 'normalizeDim', 'shapesEqual', 'isFloatDType', 'promoteTypes', 'classWeights',
  'checkOptions', 'checkBool', 'checkNumber', 'checkDType', 'checkShape', 'checkReduction', 'describeValue',
]);

describe('PyTorch parity, live', () => {
  it('generate_live.py has a generator for every exported op with a gradient (a new op needs one, or a reason here)', () => {
    const source = readFileSync(script, 'utf8') + readFileSync(new URL('./fixtures/generate_extra.py', import.meta.url), 'utf8');
    const ops = Object.entries(core).filter(([k, v]) => typeof v === 'function' && !/^[A-Z]/.test(k) && !NOT_OPS.has(k)).map(([k]) => k);
    const missing = ops.filter((k) => !(k in NOT_COMPARED) && !source.includes(`"${k}"`));
    expect(missing).toEqual([]);
    expect(ops.length).toBeGreaterThan(50);
  });

  if (batch === null) {
    it('without PyTorch: says so (above) and leaves the comparison to the committed fixtures', () => {
      expect('why' in got && got.why).toMatch(/cannot import torch/);
    });
    return;
  }

  it('the batch is fresh and covers every generator', () => {
    expect(batch.seed).toBe(seed);
    expect(batch.crossEntropy.length).toBeGreaterThanOrEqual(40);
    expect(new Set(batch.ops.map((c) => c.op)).size).toBeGreaterThanOrEqual(50);
  });

  it.each(batch.crossEntropy.map((c, i) => [i, c] as const))('crossEntropy %i: loss and gradient in float64', (i, c) => {
    const { loss, grad } = runCrossEntropyCase(c, 'float64');
    assertCloseToReference(loss, c.loss, `live crossEntropy ${i} (seed ${seed}) loss`);
    assertCloseToReference(grad, c.gradInput, `live crossEntropy ${i} (seed ${seed}) gradInput`);
  });

  it('crossEntropy in float32 agrees to 1e-4 relative where float32 holds the logits closely (|x| < 40)', () => {
    const small = batch.crossEntropy.filter((c) => c.input.data.every((v) => !Number.isFinite(fixtureNumber(v)) || Math.abs(fixtureNumber(v)) < 40));
    expect(small.length).toBeGreaterThan(10);
    for (const c of small) {
      const { loss, grad } = runCrossEntropyCase(c, 'float32');
      const what = `live crossEntropy ${batch.crossEntropy.indexOf(c)} (seed ${seed}) float32`;
      assertCloseToReference(loss, c.loss, `${what} loss`, 1e-7, 1e-4);
      assertCloseToReference(grad, c.gradInput, `${what} gradInput`, 1e-7, 1e-4);
    }
  });

  it.each(batch.ops.map((c, i) => [i, c.op, c.family ?? '', c] as const))('op %i: %s (%s), output and every gradient in float64', (i, op, _f, c) =>
    checkOpCase(c, `live ${op}[${i}] (seed ${seed})`),
  );
});
