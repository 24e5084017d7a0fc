import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate, type InterpolateOptions } from '../src/index.js';
import { gradcheck, tensorArb } from '../src/testing/index.js';
import { expectClose, f64, re, RUNS } from './helpers.js';

/** Random input sizes and a size or scale factor (up- and downsampling), in both modes. */
const resizeArb = fc.record({
  shape: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
  mode: fc.constantFrom('nearest' as const, 'bilinear' as const),
  bySize: fc.boolean(),
  size: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })),
  scale: fc.tuple(fc.constantFrom(0.5, 1, 1.5, 2, 2.5, 3), fc.constantFrom(0.7, 1, 1.3, 2, 3)),
  alignCorners: fc.boolean(),
  intScale: fc.tuple(fc.constantFrom(1, 2, 3), fc.constantFrom(1, 2, 3)),
}).chain((a) => {
  // Nearest with C > 1 takes PyTorch's generic forward, whose indices can differ from its backward's
  // for a non-integer scale (see interpolate.ts: then no gradient is the forward's derivative), so
  // those draws use integer scale factors; with C = 1 both use the same indices and anything goes.
  const anyScale = a.mode === 'bilinear' || a.shape[1] === 1;
  const scale = (anyScale ? a.scale : a.intScale).map((f, i) => (Math.floor(a.shape[2 + i]! * f) >= 1 ? f : 1)) as [number, number];
  const options: InterpolateOptions = a.bySize && anyScale ? { size: a.size, mode: a.mode } : { scaleFactor: scale, mode: a.mode };
  if (a.mode === 'bilinear') options.alignCorners = a.alignCorners;
  return tensorArb(a.shape, { requiresGrad: true }).map((x) => ({ x, options }));
});

describe('interpolate: values', () => {
  it('nearest ×2 repeats each pixel into a 2×2 block; the gradient sums the block', () => {
    const x = f64([[[[1, 2], [3, 4]]]], { requiresGrad: true });
    const y = interpolate(x, { scaleFactor: 2 });
    expectClose(y, [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]);
    y.backward(f64([[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]]));
    // blocks: 1+2+5+6 = 14, 3+4+7+8 = 22, 9+10+13+14 = 46, 11+12+15+16 = 54
    expectClose(x.grad!, [[[[14, 22], [46, 54]]]]);
  });

  it('nearest with a non-integer scale: src = ⌊j · (1/1.5)⌋ in float32 → 0, 0, 1, 2, 2, 3', () => {
    // 1/1.5 rounds to 0.666666686534881591796875 in float32; 3 · that = 2.0000000596… → 2
    expectClose(interpolate(f64([[[[10, 11, 12, 13]]]]), { scaleFactor: [1, 1.5] }), [[[[10, 10, 11, 12, 12, 13]]]]);
    // size 5 from 3: scale 3/5 = 0.6 → ⌊0⌋, ⌊0.6⌋, ⌊1.2⌋, ⌊1.8⌋, ⌊2.4⌋ = 0, 0, 1, 1, 2
    expectClose(interpolate(f64([[[[10, 11, 12]]]]), { size: [1, 5] }), [[[[10, 10, 11, 11, 12]]]]);
  });

  it('nearest, as PyTorch 1.13: with C > 1 the forward rounds fl32(j · (1/s)) in float64 without shortcuts, the backward does not', () => {
    // scale 1.3, 3 → ⌊3.9⌋ = 3 columns. C = 2 (PyTorch's generic forward): src = ⌊j / 1.3⌋ = 0, 0, 1.
    // The backward (nearest_idx) and the C = 1 forward (channels-last kernel) copy when out = in: 0, 1, 2.
    const two = f64([[[[10, 11, 12]], [[20, 21, 22]]]], { requiresGrad: true });
    const y = interpolate(two, { scaleFactor: 1.3 });
    expectClose(y, [[[[10, 10, 11]], [[20, 20, 21]]]]);
    y.backward(f64([[[[1, 2, 4]], [[8, 16, 32]]]]));
    expectClose(two.grad!, [[[[1, 2, 4]], [[8, 16, 32]]]]);
    expectClose(interpolate(f64([[[[10, 11, 12]]]]), { scaleFactor: 1.3 }), [[[[10, 11, 12]]]]);
    // scale 2.2, 2 → 4 columns: C = 2 gives ⌊j / 2.2⌋ = 0, 0, 0, 1; C = 1 the out = 2·in shortcut j >> 1 = 0, 0, 1, 1.
    expectClose(interpolate(f64([[[[1, 2]], [[3, 4]]]]), { scaleFactor: [1, 2.2] }), [[[[1, 1, 1, 2]], [[3, 3, 3, 4]]]]);
    expectClose(interpolate(f64([[[[1, 2]]]]), { scaleFactor: [1, 2.2] }), [[[[1, 1, 2, 2]]]]);
  });

  it('bilinear ×2 (alignCorners false): half-pixel centres, clamped at the border', () => {
    // [0, 4] → 4 columns: src = (j + ½)/2 − ½ = −¼ (→ 0), ¼, ¾, 1¼ (i1 clamps to 1): 0, 1, 3, 4
    const x = f64([[[[0, 4]]]], { requiresGrad: true });
    const y = interpolate(x, { scaleFactor: 2, mode: 'bilinear' });
    expectClose(y, [[[[0, 1, 3, 4], [0, 1, 3, 4]]]]);
    // each output row: weights on x0 are 1, ¾, ¼, 0 (sum 2) and on x1 0, ¼, ¾, 1 (sum 2); two rows → 4, 4
    y.sum().backward();
    expectClose(x.grad!, [[[[4, 4]]]]);
  });

  it('bilinear with alignCorners maps the corners: src = j·(in − 1)/(out − 1)', () => {
    // [0, 4] → 3 columns: src = 0, ½, 1 → 0, 2, 4
    expectClose(interpolate(f64([[[[0, 4]]]]), { size: [1, 3], mode: 'bilinear', alignCorners: true }), [[[[0, 2, 4]]]]);
  });

  it('keeps float32', () => {
    expect(interpolate(f64([[[[1]]]]).to('float32'), { scaleFactor: 2 }).dtype).toBe('float32');
  });
});

