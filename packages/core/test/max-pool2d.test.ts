import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, maxPool2d, Tensor } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { distinctTensorArb, expectClose, f64, re, RUNS } from './helpers.js';

/** Random pooling geometry (padding ≤ half the kernel, as PyTorch requires). */
const poolArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  c: fc.integer({ min: 1, max: 2 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  pad: fc.tuple(fc.boolean(), fc.boolean()),
  d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  ceilMode: fc.boolean(),
}).chain((a) => {
  const p = [0, 1].map((i) => (a.pad[i] ? Math.floor(a.k[i]! / 2) : 0));
  // At least one dilated kernel span: every window then holds an input element (else its max is −∞, as PyTorch's).
  const shape = [a.n, a.c, ...[0, 1].map((i) => a.d[i]! * (a.k[i]! - 1) + 1 + a.extra[i]!)];
  const options = { kernelSize: a.k, stride: a.s, padding: p as [number, number], dilation: a.d, ceilMode: a.ceilMode };
  return distinctTensorArb(shape).map((x) => ({ x: new Tensor(x.data, x.shape, true), options }));
});

describe('maxPool2d: values', () => {
  it('2×2 windows of 0..15 take the bottom-right element; the gradient goes there', () => {
    // x = [[0,1,2,3],[4,5,6,7],[8,9,10,11],[12,13,14,15]]: window maxima 5, 7, 13, 15 at (1,1), (1,3), (3,1), (3,3)
    const x = arange(16, undefined, 1, { dtype: 'float64' }).reshape([1, 1, 4, 4]).detach().requiresGrad_();
    const y = maxPool2d(x, { kernelSize: 2 });
    expectClose(y, [[[[5, 7], [13, 15]]]]);
    y.backward(f64([[[[1, 2], [3, 4]]]]));
    expectClose(x.grad!, [[[[0, 0, 0, 0], [0, 1, 0, 2], [0, 0, 0, 0], [0, 3, 0, 4]]]]);
  });

  it('ties send the whole gradient to the first maximum in row-major order, as PyTorch', () => {
    // Every element is 1: the window's first element (0, 0) takes it; overlapping windows (stride 1) each pick their own first
    const x = f64([[[[1, 1, 1], [1, 1, 1]]]], { requiresGrad: true });
    maxPool2d(x, { kernelSize: 2, stride: 1 }).sum().backward();
    expectClose(x.grad!, [[[[1, 1, 0], [0, 0, 0]]]]);
  });

  it('padding never wins (−∞), and ceilMode adds the partial last window', () => {
    // −5..−1 in a row, kernel 2, padding 1: windows [pad, −5], [−4, −3], [−2, −1] → −5, −3, −1
    expectClose(maxPool2d(f64([[[[-5, -4, -3, -2, -1]]]]), { kernelSize: [1, 2], padding: [0, 1] }), [[[[-5, -3, -1]]]]);
    // 5 columns, kernel 2, stride 2: floor → 2 windows, ceil → 3 (the last covers column 4 only)
    const x = f64([[[[1, 2, 3, 4, 5]]]]);
    expectClose(maxPool2d(x, { kernelSize: [1, 2] }), [[[[2, 4]]]]);
    expectClose(maxPool2d(x, { kernelSize: [1, 2], ceilMode: true }), [[[[2, 4, 5]]]]);
  });

  it('dilation 2 skips every other element; unbatched input and float32 keep their shape and dtype', () => {
    // kernel 2 with dilation 2 over [1, 9, 3, 4]: windows {1, 3} and {9, 4} → 3, 9
    expectClose(maxPool2d(f64([[[[1, 9, 3, 4]]]]), { kernelSize: [1, 2], stride: 1, dilation: 2 }), [[[[3, 9]]]]);
    const y = maxPool2d(new Tensor(new Float32Array([1, 2, 3, 4]), [1, 2, 2]), { kernelSize: 2 });
    expect(y.shape).toEqual([1, 1, 1]);
    expect(y.dtype).toBe('float32');
    expect(y.item()).toBe(4);
  });
});

describe('maxPool2d: gradients (gradcheck over random geometry, values without ties)', () => {
  it('input', () => {
    fc.assert(
      fc.property(poolArb, ({ x, options }) => gradcheck((t) => maxPool2d(t!, options), [x], { name: 'maxPool2d' })),
      { numRuns: RUNS },
    );
  });
});

describe('maxPool2d: errors name the op, the argument and the shapes', () => {
  const x = f64([[[[1, 2, 3], [4, 5, 6]]]]);
  it.each([
    ['a zero kernel size', () => maxPool2d(x, { kernelSize: 0 }), 'maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0'],
    ['a non-positive stride', () => maxPool2d(x, { kernelSize: 2, stride: [1, -1] }), 'maxPool2d: stride must be an integer >= 1 or a pair of them, got [1,-1]'],
    ['padding over half the kernel', () => maxPool2d(x, { kernelSize: 2, padding: 2 }), 'maxPool2d: padding [2, 2] must be at most half of kernelSize [2, 2]'],
    ['a kernel larger than the padded input', () => maxPool2d(x, { kernelSize: 3 }),
      'maxPool2d: the kernel [3, 3] is larger than the padded input 2×3 (input shape [1, 1, 2, 3], padding [0, 0]); the output would be 0×1'],
    ['a dilated kernel larger than the padded input', () => maxPool2d(x, { kernelSize: 2, dilation: [1, 3] }),
      'maxPool2d: the kernel [2, 2] (dilation [1, 3]) is larger than the padded input 2×3 (input shape [1, 1, 2, 3], padding [0, 0]); the output would be 1×0'],
    ['a wrong input rank', () => maxPool2d(f64([1, 2]), { kernelSize: 1 }), 'maxPool2d: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape [2]'],
    ['a missing kernelSize', () => maxPool2d(x, {} as never), 'maxPool2d: options.kernelSize is required'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
