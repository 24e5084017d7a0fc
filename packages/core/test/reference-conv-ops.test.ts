/**
 * Every case of fixtures/ops.torch.json (PyTorch 1.13.1, float64) for the spatial and normalisation
 * ops, and of fixtures/spatial-extra.torch.json (edge cases from generate_spatial_extra.py: ceilMode,
 * pool padding and dilation, ties, 'same' padding, outputPadding, non-integer scale factors, sizes,
 * alignCorners, batch norm in eval mode and its running statistics): the output, the gradient of
 * sum(output · upstream) with respect to every floating input and, for batchNorm, the running
 * statistics after the call must match within |a − b| ≤ 1e-7 + 1e-6·|b|.
 */
import { describe, expect, test } from 'vitest';
import { checkOpCase, type RefCase } from './fixtures/calls.js';
import { loadFixture, opCases, type FixtureFile } from './fixtures/load.js';

/** A case of spatial-extra.torch.json: an OpCase with a note and, for batchNorm, the running statistics after the call. */
interface ExtraCase extends RefCase {
  note: string;
}
const extra = loadFixture<FixtureFile<ExtraCase>>('spatial-extra.torch.json').cases;

const OPS = ['conv2d', 'convTranspose2d', 'maxPool2d', 'avgPool2d', 'interpolate', 'batchNorm'];

for (const op of OPS) {
  const cases = opCases(op);
  const extras = extra.filter((c) => c.op === op);
  describe(`${op} matches PyTorch`, () => {
    test('the fixtures have cases for it', () => {
      expect(cases.length).toBeGreaterThanOrEqual(12);
      expect(extras.length).toBeGreaterThanOrEqual(5);
    });
    test.each(cases.map((c, i) => [i, c] as const))('ops.torch.json case %i', (i, c) => checkOpCase(c, `${op}[${i}]`));
    test.each(extras.map((c) => [c.note, c] as const))('edge case: %s', (note, c) => checkOpCase(c, `${op} (${note})`));
  });
}
