/**
 * Fuzz entries: convolutions, pooling, interpolation, batch norm, dropout. Sizes that would need
 * more memory than a tensor can hold must be refused naming the argument, not hang or crash.
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor } from '@tessera/core';
import { badBool, badInt, badNumber, notATensor, raises, returns, spec, type FuzzEntry } from './harness.js';
import { empty, emptyCase, tensorEquals } from './oracles.js';

const x = (): T.Tensor => T.rand([1, 2, 5, 5], { generator: new T.Generator(1) });
const w = (): T.Tensor => T.rand([3, 2, 3, 3], { generator: new T.Generator(2) });
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
/** Bad values of an IntPair (a size, a stride, ...), at least `min`. */
const badPair = (min: number): fc.Arbitrary<unknown> =>
  fc.oneof(badInt(min), fc.constantFrom<unknown>([1], [1, 2, 3], [1, 'x'], [min - 1, 1], [1.5, 1], [1, Number.NaN]));
const huge = fc.constantFrom(1e9, 2 ** 31, 1e12);
const badInput = fc.constantFrom<unknown>(T.zeros([2, 5]), T.zeros([1, 1, 1, 2, 5, 5]), T.zeros([1, 2, 5, 5], { dtype: 'int32' }), 'x', null);

/** A [1, 8, 4, 4] image of −1 with one NaN at the top-left corner. */
function nanImage(): T.Tensor {
  const x = T.full([1, 8, 4, 4], -1);
  (x.data as Float32Array)[0] = NAN;
  return x;
}

/** Its 3×3 convolution with all-one weights, padding 1 (and relu): NaN where the window holds the NaN, else −(taps). */
function nanImageConv(relu: boolean): number[] {
  const out: number[] = [];
  for (let co = 0; co < 8; co++) {
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const taps = 8 * (Math.min(i + 1, 3) - Math.max(i - 1, 0) + 1) * (Math.min(j + 1, 3) - Math.max(j - 1, 0) + 1);
        out.push(i <= 1 && j <= 1 ? NAN : relu ? 0 : -taps);
      }
    }
  }
  return out;
}

function conv(op: 'conv2d' | 'conv2dRelu' | 'convTranspose2d', fn: typeof T.conv2d): FuzzEntry {
  const t = op === 'convTranspose2d';
  const weight = (): T.Tensor => (t ? T.rand([2, 3, 3, 3]) : w());
  const opts: Record<string, fc.Arbitrary<unknown>> = { stride: badPair(1), dilation: badPair(1), groups: badInt(1) };
  opts['padding'] = t ? badPair(0) : fc.oneof(badPair(0), fc.constantFrom<unknown>('full', 'SAME'));
  if (t) opts['outputPadding'] = fc.oneof(badPair(0), fc.constant(5));
  return {
    cases: spec(op, fn, {
      args: () => [x(), weight(), null, {}], names: ['input', 'weight', 'bias', 'options'],
      bad: {
        input: badInput,
        weight: fc.constantFrom<unknown>(T.zeros([3, 2, 3]), T.zeros([3, 5, 3, 3]), T.zeros([3, 2, 9, 9]), T.zeros([3, 2, 3, 3], { dtype: 'float64' }), 'x'),
        bias: fc.constantFrom<unknown>(T.zeros([4]), T.zeros([3, 1]), 'x', 3),
      },
      options: { at: 3, bad: opts },
      extra: [
        huge.map((p) => raises(op, 'padding', `padding ${p}`, () => fn(x(), weight(), null, { padding: p }))),
        fc.constant(raises(op, 'groups', 'groups that do not divide the channels', () => fn(x(), t ? T.rand([2, 3, 3, 3]) : T.rand([3, 1, 3, 3]), null, { groups: t ? 3 : 2 }))),
        ...(t ? [] : [fc.constant(raises(op, 'stride', "padding 'same' with stride 2", () => fn(x(), w(), null, { padding: 'same', stride: 2 }), 'same'))]),
        emptyCase(op, 'an empty batch', () => fn(empty([0, 2, 5, 5]), weight()), t ? [0, 3, 7, 7] : [0, 3, 3, 3]),
        ...(t ? [] : [fc.constant(returns(op, 'a NaN in a 3×3 conv over 8 channels (the Winograd path on wasm)', () => fn(nanImage(), T.ones([8, 8, 3, 3]), null, { padding: 1 }),
          tensorEquals([1, 8, 4, 4], nanImageConv(op === 'conv2dRelu'))))]),
      ],
    }),
  };
}

/**
 * Batch norm (and its fused relu) in training: a NaN in channel 0 makes that channel's statistics and
 * so all its outputs NaN (relu keeps NaN); channel 1, [1, 2, 3, 4], is (x − 2.5) / √(1.25 + 1e−5).
 */
function norm(op: 'batchNorm' | 'batchNormRelu', fn: typeof T.batchNorm): FuzzEntry {
  const normed = [1, 2, 3, 4].map((v) => (v - 2.5) / Math.sqrt(1.25 + 1e-5)).map((v) => (op === 'batchNormRelu' ? Math.max(v, 0) : v));
  return {
    cases: spec(op, fn, {
      args: () => [x(), null, null, { training: true }], names: ['input', 'runningMean', 'runningVar', 'options'],
      bad: { input: fc.constantFrom<unknown>(T.zeros([2]), 'x', null), runningMean: fc.constantFrom<unknown>(T.zeros([3]), 'x', 3), runningVar: fc.constantFrom<unknown>(T.zeros([3]), 'x') },
      options: { at: 3, base: () => ({ training: true }), bad: { weight: fc.constantFrom<unknown>(T.zeros([3]), 'x'), bias: fc.constantFrom<unknown>(T.zeros([1]), 'x'), training: badBool, momentum: badNumber, eps: badNumber } },
      extra: [
        fc.constant(raises(op, 'input', 'one value per channel in training', () => fn(T.zeros([1, 2]), null, null, { training: true }), 'channel')),
        fc.constant(returns(op, 'a NaN in one channel', () => fn(tensor([[[[NAN, 1], [1, 1]], [[1, 2], [3, 4]]]]), null, null, { training: true }),
          tensorEquals([1, 2, 2, 2], [NAN, NAN, NAN, NAN, ...normed]))),
      ],
    }),
  };
}

