/**
 * The direct convolution jobs of the wasm backend (assembly/conv.ts): a GEMM of the weight and the
 * image's column matrix, gathered while packing (never stored). conv.ts runs them for every
 * convolution Winograd does not take. Operands are byte addresses in wasm memory.
 *
 * Work split: the forward into (image, group, range of output positions) items, the weight
 * gradient into (group, range of weight columns, range of images) items; each item reduces in a
 * fixed order and the image ranges (whose partial sums are added in order) come from the shapes
 * only, so the results do not depend on the thread count.
 */
import type { Conv2dGeometry } from '../types.js';
import type { WasmRuntime } from './runtime.js';

// Descriptor slots (Int32 index = byte offset / 4), mirroring DESC_* in assembly/conv.ts and G_* in
// assembly/conv-pack.ts (the geometry record starts at byte 64).
const D_X = 0, D_W = 1, D_Y = 2, D_BIAS = 3, D_N = 4, D_C = 5, D_M = 6, D_GROUPS = 7, D_OH = 8, D_PARTS = 9, D_TILES = 10;
const D_SPLITS = 11, D_PARTIALS = 12;
const GEO = 16;
const G_H = 0, G_W = 1, G_KH = 2, G_KW = 3, G_SH = 4, G_SW = 5, G_PH = 6, G_PW = 7, G_DH = 8, G_DW = 9, G_OW = 10;
/**
 * Items per thread when splitting a job: several, so that a thread slowed by other work does not
 * hold up the job. A forward item packs only its own columns, so small items cost little; a
 * weight-gradient item repacks the whole upstream gradient, so those stay fewer.
 */
const FORWARD_ITEMS_PER_THREAD = 8;
const WGRAD_ITEMS_PER_THREAD = 4;
/** Fewest NR-column tiles per weight-gradient item (each item repacks the whole upstream gradient). */
const MIN_WGRAD_TILES = 4;
/**
 * Weight-gradient items wanted before the images are split too: a layer with few weight columns
 * (an RGB input layer, kg = 27; a 1 × 1 head, kg = 16) was one serial item at any thread count.
 */
const WGRAD_SPLIT_ITEMS = 8;

export interface DirectConv {
  /** Floats of the zero-padded copy a job over an [n, c, h, w] batch with geometry g needs (0: none). */
  padLength(g: Conv2dGeometry, n: number, c: number, h: number, w: number): number;
  /**
   * y [n, groups·m, outH, outW] = conv(x [n, c, h, w], w) (+ bias), g's kernel, stride, padding and
   * output size; pad a staging region of padLength floats.
   */
  forward(x: number, pad: number, w: number, y: number, bias: number, n: number, c: number, m: number, g: Conv2dGeometry, h: number, wd: number): void;
  /** Floats of the partial sums a weight-gradient job with geometry g needs (0: none). */
  partialLength(g: Conv2dGeometry): number;
  /** dw [cOut, c/groups, kH, kW] of the convolution g of x from dy; pad as for forward, partials of partialLength floats. */
  weightGrad(x: number, pad: number, dy: number, dw: number, g: Conv2dGeometry, partials: number): void;
}

