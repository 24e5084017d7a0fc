/**
 * Fuzz entries: the engine's public functions beyond backward (grad, anomaly mode, version counters,
 * the op timer) and randperm. Each bad call is one PyTorch raises on (torch.autograd.grad,
 * set_detect_anomaly, torch.randperm), or one where JavaScript would let a wrong type through.
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor, Tensor } from '@tessera/core';
import { badInt, notATensor, raises, returns, spec, type FuzzCase, type FuzzEntry } from './harness.js';
import { tensorEquals } from './oracles.js';

const leaf = (): Tensor => tensor([1, 2], { requiresGrad: true });
const notBool = fc.constantFrom<unknown>('yes', 1, [], {});
const notFunction = fc.constantFrom<unknown>(null, 3, 'x', {});
const badInputs = fc.constantFrom<unknown>('x', null, [], [3], {});
const twice = (x: Tensor): Tensor => x.mul(2);
const square = (x: Tensor): Tensor => x.mul(x).sum();
/** A custom op's definition with `over` replacing some of its fields. */
const definition = (over: Record<string, unknown> = {}): T.CustomOpDefinition<[Tensor], Tensor> =>
  ({ name: 'double', forward: (_ctx, x) => x.mul(2), backward: (_ctx, g) => [g.mul(2)], ...over }) as T.CustomOpDefinition<[Tensor], Tensor>;

/**
 * torch.autograd.functional.vjp / jvp / hvp: f, inputs, v (a tensor per output or input, of its
 * shape; None only for one-element ones), options. PyTorch raises on each bad value.
 */
function functional(op: 'vjp' | 'jvp' | 'hvp', fn: (...a: never[]) => unknown, f: (x: Tensor) => Tensor): FuzzEntry {
  return {
    cases: spec(op, fn, {
      args: () => [f, tensor([1, 2]), tensor(op === 'vjp' ? [1, 1] : [1, 0]), {}], names: ['f', 'inputs', 'v', 'options'],
      bad: { f: notFunction, inputs: badInputs, v: fc.constantFrom<unknown>(tensor([1, 2, 3]), 'x', null, [tensor([1, 1]), tensor([1, 1])]) },
      options: { at: 3, bad: { createGraph: notBool } },
    }),
  };
}

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
  valueAndGrad: {
    cases: spec('valueAndGrad', T.valueAndGrad, {
      args: () => [square, {}], names: ['f', 'options'], bad: { f: notFunction },
      options: { at: 1, bad: { createGraph: notBool, argnums: fc.constantFrom<unknown>(-1, 1.5, 'x', [], [0, 'x']) } },
      extra: [
        fc.constant(raises('valueAndGrad', 'argnums', 'argnums past the arguments', () => T.valueAndGrad(square, { argnums: 2 })(tensor([1, 2])))),
        fc.constant(raises('valueAndGrad', 'function', 'a function of a non-scalar', () => T.valueAndGrad(twice)(tensor([1, 2])))),
        // d/dx Σx² = 2x
        fc.constant(returns('valueAndGrad', 'Σx² at [1, 2]', () => T.valueAndGrad(square)(tensor([1, 2]))[1], tensorEquals([2], [2, 4]))),
      ],
    }),
  },
  vjp: functional('vjp', T.vjp, twice),
  jvp: functional('jvp', T.jvp, twice),
  hvp: {
    cases: fc.oneof(
      (functional('hvp', T.hvp, square) as { cases: fc.Arbitrary<FuzzCase> }).cases,
      fc.constant(raises('hvp', 'function', 'a function of a non-scalar', () => T.hvp(twice, tensor([1, 2]), tensor([1, 0])))),
    ),
  },
  customOp: {
    cases: fc.oneof(
      fc.constantFrom<unknown>(null, 3, 'x', () => 1).map((d) => raises('customOp', 'definition', `customOp(${typeof d})`, () => T.customOp(d as T.CustomOpDefinition<[Tensor], Tensor>))),
      fc.constantFrom<unknown>('', 3, null).map((n) => raises('customOp', 'name', `name ${String(n)}`, () => T.customOp(definition({ name: n })))),
      fc.constantFrom('forward', 'backward').chain((k) => notFunction.map((f) => raises('customOp', k, `${k} ${String(f)}`, () => T.customOp(definition({ [k]: f }))))),
      fc.constant(raises('double', 'forward', 'a forward returning a number', () => T.customOp(definition({ forward: () => 3 }))(tensor([1, 2])))),
      fc.constant(raises('double', 'backward', 'a backward returning two gradients for one argument', () => {
        const x = tensor([1, 2], { requiresGrad: true });
        T.customOp(definition({ backward: (_c: unknown, g: Tensor) => [g, g] }))(x).sum().backward();
      })),
    ),
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
