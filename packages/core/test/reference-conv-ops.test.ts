/**
 * Every case of fixtures/ops.torch.json (PyTorch 1.13.1, float64) for the spatial and normalisation
 * ops, and of fixtures/spatial-extra.torch.json (edge cases from generate_spatial_extra.py: ceilMode,
 * pool padding and dilation, ties, 'same' padding, outputPadding, non-integer scale factors, sizes,
 * alignCorners, batch norm in eval mode and its running statistics): the output, the gradient of
 * sum(output · upstream) with respect to every floating input and, for batchNorm, the running
 * statistics after the call must match within |a − b| ≤ 1e-7 + 1e-6·|b|.
 */
import { describe, expect, test } from 'vitest';
import { avgPool2d, batchNorm, conv2d, convTranspose2d, interpolate, maxPool2d, type Tensor } from '../src/index.js';
import { assertCloseToReference, fixtureTensor, loadFixture, opCases, type FixtureFile, type FixtureTensor, type OpCase } from './fixtures/load.js';

/** A case of spatial-extra.torch.json: an OpCase with a note and, for batchNorm, the running statistics after the call. */
interface ExtraCase extends OpCase {
  note: string;
  after?: Record<string, FixtureTensor>;
}
const extra = loadFixture<FixtureFile<ExtraCase>>('spatial-extra.torch.json').cases;

type Inputs = Record<string, Tensor>;
const opt = <T>(c: OpCase): T => c.options as T;

/** How each fixture op maps onto Tessera's call: the fixture's options are Tessera's option names. */
const CALLS: Record<string, (t: Inputs, c: OpCase) => Tensor> = {
  conv2d: (t, c) => conv2d(t.input!, t.weight!, t.bias ?? null, opt(c)),
  convTranspose2d: (t, c) => convTranspose2d(t.input!, t.weight!, t.bias ?? null, opt(c)),
  maxPool2d: (t, c) => maxPool2d(t.input!, opt(c)),
  avgPool2d: (t, c) => avgPool2d(t.input!, opt(c)),
  interpolate: (t, c) => interpolate(t.input!, opt(c)),
  batchNorm: (t, c) =>
    batchNorm(t.input!, t.runningMean ?? null, t.runningVar ?? null, { ...opt<object>(c), weight: t.weight ?? null, bias: t.bias ?? null }),
};

function check(op: string, c: ExtraCase | OpCase, what: string): void {
  const t: Inputs = Object.fromEntries(
    Object.entries(c.inputs).map(([name, v]) => [name, fixtureTensor(v, { requiresGrad: name in c.grads })]),
  );
  const y = CALLS[op]!(t, c);
  assertCloseToReference(y, c.output, `${what} output`);
  y.backward(fixtureTensor(c.upstream));
  for (const [name, g] of Object.entries(c.grads)) assertCloseToReference(t[name]!.grad, g, `${what} grad of ${name}`);
  const after = 'after' in c ? c.after : undefined;
  for (const [name, v] of Object.entries(after ?? {})) assertCloseToReference(t[name]!, v, `${what} ${name} after the call`);
}

for (const op of Object.keys(CALLS)) {
  const cases = opCases(op);
  const extras = extra.filter((c) => c.op === op);
  describe(`${op} matches PyTorch`, () => {
    test('the fixtures have cases for it', () => {
      expect(cases.length).toBeGreaterThanOrEqual(12);
      expect(extras.length).toBeGreaterThanOrEqual(5);
    });
    test.each(cases.map((c, i) => [i, c] as const))('ops.torch.json case %i', (i, c) => check(op, c, `${op}[${i}]`));
    test.each(extras.map((c) => [c.note, c] as const))('edge case: %s', (note, c) => check(op, c, `${op} (${note})`));
  });
}