export function createDirectConv(rt: WasmRuntime): DirectConv {
  const nr = rt.exportI32('gemmTileCols');
  const desc = rt.descI32;
  const padPlanes = rt.fn<(...args: number[]) => undefined>('padPlanesF32');
  const sumPartials = rt.fn<(p: number, splits: number, len: number, out: number) => undefined>('sumPartialsF32');

  /** Image ranges of the weight gradient: from the shapes only, enough items where the weight's columns give too few. */
  function imageSplits(g: Conv2dGeometry): number {
    const kg = (g.c / g.groups) * g.kH * g.kW;
    const columnItems = g.groups * Math.max(1, Math.floor(Math.ceil(kg / nr) / MIN_WGRAD_TILES));
    return columnItems >= WGRAD_SPLIT_ITEMS ? 1 : Math.max(1, Math.min(g.n, Math.ceil(WGRAD_SPLIT_ITEMS / columnItems)));
  }

  /** Items over `jobs` independent jobs of `extent` columns each, at least `minTiles` tiles an item. */
  function split(jobs: number, extent: number, minTiles: number, perThread: number): { parts: number; tiles: number } {
    const tiles = Math.ceil(extent / nr);
    const wanted = rt.threads > 1 ? Math.ceil((rt.threads * perThread) / jobs) : 1;
    let per = Math.max(Math.ceil(tiles / Math.min(tiles, wanted)), Math.min(tiles, minTiles));
    const parts = Math.ceil(tiles / per);
    per = Math.ceil(tiles / parts); // even out the items
    return { parts, tiles: per };
  }

  /**
   * The zero-padded plane size the job can run on without padding ([hp, wp], covering every tap),
   * or null to run on the image as it is (taps inside it, strided with padding, or negative padding).
   */
  function paddedSize(g: Conv2dGeometry, h: number, w: number): [number, number] | null {
    if (g.pH < 0 || g.pW < 0) return null;
    // Rows and columns the taps reach, from the top-left of the padded image.
    const needH = (g.outH - 1) * g.sH + (g.kH - 1) * g.dH + 1;
    const needW = (g.outW - 1) * g.sW + (g.kW - 1) * g.dW + 1;
    const unpadded = g.pH === 0 && g.pW === 0;
    // Every tap inside the image: nothing to pad.
    if (unpadded && needH <= h && needW <= w) return null;
    // Strided with padding: the packer's bounds-checked gather handles the borders. (Unpadded taps
    // that still reach past the image, the extra bottom/right row of 'same' padding with an even
    // kernel, must be padded at any stride: the packer's unpadded fast paths do not check bounds.)
    if ((g.sH !== 1 || g.sW !== 1) && !unpadded) return null;
    return [Math.max(h + g.pH, needH), Math.max(w + g.pW, needW)];
  }

  /**
   * Describes the job over the image batch at `x` ([n, c, h, w]) unfolded with `g`'s kernel. With
   * unit stride and padding, the batch is first copied zero-padded to `pad` (which has room for
   * n·c·hp·wp floats, see paddedSize) and the job runs unpadded on the copy: the packing then never
   * meets an image border (measured 15-35% off the forward of the segmenter's convs).
   */
  function describeImage(x: number, pad: number, w: number, y: number, bias: number, n: number, c: number, m: number, groups: number, g: Conv2dGeometry, h: number, wd: number): void {
    const size = paddedSize(g, h, wd);
    if (!size) { describe(x, w, y, bias, n, c, m, groups, g, h, wd); return; }
    padPlanes(x, n * c, h, wd, g.pH, g.pW, size[0], size[1], pad);
    describe(pad, w, y, bias, n, c, m, groups, { ...g, pH: 0, pW: 0 }, size[0], size[1]);
  }

  /** Writes the descriptor of an image batch `x` [n, c, h, w] unfolded with `g`'s kernel. */
  function describe(x: number, w: number, y: number, bias: number, n: number, c: number, m: number, groups: number, geo: Conv2dGeometry, h: number, wd: number): void {
    desc[D_X] = x; desc[D_W] = w; desc[D_Y] = y; desc[D_BIAS] = bias;
    desc[D_N] = n; desc[D_C] = c; desc[D_M] = m; desc[D_GROUPS] = groups; desc[D_OH] = geo.outH;
    desc[GEO + G_H] = h; desc[GEO + G_W] = wd; desc[GEO + G_KH] = geo.kH; desc[GEO + G_KW] = geo.kW;
    desc[GEO + G_SH] = geo.sH; desc[GEO + G_SW] = geo.sW; desc[GEO + G_PH] = geo.pH; desc[GEO + G_PW] = geo.pW;
    desc[GEO + G_DH] = geo.dH; desc[GEO + G_DW] = geo.dW; desc[GEO + G_OW] = geo.outW;
  }

  /** Runs the forward job (already described, except its split) over n·groups images. */
  function runForward(n: number, groups: number, m: number, kg: number, plane: number): void {
    const { parts, tiles } = split(n * groups, plane, Math.ceil(rt.minItemExtent / nr), FORWARD_ITEMS_PER_THREAD);
    desc[D_PARTS] = parts; desc[D_TILES] = tiles;
    rt.run('convF32Item', n * groups * parts, 2 * n * groups * m * kg * plane);
  }

  return {
    padLength(g, n, c, h, w) {
      const size = paddedSize(g, h, w);
      return size ? n * c * size[0] * size[1] : 0;
    },
    forward(x, pad, w, y, bias, n, c, m, g, h, wd) {
      describeImage(x, pad, w, y, bias, n, c, m, g.groups, g, h, wd);
      runForward(n, g.groups, m, (c / g.groups) * g.kH * g.kW, g.outH * g.outW);
    },
    partialLength(g) {
      const splits = imageSplits(g);
      return splits > 1 ? splits * g.cOut * (g.c / g.groups) * g.kH * g.kW : 0;
    },
    weightGrad(x, pad, dy, dw, g, partials) {
      const kg = (g.c / g.groups) * g.kH * g.kW;
      describeImage(x, pad, dw, dy, 0, g.n, g.c, g.cOut / g.groups, g.groups, g, g.h, g.w);
      const { parts, tiles } = split(g.groups, kg, MIN_WGRAD_TILES, WGRAD_ITEMS_PER_THREAD);
      const splits = imageSplits(g);
      desc[D_PARTS] = parts; desc[D_TILES] = tiles; desc[D_SPLITS] = splits; desc[D_PARTIALS] = partials;
      rt.run('convWeightGradF32Item', g.groups * parts * splits, 2 * g.n * g.cOut * kg * g.outH * g.outW);
      if (splits > 1) sumPartials(partials, splits, g.cOut * kg, dw);
    },
  };
}
