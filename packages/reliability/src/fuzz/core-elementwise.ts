/**
 * Fuzz entries: elementwise arithmetic, unary math, activations, comparisons, clamp, where.
 * NaN, ±Inf and ±0 must come out as PyTorch's do (relu(NaN) = NaN, maximum propagates NaN, …).
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor } from '@tessera/core';
import { badNumber, notATensor, notTensorLike, raises, returns, spec, type FuzzEntry } from './harness.js';
import { elementwise, elementwise2, emptyCase, empty, SPECIAL, tensorEquals } from './oracles.js';

const v = (): T.Tensor => tensor([1, -2, 3]);
/** 1,027 values of 0.5 with `x` at every 97th position from 3. */
const long = (x: number): T.Tensor => tensor(Array.from({ length: 1027 }, (_, i) => (i % 97 === 3 ? x : 0.5)));
/** Shapes that do not broadcast with [2, 3]. */
const badShape = fc.constantFrom([4], [3, 3], [2, 2], [0, 3], [2, 3, 2]);

function binary(op: string, fn: (a: never, b: never) => T.Tensor, ref: (a: number, b: number) => number): FuzzEntry {
  return {
    cases: spec(op, fn, {
      args: () => [v(), v()], names: ['a', 'b'], bad: { a: notTensorLike, b: notTensorLike },
      extra: [
        badShape.map((s) => raises(op, 'broadcast', `shapes [2, 3] and [${s.join(', ')}]`, () => fn(tensor([[1, 2, 3], [4, 5, 6]]) as never, T.zeros(s) as never))),
        elementwise2(op, fn as (a: T.Tensor, b: T.Tensor) => unknown, ref),
        emptyCase(op, 'empty with [1]', () => fn(empty([0, 3]) as never, tensor([2]) as never), [0, 3]),
      ],
    }),
  };
}

function unary(op: string, fn: (x: never) => T.Tensor, ref: (x: number) => number): FuzzEntry {
  return {
    cases: spec(op, fn, {
      args: () => [v()], names: ['input'], bad: { input: notATensor },
      extra: [
        elementwise(op, fn as (x: T.Tensor) => unknown, ref), emptyCase(op, 'empty', () => fn(empty([2, 0]) as never), [2, 0]),
        // Long enough for the wasm kernels' vector loop and its tail.
        fc.constantFrom(...SPECIAL).map((v) => returns(op, `1,027 elements with ${v} among them`, () => fn(long(v) as never),
          tensorEquals([1027], Array.from(long(v).data, (e) => Math.fround(ref(e)))))),
      ],
    }),
  };
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** A reference given by PyTorch's float32 results on SPECIAL, in its order (no closed form in JavaScript). */
const fromTorch = (values: readonly number[]) => (x: number): number => values[SPECIAL.findIndex((s) => Object.is(Math.fround(s), x))]!;
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
// PyTorch 1.13 on SPECIAL = [NaN, Inf, -Inf, 0, -0, 1e-30, -1e30, 0.5, -2] (float32):
// torch.erf(x); F.gelu(x) (gelu(-Inf) = -Inf·0 = NaN); F.gelu(x, approximate='tanh'); F.softplus(x, beta=2, threshold=10).
const TORCH_ERF = [NAN, 1, -1, 0, -0, 1.1283791266481092e-30, -1, 0.5204998850822449, -0.9953222870826721];
const TORCH_GELU = [NAN, INF, NAN, 0, 0, 5.000000015855384e-31, 0, 0.3457311987876892, -0.045500099658966064];
const TORCH_GELU_TANH = [NAN, INF, NAN, 0, -0, 5.000000015855384e-31, -0, 0.3457140028476715, -0.04540228843688965];
const TORCH_SOFTPLUS_2_10 = [NAN, INF, 0, 0.3465735912322998, 0.3465735912322998, 0.3465735912322998, 0, 0.65663081407547, 0.009074964560568333];
const nanMax = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b));
const nanMin = (a: number, b: number): number => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b));
const bool = (f: (a: number, b: number) => boolean) => (a: number, b: number): number => (f(a, b) ? 1 : 0);

