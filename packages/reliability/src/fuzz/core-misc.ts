/**
 * Fuzz entries: creation, the Tensor class and its methods, random generators, the engine
 * (backward twice, on non-scalars, with a wrong gradient), backends, shape and dtype helpers.
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor, Tensor } from '@tessera/core';
import { badInt, notATensor, raises, spec, type FuzzEntry } from './harness.js';

/** Shapes no tensor can have: negative, fractional, NaN, too many elements. */
const badShape = fc.constantFrom<unknown>([-1], [2, -3], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY], [1e10], [1e5, 1e5], ['2'], 'x', null, 3);
const badDType = fc.constantFrom<unknown>('float16', 'int64', 'bool', 'Float32', 3);
const creation = (op: string, fn: (...a: never[]) => unknown, args: () => unknown[], names: string[], optionsAt: number): FuzzEntry => ({
  cases: spec(op, fn, {
    args, names, bad: { shape: badShape },
    options: { at: optionsAt, bad: { dtype: badDType, requiresGrad: fc.constantFrom<unknown>('yes', 1), ...(op.startsWith('rand') || op === 'uniform' ? { generator: fc.constantFrom<unknown>(3, {}) } : {}) } },
  }),
});
const leaf = (): Tensor => tensor([1, 2], { requiresGrad: true });
const skip = (why: string): FuzzEntry => ({ skip: why });
const CHECK = 'an argument check itself: every entry here runs it, and its message is what they assert';
/** Why the engine's and the shapes' helpers are not fuzzed. */
const HELPER = 'a helper exported for op authors, on the path of every op call: it trusts its caller (an op), whose own arguments are checked';

