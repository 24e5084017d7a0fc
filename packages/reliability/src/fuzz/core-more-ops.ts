/**
 * Fuzz entries for the ops of issue 10's second batch: cumsum, flip, roll, logsumexp, oneHot, layerNorm,
 * groupNorm, and the pointwise regression losses. Each bad argument must give an Error naming the op and
 * the argument (PyTorch raises for each of them: an out-of-range dim, a fractional size, an unknown
 * reduction, a negative beta, a label past numClasses).
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor } from '@tessera/core';
import { notATensor, spec, type FuzzEntry } from './harness.js';

const x = (): T.Tensor => tensor([[1, -2, 3], [4, 5, -6]]);
const nchw = (): T.Tensor => T.rand([2, 6, 2, 2]);
const badDim = fc.constantFrom<unknown>(5, -6, 1.5, Number.NaN, '0', null);
const badDims = fc.constantFrom<unknown>([5], [0, 0], [1.5], 'x', null);
const badReduction = fc.constantFrom<unknown>('avg', 'MEAN', 3, null);

export const MORE_OPS: Record<string, FuzzEntry> = {
  cumsum: { cases: spec('cumsum', T.cumsum, { args: () => [x(), 1], names: ['input', 'dim'], bad: { input: notATensor, dim: badDim } }) },
  flip: { cases: spec('flip', T.flip, { args: () => [x(), [0]], names: ['input', 'dims'], bad: { input: notATensor, dims: badDims } }) },
  roll: {
    cases: spec('roll', T.roll, {
      args: () => [x(), 1, 0], names: ['input', 'shifts', 'dims'],
      bad: { input: notATensor, shifts: fc.constantFrom<unknown>(1.5, 'x', Number.NaN, [1, 2]), dims: badDims },
    }),
  },
  logsumexp: {
    cases: spec('logsumexp', T.logsumexp, {
      args: () => [x(), 1, {}], names: ['input', 'dim', 'options'], bad: { input: notATensor, dim: badDim },
      options: { at: 2, bad: { keepdim: fc.constantFrom<unknown>('yes', 1) } },
    }),
  },
  oneHot: {
    cases: spec('oneHot', T.oneHot, {
      args: () => [tensor([0, 2, 1], { dtype: 'int32' }), {}], names: ['input', 'options'],
      bad: { input: fc.constantFrom<unknown>('x', null, {}, tensor([0.5, 1])) },
      options: { at: 1, bad: { numClasses: fc.constantFrom<unknown>(-2, 1.5, 2, 'x') } },
    }),
  },
  layerNorm: {
    cases: spec('layerNorm', T.layerNorm, {
      args: () => [x(), [3], {}], names: ['input', 'normalizedShape', 'options'],
      bad: { input: notATensor, normalizedShape: fc.constantFrom<unknown>([-1], [1.5], 'x', null, [4], [2, 2]) },
      options: { at: 2, bad: { eps: fc.constantFrom<unknown>('x', Number.NaN), weight: fc.constantFrom<unknown>(tensor([1, 2]), 'x') } },
    }),
  },
  groupNorm: {
    cases: spec('groupNorm', T.groupNorm, {
      args: () => [nchw(), 3, {}], names: ['input', 'numGroups', 'options'],
      bad: { input: notATensor, numGroups: fc.constantFrom<unknown>(0, -1, 1.5, 'x') },
      options: { at: 2, bad: { eps: fc.constantFrom<unknown>('x', Number.NaN), bias: fc.constantFrom<unknown>(tensor([1, 2]), 'x') } },
    }),
  },
};

const regression = (op: 'mseLoss' | 'l1Loss', fn: typeof T.mseLoss): FuzzEntry => ({
  cases: spec(op, fn, {
    args: () => [x(), x(), {}], names: ['input', 'target', 'options'],
    bad: { input: notATensor, target: notATensor },
    options: { at: 2, bad: { reduction: badReduction } },
  }),
});

export const MORE_LOSSES: Record<string, FuzzEntry> = {
  mseLoss: regression('mseLoss', T.mseLoss),
  l1Loss: regression('l1Loss', T.l1Loss),
  smoothL1Loss: {
    cases: spec('smoothL1Loss', T.smoothL1Loss, {
      args: () => [x(), x(), {}], names: ['input', 'target', 'options'],
      bad: { input: notATensor, target: notATensor },
      options: { at: 2, bad: { reduction: badReduction, beta: fc.constantFrom<unknown>(-1, 'x', Number.NaN) } },
    }),
  },
};