export const ELEMENTWISE: Record<string, FuzzEntry> = {
  add: binary('add', T.add, (a, b) => a + b),
  sub: binary('sub', T.sub, (a, b) => a - b),
  mul: binary('mul', T.mul, (a, b) => a * b),
  div: binary('div', T.div, (a, b) => a / b),
  pow: binary('pow', T.pow, (a, b) => (a === 1 || b === 0 ? 1 : a ** b)),
  maximum: binary('maximum', T.maximum, nanMax),
  minimum: binary('minimum', T.minimum, nanMin),
  eq: binary('eq', T.eq, bool((a, b) => a === b)),
  ne: binary('ne', T.ne, bool((a, b) => a !== b)),
  lt: binary('lt', T.lt, bool((a, b) => a < b)),
  le: binary('le', T.le, bool((a, b) => a <= b)),
  gt: binary('gt', T.gt, bool((a, b) => a > b)),
  ge: binary('ge', T.ge, bool((a, b) => a >= b)),
  neg: unary('neg', T.neg, (x) => -x),
  exp: unary('exp', T.exp, Math.exp),
  log: unary('log', T.log, Math.log),
  sqrt: unary('sqrt', T.sqrt, Math.sqrt),
  abs: unary('abs', T.abs, Math.abs),
  relu: unary('relu', T.relu, (x) => (Number.isNaN(x) ? x : Math.max(x, 0))),
  sigmoid: unary('sigmoid', T.sigmoid, sigmoid),
  tanh: unary('tanh', T.tanh, Math.tanh),
  log1p: unary('log1p', T.log1p, Math.log1p),
  expm1: unary('expm1', T.expm1, Math.expm1),
  sin: unary('sin', T.sin, Math.sin),
  cos: unary('cos', T.cos, Math.cos),
  erf: unary('erf', T.erf, fromTorch(TORCH_ERF)),
  softplus: {
    cases: spec('softplus', T.softplus, {
      args: () => [v(), {}], names: ['input', 'options'], bad: { input: notATensor },
      options: { at: 1, bad: { beta: badNumber, threshold: badNumber } },
      extra: [
        elementwise('softplus', (x) => T.softplus(x), (x) => (x > 20 ? x : Math.log1p(Math.exp(x)))),
        elementwise('softplus', (x) => T.softplus(x, { beta: 2, threshold: 10 }), fromTorch(TORCH_SOFTPLUS_2_10)),
      ],
    }),
  },
  gelu: {
    cases: spec('gelu', T.gelu, {
      args: () => [v(), {}], names: ['input', 'options'], bad: { input: notATensor },
      options: { at: 1, bad: { approximate: fc.constantFrom<unknown>('exact', 'Tanh', 3, true) } }, // RuntimeError / TypeError in PyTorch
      extra: [
        elementwise('gelu', (x) => T.gelu(x), fromTorch(TORCH_GELU)),
        elementwise('gelu', (x) => T.gelu(x, { approximate: 'tanh' }), fromTorch(TORCH_GELU_TANH)),
      ],
    }),
  },
  leakyRelu: {
    cases: spec('leakyRelu', T.leakyRelu, {
      args: () => [v(), {}], names: ['input', 'options'], bad: { input: notATensor },
      options: { at: 1, bad: { negativeSlope: badNumber } },
      extra: [elementwise('leakyRelu', (x) => T.leakyRelu(x), (x) => (x < 0 ? 0.01 * x : x))],
    }),
  },
  clamp: {
    cases: spec('clamp', T.clamp, {
      args: () => [v(), { min: 0 }], names: ['input', 'options'], bad: { input: notATensor },
      options: { at: 1, bad: { min: badNumber, max: badNumber } },
      extra: [
        fc.constant(raises('clamp', 'max', 'neither min nor max', () => T.clamp(v(), {}), 'min')),
        elementwise('clamp', (x) => T.clamp(x, { min: -1, max: 1 }), (x) => (Number.isNaN(x) ? x : Math.min(Math.max(x, -1), 1))),
        elementwise('clamp', (x) => T.clamp(x, { min: 2, max: 1 }), (x) => (Number.isNaN(x) ? x : 1)), // min > max: PyTorch gives max
      ],
    }),
  },
  where: {
    cases: spec('where', T.where, {
      args: () => [tensor([1, 0, 1], { dtype: 'int32' }), v(), v()], names: ['condition', 'a', 'b'],
      bad: { condition: notATensor, a: notTensorLike, b: notTensorLike },
      extra: [badShape.map((s) => raises('where', 'broadcast', `condition of shape [${s.join(', ')}]`, () => T.where(T.zeros(s), T.zeros([2, 3]), 1)))],
    }),
  },
};