function pool(op: 'maxPool2d' | 'avgPool2d', fn: typeof T.avgPool2d): FuzzEntry {
  const opts: Record<string, fc.Arbitrary<unknown>> = { kernelSize: badPair(1), stride: badPair(1), padding: badPair(0), ceilMode: badBool };
  if (op === 'maxPool2d') opts['dilation'] = badPair(1);
  else Object.assign(opts, { countIncludePad: badBool, divisorOverride: fc.constantFrom<unknown>(0, 1.5, Number.NaN, '2') });
  const window = tensor([[[[NAN, 1], [INF, -INF]]]]);
  return {
    cases: spec(op, fn as (...a: never[]) => unknown, {
      args: () => [x(), { kernelSize: 2 }], names: ['input', 'options'], bad: { input: badInput },
      options: { at: 1, bad: opts, base: () => ({ kernelSize: 2 }) },
      extra: [
        fc.constant(raises(op, 'kernelSize', 'no kernelSize', () => fn(x(), {} as never))),
        fc.constant(raises(op, 'padding', 'padding over half the kernel', () => fn(x(), { kernelSize: 2, padding: 2 }))),
        fc.constant(raises(op, 'kernel', 'a kernel larger than the input', () => fn(x(), { kernelSize: 9 }))),
        fc.constant(returns(op, 'windows with NaN and ±Inf', () => fn(window.reshape([1, 1, 2, 2]), { kernelSize: 1 }), tensorEquals([1, 1, 2, 2], [NAN, 1, INF, -INF]))),
        fc.constant(returns(op, 'a window of NaN, 1, Inf, -Inf', () => fn(window.reshape([1, 1, 2, 2]), { kernelSize: 2 }), tensorEquals([1, 1, 1, 1], [NAN]))),
        fc.constant(returns(op, 'a window of -Inf', () => fn(T.full([1, 1, 2, 2], -INF), { kernelSize: 2 }), tensorEquals([1, 1, 1, 1], [-INF]))),
        emptyCase(op, 'an empty batch', () => fn(empty([0, 2, 4, 4]), { kernelSize: 2 }), [0, 2, 2, 2]),
      ],
    }),
  };
}

export const SPATIAL: Record<string, FuzzEntry> = {
  conv2d: conv('conv2d', T.conv2d),
  conv2dRelu: conv('conv2dRelu', T.conv2dRelu),
  convTranspose2d: conv('convTranspose2d', T.convTranspose2d as typeof T.conv2d),
  maxPool2d: pool('maxPool2d', T.maxPool2d as typeof T.avgPool2d),
  avgPool2d: pool('avgPool2d', T.avgPool2d),
  interpolate: {
    cases: spec('interpolate', T.interpolate as (...a: never[]) => unknown, {
      args: () => [x(), { scaleFactor: 2 }], names: ['input', 'options'], bad: { input: badInput },
      options: {
        at: 1, base: () => ({ scaleFactor: 2 }),
        bad: { scaleFactor: fc.constantFrom<unknown>(0, -1, Number.NaN, INF, '2', [2], [2, 0]), mode: fc.constantFrom<unknown>('cubic', 'Nearest', 3), alignCorners: badBool, recomputeScaleFactor: badBool },
      },
      extra: [
        fc.constant(raises('interpolate', 'size', 'neither size nor scaleFactor', () => T.interpolate(x(), {}), 'scaleFactor')),
        fc.constant(raises('interpolate', 'size', 'both size and scaleFactor', () => T.interpolate(x(), { size: 4, scaleFactor: 2 }), 'scaleFactor')),
        fc.constant(raises('interpolate', 'alignCorners', 'alignCorners with nearest', () => T.interpolate(x(), { scaleFactor: 2, alignCorners: true }))),
        fc.constantFrom<unknown>(0, -3, 1.5, Number.NaN, [4], [4, 0], 1e9, 2 ** 31).map((s) => raises('interpolate', 'size', `size ${String(s)}`, () => T.interpolate(x(), { size: s as number }))),
        huge.map((s) => raises('interpolate', 'scaleFactor', `scaleFactor ${s}`, () => T.interpolate(x(), { scaleFactor: s }))),
      ],
    }),
  },
  batchNorm: norm('batchNorm', T.batchNorm),
  batchNormRelu: norm('batchNormRelu', T.batchNormRelu),
  dropout: {
    cases: spec('dropout', T.dropout, {
      args: () => [x(), {}], names: ['input', 'options'], bad: { input: notATensor },
      options: { at: 1, bad: { p: fc.constantFrom<unknown>(-0.1, 1.5, Number.NaN, '0.5'), training: badBool, generator: fc.constantFrom<unknown>(3, 'g', {}) } },
      extra: [fc.constant(returns('dropout', 'p = 1', () => T.dropout(T.ones([3]), { p: 1 }), tensorEquals([3], [0, 0, 0])))],
    }),
  },
};
