/**
 * Fuzz entries: reductions, softmax, shape and indexing ops, cat/stack/pad, matmul, cast.
 * Reductions of empty tensors and softmax of -Inf rows as PyTorch (sum 0, mean NaN, softmax NaN).
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor } from '@tessera/core';
import { badBool, badDim, badInt, notATensor, raises, returns, spec, type FuzzEntry } from './harness.js';
import { empty, emptyCase, tensorEquals } from './oracles.js';

const m = (): T.Tensor => tensor([[1, 5, 3], [4, 2, 6]]);
const idx = (...v: number[]): T.Tensor => tensor(v, { dtype: 'int32' });
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
const badShapeList = fc.constantFrom<unknown>([4, 2], [-1, -1], [1.5, 4], [Number.NaN], [-2, 3], 'x', null, [[6]], [-1, 0]);

function reduce(op: 'sum' | 'mean', fn: typeof T.sum): FuzzEntry {
  return {
    cases: spec(op, fn, {
      args: () => [m(), 1, {}], names: ['input', 'dim', 'options'], bad: { input: notATensor, dim: fc.constantFrom<unknown>(2, -3, 0.5, Number.NaN, '0', [0, 0], [5], {}) },
      options: { at: 2, bad: { keepdim: badBool } },
      extra: [
        emptyCase(op, 'all of an empty tensor', () => fn(empty([0, 3])), [], [op === 'sum' ? 0 : NAN]),
        emptyCase(op, 'dim 0 of [0, 3]', () => fn(empty([0, 3]), 0), [3], op === 'sum' ? [0, 0, 0] : [NAN, NAN, NAN]),
        fc.constant(returns(op, 'NaN and Inf', () => fn(tensor([[NAN, 1], [INF, -INF]]), 1), tensorEquals([2], [NAN, NAN]))),
      ],
    }),
  };
}

function extremum(op: 'max' | 'min' | 'argmax' | 'argmin', fn: typeof T.max): FuzzEntry {
  const values: Record<string, number[]> = { max: [NAN, 6], min: [NAN, 2], argmax: [1, 2], argmin: [1, 1] };
  return {
    cases: spec(op, fn, {
      args: () => [m(), 1, {}], names: ['input', 'dim', 'options'], bad: { input: notATensor, dim: badDim(2) },
      options: { at: 2, bad: { keepdim: badBool } },
      extra: [
        fc.constant(raises(op, 'input', 'all of an empty tensor', () => fn(empty([0, 3])), 'empty')),
        fc.constant(raises(op, 'dim', 'along an empty dim', () => fn(empty([0, 3]), 0))),
        fc.constant(returns(op, 'a row with NaN', () => fn(tensor([[1, NAN, 3], [4, 2, 6]]), 1), tensorEquals([2], values[op]!))),
      ],
    }),
  };
}

function softmaxLike(op: 'softmax' | 'logSoftmax', fn: typeof T.softmax): FuzzEntry {
  const rows = op === 'softmax' ? [NAN, NAN, NAN, NAN, 0, 1] : [NAN, NAN, NAN, NAN, -INF, 0];
  return {
    cases: spec(op, fn, {
      args: () => [m(), 1], names: ['input', 'dim'], bad: { input: notATensor, dim: fc.constantFrom<unknown>(2, -3, 0.5, Number.NaN, '0') },
      extra: [
        fc.constant(returns(op, 'rows of -Inf, +Inf and a single -Inf', () => fn(tensor([[-INF, -INF], [INF, 1], [-INF, 0]]), 1), tensorEquals([3, 2], rows))),
        emptyCase(op, 'empty', () => fn(empty([0, 3]), 1), [0, 3]),
      ],
    }),
  };
}

const cats = (op: 'cat' | 'stack', fn: typeof T.cat): FuzzEntry => ({
  cases: spec(op, fn, {
    args: () => [[m(), m()], 0], names: ['tensors', 'dim'],
    bad: { tensors: fc.constantFrom<unknown>([], null, 'x', [m(), 'x'], [m(), T.zeros([2])], m()), dim: badDim(op === 'cat' ? 2 : 3) },
  }),
});

export const SHAPE: Record<string, FuzzEntry> = {
  sum: reduce('sum', T.sum),
  mean: reduce('mean', T.mean),
  max: extremum('max', T.max),
  min: extremum('min', T.min),
  argmax: extremum('argmax', T.argmax),
  argmin: extremum('argmin', T.argmin),
  softmax: softmaxLike('softmax', T.softmax),
  logSoftmax: softmaxLike('logSoftmax', T.logSoftmax),
  reshape: { cases: spec('reshape', T.reshape, { args: () => [m(), [3, 2]], names: ['input', 'shape'], bad: { input: notATensor, shape: badShapeList } }) },
  flatten: { cases: spec('flatten', T.flatten, { args: () => [m(), 0, 1], names: ['input', 'startDim', 'endDim'], bad: { input: notATensor, startDim: badDim(2), endDim: badDim(2) } }) },
  squeeze: { cases: spec('squeeze', T.squeeze, { args: () => [m(), 0], names: ['input', 'dim'], bad: { input: notATensor, dim: badDim(2) } }) },
  unsqueeze: { cases: spec('unsqueeze', T.unsqueeze, { args: () => [m(), 0], names: ['input', 'dim'], bad: { input: notATensor, dim: badDim(3) } }) },
  permute: { cases: spec('permute', T.permute, { args: () => [m(), [1, 0]], names: ['input', 'dims'], bad: { input: notATensor, dims: fc.constantFrom<unknown>([0, 0], [0], [0, 1, 2], [0, 2], [0.5, 1], 'x', null) } }) },
  transpose: { cases: spec('transpose', T.transpose, { args: () => [m(), 0, 1], names: ['input', 'dim0', 'dim1'], bad: { input: notATensor, dim0: badDim(2), dim1: badDim(2) } }) },
  expand: { cases: spec('expand', T.expand, { args: () => [tensor([[1], [2]]), [2, 3]], names: ['input', 'shape'], bad: { input: notATensor, shape: fc.constantFrom<unknown>([3, 3], [3], [2, -2], [2, 1.5], 'x', null, [Number.NaN, 3]) } }) },
  narrow: { cases: spec('narrow', T.narrow, { args: () => [m(), 1, 0, 2], names: ['input', 'dim', 'start', 'length'], bad: { input: notATensor, dim: badDim(2), start: fc.constantFrom<unknown>(4, 0.5, Number.NaN, '0'), length: fc.constantFrom<unknown>(-1, 4, 0.5, Number.NaN, null) } }) },
  slice: {
    cases: spec('slice', T.slice, {
      args: () => [m(), 1, {}], names: ['input', 'dim', 'options'], bad: { input: notATensor, dim: badDim(2) },
      options: { at: 2, bad: { start: fc.constantFrom<unknown>(0.5, Number.NaN, '1'), end: fc.constantFrom<unknown>(0.5, Number.NaN, '1'), step: badInt(1) } },
    }),
  },
  indexSelect: {
    cases: spec('indexSelect', T.indexSelect, {
      args: () => [m(), 1, idx(0, 2)], names: ['input', 'dim', 'index'],
      bad: { input: notATensor, dim: badDim(2), index: fc.constantFrom<unknown>(idx(3), idx(-1), tensor([0.5]), idx(0, 1).reshape([1, 2]), null, [0]) },
    }),
  },
  gather: {
    cases: spec('gather', T.gather, {
      args: () => [m(), 1, idx(0, 2, 1, 1).reshape([2, 2])], names: ['input', 'dim', 'index'],
      bad: { input: notATensor, dim: badDim(2), index: fc.constantFrom<unknown>(idx(3, 0).reshape([2, 1]), idx(-1, 0).reshape([2, 1]), tensor([[0.5]]), idx(0, 1), null) },
    }),
  },
  cat: cats('cat', T.cat),
  stack: cats('stack', T.stack),
  pad: {
    cases: spec('pad', T.pad, {
      args: () => [m(), [1, 1], {}], names: ['input', 'amounts', 'options'],
      bad: { input: notATensor, amounts: fc.constantFrom<unknown>([1], [1, 1, 1, 1, 1, 1], [0.5, 1], [Number.NaN, 0], [-2, -2], 'x', null) },
      options: { at: 2, bad: { value: fc.constantFrom<unknown>('1', [], {}) } },
    }),
  },
  matmul: {
    cases: spec('matmul', T.matmul, {
      args: () => [m(), T.ones([3, 2])], names: ['a', 'b'],
      bad: { a: fc.constantFrom<unknown>(tensor(1), T.ones([2, 2]), 'x', null), b: fc.constantFrom<unknown>(tensor(1), T.ones([2, 2]), T.ones([4]), 'x', null) },
      extra: [emptyCase('matmul', '[2, 0] @ [0, 3]', () => T.matmul(empty([2, 0]), empty([0, 3])), [2, 3], [0, 0, 0, 0, 0, 0])],
    }),
  },
  cast: { cases: spec('cast', T.cast, { args: () => [m(), 'float64'], names: ['input', 'dtype'], bad: { input: notATensor, dtype: fc.constantFrom<unknown>('float16', 'bool', 'Float32', null, 3) } }) },
};
