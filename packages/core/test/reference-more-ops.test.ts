/**
 * PyTorch's values for the ops of fixtures/more-ops.torch.json (PyTorch 1.13, float64, written by
 * fixtures/generate_more_ops.py): hand-written edge calls of every option, dim form, reduction,
 * size-0 and size-1 dims, NaN and infinities, and random calls picked for pairwise coverage. Each case
 * checks the output and the gradient of sum(output · upstream) for every float input, with
 * |a − b| ≤ 1e-7 + 1e-6·|b|, on whichever backend this pass runs.
 */
import { describe, expect, it } from 'vitest';
import { CALLS, checkOpCase, type RefCase } from './fixtures/calls.js';
import { loadFixture, type FixtureFile } from './fixtures/load.js';

const cases = loadFixture<FixtureFile<RefCase>>('more-ops.torch.json').cases;
/** The ops this file checks (all of the fixture's ops, once each has landed). */
const OPS = ['log1p', 'expm1', 'sin', 'cos', 'erf', 'softplus', 'gelu', 'logsumexp', 'cumsum', 'flip', 'roll', 'oneHot', 'layerNorm', 'groupNorm', 'mseLoss', 'l1Loss', 'smoothL1Loss'];

describe('PyTorch reference cases of the ops in more-ops.torch.json', () => {
  it('has edge and random cases for every op, and a call for each', () => {
    for (const op of OPS) {
      const mine = cases.filter((c) => c.op === op);
      expect(mine.filter((c) => c.family === 'edge').length, op).toBeGreaterThan(0);
      expect(mine.filter((c) => c.family === 'base').length, op).toBeGreaterThanOrEqual(6);
      expect(CALLS[op], op).toBeDefined();
    }
  });

  const mine = cases.map((c, i) => [i, c.op, c.note ?? c.family ?? '', c] as const).filter(([, op]) => OPS.includes(op));
  it.each(mine)('case %i: %s (%s)', (i, op, _note, c) => checkOpCase(c, `more-ops case ${i} (${op})`));
});
