import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { avgPool2d } from '../src/index.js';
import { gradcheck, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

const poolArb = fc.record({
  n: fc.integer({ min: 1, max: 2 }),
  c: fc.integer({ min: 1, max: 2 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
  pad: fc.tuple(fc.boolean(), fc.boolean()),
  extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  ceilMode: fc.boolean(),
  countIncludePad: fc.boolean(),
  divisorOverride: fc.constantFrom(null, 3),
}).chain((a) => {
  const p = [0, 1].map((i) => (a.pad[i] ? Math.floor(a.k[i]! / 2) : 0)) as [number, number];
  const shape = [a.n, a.c, ...[0, 1].map((i) => Math.max(1, a.k[i]! - 2 * p[i]!) + a.extra[i]!)];
  const { ceilMode, countIncludePad, divisorOverride } = a;
  const options = { kernelSize: a.k, stride: a.s, padding: p, ceilMode, countIncludePad, divisorOverride };
  return tensorArb(shape, { requiresGrad: true }).map((x) => ({ x, options }));
});

describe('avgPool2d: values', () => {
  it('2×2 windows average; each element of a window gets a quarter of its gradient', () => {
    // [[1,2,3,4],[5,6,7,8]]: (1+2+5+6)/4 = 3.5, (3+4+7+8)/4 = 5.5; upstream [1, 2] → 1/4 and 2/4 per element
    const x = f64([[[[1, 2, 3, 4], [5, 6, 7, 8]]]], { requiresGrad: true });
    const y = avgPool2d(x, { kernelSize: 2 });
    expectClose(y, [[[[3.5, 5.5]]]]);
    y.backward(f64([[[[1, 2]]]]));
    expectClose(x.grad!, [[[[0.25, 0.25, 0.5, 0.5], [0.25, 0.25, 0.5, 0.5]]]]);
  });

  it('padding: countIncludePad divides by the padded window, otherwise by the part inside the image', () => {
    // [[1, 2], [3, 4]], kernel 2, stride 2, padding 1: each window holds one pixel and three padding cells
    const x = f64([[[[1, 2], [3, 4]]]]);
    expectClose(avgPool2d(x, { kernelSize: 2, padding: 1 }), [[[[0.25, 0.5], [0.75, 1]]]]);
    expectClose(avgPool2d(x, { kernelSize: 2, padding: 1, countIncludePad: false }), [[[[1, 2], [3, 4]]]]);
    // divisorOverride 2: window sums 1, 2, 3, 4 halved
    expectClose(avgPool2d(x, { kernelSize: 2, padding: 1, divisorOverride: 2 }), [[[[0.5, 1], [1.5, 2]]]]);
  });

  it('ceilMode: the partial last window divides by its size clipped to the padded input', () => {
    // [1..5] in one row, kernel 2, stride 2, ceil: windows [1,2], [3,4], [5] → 1.5, 3.5, 5/1 (no padding to count)
    expectClose(avgPool2d(f64([[[[1, 2, 3, 4, 5]]]]), { kernelSize: [1, 2], ceilMode: true }), [[[[1.5, 3.5, 5]]]]);
  });
});

describe('avgPool2d: gradients (gradcheck over random geometry)', () => {
  it('input', () => {
    fc.assert(
      fc.property(poolArb, ({ x, options }) => gradcheck((t) => avgPool2d(t!, options), [x], { name: 'avgPool2d' })),
      { numRuns: RUNS },
    );
  });
});

describe('avgPool2d: errors name the op, the argument and the shapes', () => {
  const x = f64([[[[1, 2, 3], [4, 5, 6]]]]);
  it.each([
    ['a zero stride', () => avgPool2d(x, { kernelSize: 2, stride: 0 }), 'avgPool2d: stride must be an integer >= 1 or a pair of them, got 0'],
    ['padding over half the kernel', () => avgPool2d(x, { kernelSize: [2, 3], padding: [1, 2] }), 'avgPool2d: padding [1, 2] must be at most half of kernelSize [2, 3]'],
    ['a kernel larger than the padded input', () => avgPool2d(x, { kernelSize: [3, 1] }),
      'avgPool2d: the kernel [3, 1] is larger than the padded input 2×3 (input shape [1, 1, 2, 3], padding [0, 0])'],
    ['a zero divisorOverride', () => avgPool2d(x, { kernelSize: 2, divisorOverride: 0 }), 'avgPool2d: divisorOverride must be a non-zero integer, got 0'],
    ['a wrong input rank', () => avgPool2d(f64([[1, 2]]), { kernelSize: 1 }), 'avgPool2d: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape [1, 2]'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