export const MISC: Record<string, FuzzEntry> = {
  tensor: {
    cases: spec('tensor', T.tensor, {
      args: () => [[1, 2], {}], names: ['data', 'options'],
      bad: { data: fc.constantFrom<unknown>([[1, 2], [3]], ['a'], [1, 'b'], [[1], 2], null, 'x', [{}], [[[]], [1]]) },
      options: { at: 1, bad: { dtype: badDType, shape: fc.constantFrom<unknown>([3], [-2], [2, 2], 'x'), requiresGrad: fc.constantFrom<unknown>('yes', 1) } },
      extra: [
        fc.constantFrom(1e10, -3e9, 2 ** 31).map((v) => raises('tensor', 'data', `${v} as int32`, () => tensor([v], { dtype: 'int32' }), 'int32')),
        fc.constant(raises('tensor', 'requiresGrad', 'an int32 tensor that requires grad', () => tensor([1], { dtype: 'int32', requiresGrad: true }))),
      ],
    }),
  },
  zeros: creation('zeros', T.zeros, () => [[2, 3], {}], ['shape', 'options'], 1),
  ones: creation('ones', T.ones, () => [[2, 3], {}], ['shape', 'options'], 1),
  full: {
    cases: spec('full', T.full, {
      args: () => [[2], 1, {}], names: ['shape', 'value', 'options'], bad: { shape: badShape, value: fc.constantFrom<unknown>('1', null, [], {}) },
      options: { at: 2, bad: { dtype: badDType } },
    }),
  },
  zerosLike: { cases: spec('zerosLike', T.zerosLike, { args: () => [tensor([1]), {}], names: ['input', 'options'], bad: { input: notATensor }, options: { at: 1, bad: { dtype: badDType } } }) },
  onesLike: { cases: spec('onesLike', T.onesLike, { args: () => [tensor([1]), {}], names: ['input', 'options'], bad: { input: notATensor }, options: { at: 1, bad: { dtype: badDType } } }) },
  arange: {
    cases: spec('arange', T.arange, {
      args: () => [0, 5, 1, {}], names: ['start', 'end', 'step', 'options'],
      bad: { start: fc.constantFrom<unknown>(Number.NaN, '0', Number.NEGATIVE_INFINITY), end: fc.constantFrom<unknown>(Number.NaN, '5', Number.POSITIVE_INFINITY, 1e12), step: fc.constantFrom<unknown>(0, Number.NaN, -1, '1') },
      options: { at: 3, bad: { dtype: badDType } },
    }),
  },
  rand: creation('rand', T.rand, () => [[2], {}], ['shape', 'options'], 1),
  randn: creation('randn', T.randn, () => [[2], {}], ['shape', 'options'], 1),
  uniform: {
    cases: spec('uniform', T.uniform, {
      args: () => [[2], 0, 1, {}], names: ['shape', 'low', 'high', 'options'],
      bad: { shape: badShape, low: fc.constantFrom<unknown>(Number.NaN, '0'), high: fc.constantFrom<unknown>(-1, Number.NaN, Number.POSITIVE_INFINITY, '1') },
      options: { at: 3, bad: { dtype: badDType, generator: fc.constantFrom<unknown>(3, {}) } },
    }),
  },
  randint: {
    cases: spec('randint', T.randint, {
      args: () => [0, 5, [2], {}], names: ['low', 'high', 'shape', 'options'],
      bad: { low: fc.constantFrom<unknown>(5, 0.5, Number.NaN, '0'), high: fc.constantFrom<unknown>(0, 5.5, Number.NaN, 2 ** 40), shape: badShape },
      options: { at: 3, bad: { generator: fc.constantFrom<unknown>(3, {}) } },
    }),
  },
  Tensor: {
    cases: fc.oneof(
      fc.constantFrom<[unknown, unknown, string]>([[1, 2], [2], 'data'], [new Uint8Array(2), [2], 'data'], [null, [2], 'data'], [new Float32Array(2), [3], 'shape'],
        [new Float32Array(2), [-2], 'shape'], [new Float32Array(2), [1.5, 2], 'shape'], [new Float32Array(2), 'x', 'shape'])
        .map(([d, s, arg]) => raises('Tensor', arg, `new Tensor(${Object.prototype.toString.call(d)}, ${JSON.stringify(s)})`, () => new Tensor(d as Float32Array, s as number[]))),
      fc.constant(raises('backward', 'scalar', 'backward() on a non-scalar', () => leaf().mul(2).backward())),
      fc.constant(raises('backward', 'second', 'backward twice', () => { const y = leaf().mul(leaf()).sum(); y.backward(); y.backward(); })),
      fc.constant(raises('backward', 'grad', 'a gradient of the wrong shape', () => leaf().mul(2).backward(tensor([1, 2, 3])))),
      fc.constant(raises('backward', 'grad', 'on a tensor that does not require grad', () => tensor([1]).backward())),
      fc.constant(raises('item', 'shape', 'item() of two elements', () => tensor([1, 2]).item())),
      badDType.map((d) => raises('cast', 'dtype', `to(${String(d)})`, () => tensor([1]).to(d as T.DType))),
    ),
  },
  Generator: { cases: fc.constantFrom<unknown>(Number.NaN, '1', {}, Number.POSITIVE_INFINITY).map((s) => raises('Generator', 'seed', `seed ${String(s)}`, () => new T.Generator(s as number))) },
  manualSeed: { cases: fc.constantFrom<unknown>(Number.NaN, '1', {}, Number.POSITIVE_INFINITY).map((s) => raises('manualSeed', 'seed', `seed ${String(s)}`, () => T.manualSeed(s as number))) },
  backward: {
    cases: spec('backward', T.backward, {
      args: () => [leaf().sum(), undefined, {}], names: ['tensor', 'grad', 'options'],
      bad: { tensor: notATensor, grad: fc.constantFrom<unknown>(tensor([1, 2]), tensor(1, { dtype: 'int32' }), 'x', 3) },
      options: { at: 2, bad: { retainGraph: fc.constantFrom<unknown>('yes', 1), createGraph: fc.constantFrom<unknown>('yes', 1) } },
    }),
  },
  noGrad: { cases: fc.constantFrom<unknown>(null, 3, 'x').map((f) => raises('noGrad', 'fn', `noGrad(${String(f)})`, () => T.noGrad(f as () => void))) },
  enableGrad: { cases: fc.constantFrom<unknown>(null, 3, 'x').map((f) => raises('enableGrad', 'fn', `enableGrad(${String(f)})`, () => T.enableGrad(f as () => void))) },
  record: skip(HELPER),
  unbroadcast: skip(HELPER),
  setBackend: { cases: fc.constantFrom<unknown>('cuda', 'JS', '', 3, null).map((b) => raises('setBackend', 'backend', `setBackend(${String(b)})`, () => T.setBackend(b as string))) },
  registerBackend: {
    cases: spec('registerBackend', T.registerBackend, { args: () => ['mine', {}], names: ['name', 'kernels'], bad: { name: fc.constantFrom<unknown>('', 3, null), kernels: fc.constantFrom<unknown>(null, 3, { gemm: 3 }) } }),
  },
  broadcastShapes: skip(HELPER),
  sizeOf: skip(HELPER),
  normalizeDim: skip(HELPER),
  promoteTypes: skip(HELPER),
  kernels: skip('no arguments: returns the active kernels'),
  getBackend: skip('no arguments'),
  listBackends: skip('no arguments'),
  isGradEnabled: skip('no arguments'),
  defaultGenerator: skip('an instance (Generator), not a function'),
  formatShape: skip('formats any array for messages; never fails'),
  shapesEqual: skip('compares any two arrays; a boolean either way'),
  isFloatDType: skip('a predicate: false for anything but float32/float64'),
  checkOptions: skip(CHECK), checkBool: skip(CHECK), checkNumber: skip(CHECK), checkDType: skip(CHECK), checkShape: skip(CHECK), checkReduction: skip(CHECK),
  describeValue: skip('formats any value for a message; never fails'),
  MAX_ELEMENTS: skip('a constant'),
  configureWasm: {
    cases: spec('configureWasm', T.configureWasm, {
      args: () => [{}], names: ['options'],
      options: {
        at: 0,
        bad: {
          threads: badInt(1), minParallelFlops: fc.constantFrom<unknown>(-1, Number.NaN, '1', [], true), minItemExtent: badInt(1), relaxed: fc.constantFrom<unknown>('yes', 1, []),
          winograd: fc.constantFrom<unknown>('fast', 'Auto', 3, true), heap: fc.constantFrom<unknown>(3, 'x', [], { minbytes: 1 }, { maxBytes: 0 }, { minBytes: -1 }),
        },
      },
    }),
  },
  wasmThreads: skip('no arguments: the started runtime\'s thread count, or undefined'),
};