describe('interpolate: gradients (gradcheck over random sizes and modes)', () => {
  it('input', () => {
    fc.assert(
      fc.property(resizeArb, ({ x, options }) => gradcheck((t) => interpolate(t!, options), [x], { name: 'interpolate' })),
      { numRuns: RUNS },
    );
  });
});

describe('interpolate: errors name the op, the argument and the shapes', () => {
  const x = f64([[[[1, 2], [3, 4]]]]);
  it.each([
    ['both size and scaleFactor', () => interpolate(x, { size: 4, scaleFactor: 2 }), 'interpolate: give exactly one of size or scaleFactor, got both'],
    ['neither size nor scaleFactor', () => interpolate(x, {}), 'interpolate: give exactly one of size or scaleFactor, got neither'],
    ['an unknown mode', () => interpolate(x, { scaleFactor: 2, mode: 'bicubic' as never }), `interpolate: mode must be 'nearest' or 'bilinear', got "bicubic"`],
    ['alignCorners with nearest', () => interpolate(x, { scaleFactor: 2, alignCorners: true }), "interpolate: alignCorners can only be set with mode 'bilinear' (mode is 'nearest')"],
    ['a 3-D input', () => interpolate(f64([[[1, 2]]]), { scaleFactor: 2 }), 'interpolate: input must be 4-D (N, C, H, W), got shape [1, 1, 2]'],
    ['a negative scale factor', () => interpolate(x, { scaleFactor: -1 }), 'interpolate: scaleFactor must be a positive number or a pair of them, got -1'],
    ['a scale that leaves no output', () => interpolate(x, { scaleFactor: 0.4 }),
      'interpolate: input and output sizes must be positive, got input 2×2 (shape [1, 1, 2, 2]) and output [0, 0]'],
    ['a zero size', () => interpolate(x, { size: [0, 2] }), 'interpolate: size must be an integer >= 1 or a pair of them, got [0,2]'],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(re(message));
  });
});
