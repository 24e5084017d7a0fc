/**
 * The js im2col / col2im kernels (src/kernels/conv.ts) against their definition, over random
 * geometry that includes what the op-level tests rarely reach: padding wider than the image, which
 * the stride-1 input gradient of conv2d asks for (padding d·(k − 1) − p over a small output).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { col2im, im2col } from '../src/kernels/conv.js';
import { RUNS } from './helpers.js';

interface Geometry {
  c: number; h: number; w: number; kH: number; kW: number; sH: number; sW: number;
  pH: number; pW: number; dH: number; dW: number; outH: number; outW: number;
}

/** col[(ci, ki, kj), (oh, ow)] = x[ci, oh·sH − pH + ki·dH, ow·sW − pW + kj·dW], 0 outside the image. */
function naiveIm2col(x: Float64Array, g: Geometry): Float64Array {
  const col = new Float64Array(g.c * g.kH * g.kW * g.outH * g.outW);
  let i = 0;
  for (let ci = 0; ci < g.c; ci++) for (let ki = 0; ki < g.kH; ki++) for (let kj = 0; kj < g.kW; kj++) {
    for (let oh = 0; oh < g.outH; oh++) for (let ow = 0; ow < g.outW; ow++, i++) {
      const ih = oh * g.sH - g.pH + ki * g.dH;
      const iw = ow * g.sW - g.pW + kj * g.dW;
      col[i] = ih >= 0 && ih < g.h && iw >= 0 && iw < g.w ? x[(ci * g.h + ih) * g.w + iw]! : 0;
    }
  }
  return col;
}

/** Any geometry with outputs ≥ 1, paddings up to twice the image; half of the draws have stride 1 and outW = w (the block-copy path). */
const geometryArb: fc.Arbitrary<Geometry> = fc.record({
  c: fc.integer({ min: 1, max: 3 }), h: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 4 }),
  kH: fc.integer({ min: 1, max: 5 }), kW: fc.integer({ min: 1, max: 5 }),
  sH: fc.integer({ min: 1, max: 2 }), sW: fc.integer({ min: 1, max: 2 }),
  pH: fc.integer({ min: 0, max: 8 }), pW: fc.integer({ min: 0, max: 8 }),
  dH: fc.integer({ min: 1, max: 2 }), dW: fc.integer({ min: 1, max: 2 }),
  outH: fc.integer({ min: 1, max: 5 }), outW: fc.integer({ min: 1, max: 5 }),
  block: fc.boolean(),
}).map(({ block, ...g }) => (block ? { ...g, sH: 1, sW: 1, outW: g.w } : g));

describe('im2col and col2im kernels', () => {
  it('im2col writes every element as the definition says (stale scratch values never survive)', () => {
    fc.assert(
      fc.property(geometryArb, (g) => {
        const x = Float64Array.from({ length: g.c * g.h * g.w }, (_, i) => i + 1);
        const expected = naiveIm2col(x, g);
        const col = new Float64Array(expected.length).fill(Number.NaN);
        im2col(x, col, g);
        expect(Array.from(col)).toEqual(Array.from(expected));
      }),
      { numRuns: 4 * RUNS },
    );
  });

  it('col2im is the adjoint of im2col: <im2col(x), c> = <x, col2im(c)>', () => {
    fc.assert(
      fc.property(geometryArb, (g) => {
        const x = Float64Array.from({ length: g.c * g.h * g.w }, (_, i) => ((i * 7) % 5) - 2);
        const c = Float64Array.from({ length: g.c * g.kH * g.kW * g.outH * g.outW }, (_, i) => ((i * 3) % 7) - 3);
        const col = new Float64Array(c.length);
        im2col(x, col, g);
        const back = new Float64Array(x.length);
        col2im(c, back, g);
        const lhs = col.reduce((s, v, i) => s + v * c[i]!, 0);
        const rhs = x.reduce((s, v, i) => s + v * back[i]!, 0);
        expect(lhs).toBe(rhs); // small integers: exact
      }),
      { numRuns: 2 * RUNS },
    );
  });

  it('padding wider than the image: conv2d\'s stride-1 input gradient for input (3, 5, 1), weight (3, 3, 5, 5), padding [0, 2]', () => {
    // The gradient (3 channels of 1×1) unfolded with a 5×5 kernel and padding [4, 2] into 5×1 columns (the
    // block path: stride 1, outW = w). For channel 0, kj = 0 and ki = 2 the row run starts 2 elements
    // before x: it once copied x[0..2) over the zeros of rows that lie below the image.
    const g: Geometry = { c: 3, h: 1, w: 1, kH: 5, kW: 5, sH: 1, sW: 1, pH: 4, pW: 2, dH: 1, dW: 1, outH: 5, outW: 1 };
    const x = Float64Array.of(1, 2, 3);
    const col = new Float64Array(3 * 25 * 5).fill(Number.NaN);
    im2col(x, col, g);
    // Only kj = 2 (iw = 0) reads the image, at oh = 4 − ki (ih = 0): 5 non-zeros per channel, all x[ci].
    const nonZero = Array.from(col.keys()).filter((i) => col[i] !== 0);
    expect(nonZero.map((i) => col[i])).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]);
    expect(Array.from(col)).toEqual(Array.from(naiveIm2col(x, g)));
  });
});
