/**
 * Fuzz entries: the engine's public functions beyond backward (grad, anomaly mode, version counters,
 * the op timer) and randperm. Each bad call is one PyTorch raises on (torch.autograd.grad,
 * set_detect_anomaly, torch.randperm), or one where JavaScript would let a wrong type through.
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor, Tensor } from '@tessera/core';
import { badInt, notATensor, raises, returns, spec, type FuzzEntry } from './harness.js';

const leaf = (): Tensor => tensor([1, 2], { requiresGrad: true });
const notBool = fc.constantFrom<unknown>('yes', 1, [], {});

export const ENGINE: Record<string, FuzzEntry> = {
  grad: {
    cases: spec('grad', T.grad, {
      args: () => { const x = leaf(); return [x.mul(x).sum(), [x], {}]; }, names: ['outputs', 'inputs', 'options'],
      bad: { outputs: notATensor, inputs: fc.constantFrom<unknown>('x', null, [], [3], {}) },
      options: { at: 2, bad: { retainGraph: notBool, createGraph: notBool, allowUnused: notBool, gradOutputs: fc.constantFrom<unknown>('x', 3, ['x'], [tensor(1), tensor(1)], [tensor(1, { dtype: 'int32' })]) } },
      extra: [
        fc.constant(raises('grad', 'inputs', 'an input that does not require grad', () => T.grad(leaf().sum(), [tensor([1, 2])]))),
        fc.constant(raises('grad', 'inputs', 'an input the output does not use', () => T.grad(leaf().sum(), [leaf()]))),
        fc.constant(raises('grad', 'output', 'a non-scalar output without gradOutputs', () => { const x = leaf(); return T.grad(x.mul(2), [x]); })),
        fc.constant(raises('grad', 'gradOutputs', 'gradOutputs of the wrong shape', () => { const x = leaf(); return T.grad(x.mul(2), [x], { gradOutputs: tensor([1, 2, 3]) }); })),
        fc.constant(returns('grad', 'allowUnused gives null for an unused input', () => T.grad(leaf().sum(), [leaf()], { allowUnused: true }), (out) => {
          if (!Array.isArray(out) || out[0] !== null) throw new Error(`grad: expected [null], got ${String(out)}`);
        })),
      ],
    }),
  },
  setDetectAnomaly: { cases: notBool.map((v) => raises('setDetectAnomaly', 'on', `setDetectAnomaly(${String(v)})`, () => T.setDetectAnomaly(v as boolean))) },
  detectAnomaly: { cases: fc.constantFrom<unknown>(null, 3, 'x', {}).map((f) => raises('detectAnomaly', 'fn', `detectAnomaly(${String(f)})`, () => T.detectAnomaly(f as () => void))) },
  isAnomalyEnabled: { skip: 'no arguments' },
  versionOf: { cases: notATensor.map((t) => raises('versionOf', 't', `versionOf(${typeof t})`, () => T.versionOf(t as Tensor))) },
  markModified: { cases: notATensor.map((t) => raises('markModified', 't', `markModified(${typeof t})`, () => T.markModified(t as Tensor))) },
  setOpTimer: {
    cases: fc.constantFrom<unknown>(3, 'x', () => 1, {}, { forwardDone: () => undefined })
      .map((t) => raises('setOpTimer', 'timer', `setOpTimer(${typeof t})`, () => T.setOpTimer(t as T.OpTimer))),
  },
  GradNode: { skip: 'a node of the graph, made by record for op authors; users only read it (gradFn)' },
  recordMulti: { skip: 'a helper exported for op authors, on the path of every op call: it trusts its caller (an op), whose own arguments are checked' },
  randperm: {
    cases: spec('randperm', T.randperm, {
      args: () => [5, {}], names: ['n', 'options'],
      bad: { n: fc.oneof(badInt(0), fc.constantFrom<unknown>(2 ** 31, 2 ** 40)) },
      options: { at: 1, bad: { generator: fc.constantFrom<unknown>(3, {}, 'g'), dtype: fc.constantFrom<unknown>('float16', 'int64', 'bool', 'constructor', 3) } },
      extra: [
        fc.constant(raises('randperm', 'n', 'n above float32\'s exact integers', () => T.randperm(2 ** 24 + 1, { dtype: 'float32' }))),
        fc.integer({ min: 0, max: 40 }).map((n) => returns('randperm', `randperm(${n})`, () => T.randperm(n), (out) => {
          const t = out as Tensor;
          const seen = [...t.data].sort((a, b) => a - b);
          if (t.dtype !== 'int32' || t.shape.length !== 1 || seen.some((v, i) => v !== i) || seen.length !== n) {
            throw new Error(`randperm(${n}): not a permutation of 0..${n - 1}: ${seen.join(', ')}`);
          }
        })),
      ],
    }),
  },
};
