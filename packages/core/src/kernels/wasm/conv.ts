/**
 * conv2dForward / conv2dBackward of the wasm backend (assembly/conv.ts): the operands are copied
 * into the runtime's memory once per call and the column matrix is gathered while packing, never
 * stored. Float64 (and mixed) calls go to the js kernels; so does the input gradient of a strided
 * convolution (GEMM + col2im, with this backend's GEMM).
 *
 * Work split: the forward into (image, group, range of output positions) items, the weight
 * gradient into (group, range of weight columns) items; each item reduces in a fixed order, so the
 * results do not depend on the thread count.
 */
import type { FloatArray } from '../../dtype.js';
import { composedConv2d, flipWeight } from '../conv2d.js';
import { jsKernels } from '../js.js';
import type { Conv2dGeometry, Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';
import { createWasmWinograd, type WinogradShape } from './winograd.js';
import { createWasmWinogradGrad } from './winograd-grad.js';

// Descriptor slots (Int32 index = byte offset / 4), mirroring DESC_* in assembly/conv.ts and G_* in
// assembly/conv-pack.ts (the geometry record starts at byte 64).
const D_X = 0, D_W = 1, D_Y = 2, D_BIAS = 3, D_N = 4, D_C = 5, D_M = 6, D_GROUPS = 7, D_OH = 8, D_PARTS = 9, D_TILES = 10;
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

/** Builds the two conv kernels over `rt`, with `gemm` (this backend's) for the strided fallback. */
export function createWasmConv(rt: WasmRuntime, gemm: Kernels['gemm']): Pick<Kernels, 'conv2dForward' | 'conv2dBackward'> {
  const nr = rt.exportI32('gemmTileCols');
  const desc = rt.descI32;
  const biasGrad = rt.fn<(g: number, n: number, c: number, plane: number, db: number) => undefined>('convBiasGradF32');
  const padPlanes = rt.fn<(...args: number[]) => undefined>('padPlanesF32');
  const composed = composedConv2d({ ...jsKernels, gemm });
  const winograd = createWasmWinograd(rt);
  const winogradGrad = createWasmWinogradGrad(rt);
  /** The Winograd shape of a convolution with geometry g (x [n, c, h, w] → [n, k, oh, ow]), or null. */
  const winogradShape = (g: Conv2dGeometry, c: number, h: number, w: number, k: number, oh: number, ow: number, pH: number, pW: number): WinogradShape | null =>
    g.kH === 3 && g.kW === 3 && g.sH === 1 && g.sW === 1 && g.dH === 1 && g.dW === 1 && g.groups === 1
      ? { n: g.n, c, h, w, k, oh, ow, pH, pW } : null;

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
  const padLength = (g: Conv2dGeometry, n: number, c: number, h: number, w: number): number => {
    const size = paddedSize(g, h, w);
    return size ? n * c * size[0] * size[1] : 0;
  };

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

  const f32 = (...arrays: (FloatArray | null)[]): boolean => arrays.every((a) => a === null || a instanceof Float32Array);

  return {
    conv2dForward(x, weight, bias, g, out) {
      if (!f32(x, weight, bias, out)) { jsKernels.conv2dForward(x, weight, bias, g, out); return; }
      const plane = g.outH * g.outW;
      if (out.length === 0) return;
      const kg = (g.c / g.groups) * g.kH * g.kW;
      const ws = winogradShape(g, g.c, g.h, g.w, g.cOut, g.outH, g.outW, g.pH, g.pW);
      const wp = ws && winograd.plan(ws);
      const [ox, ow, ob, oy, op, ou] = rt.stage([
        x.length, weight.length, bias ? bias.length : 0, out.length, wp ? 0 : padLength(g, g.n, g.c, g.h, g.w),
        wp ? wp.weightLength : 0,
      ]) as [number, number, number, number, number, number];
      const heap = rt.f32();
      heap.set(x, ox >> 2);
      heap.set(weight, ow >> 2);
      if (bias) heap.set(bias, ob >> 2);
      if (ws && wp) {
        winograd.run(ws, wp, ox, ow, false, bias ? ob : 0, false, oy, ou);
      } else {
        describeImage(ox, op, ow, oy, bias ? ob : 0, g.n, g.c, g.cOut / g.groups, g.groups, g, g.h, g.w);
        runForward(g.n, g.groups, g.cOut / g.groups, kg, plane);
      }
      out.set(heap.subarray(oy >> 2, (oy >> 2) + out.length));
    },

    conv2dBackward(grad, x, weight, g, dx, dw, db) {
      if (!f32(grad, x, weight, dx, dw, db) || g.n === 0) { jsKernels.conv2dBackward(grad, x, weight, g, dx, dw, db); return; }
      const plane = g.outH * g.outW;
      const cOutG = g.cOut / g.groups;
      const cInG = g.c / g.groups;
      const kg = cInG * g.kH * g.kW;
      const strided = g.sH !== 1 || g.sW !== 1;
      if (dx && strided) composed.conv2dBackward(grad, x, weight, g, dx, null, null);
      const flip = dx && !strided;
      // dx = conv(grad, W') with stride 1 and padding d·(k − 1) − p: the forward job on the gradient,
      // W' the weight rotated by 180° with in and out channels swapped (Winograd reads it so).
      const back: Conv2dGeometry = { ...g, pH: g.dH * (g.kH - 1) - g.pH, pW: g.dW * (g.kW - 1) - g.pW, outH: g.h, outW: g.w };
      const ws = flip ? winogradShape(g, g.cOut, g.outH, g.outW, g.c, g.h, g.w, back.pH, back.pW) : null;
      const wp = ws && winograd.plan(ws);
      const flipped = flip && !wp ? flipWeight(weight, g) : weight;
      const gs = dw ? winogradShape(g, g.c, g.h, g.w, g.cOut, g.outH, g.outW, g.pH, g.pW) : null;
      const gp = gs && winogradGrad.plan(gs);
      const [og, ox, ow, odx, odw, odb, oxp, ogp, ou] = rt.stage([
        grad.length, dw ? x.length : 0, flip ? flipped.length : 0, flip ? dx.length : 0, dw ? dw.length : 0, db ? db.length : 0,
        gp ? gp.partialLength : dw ? padLength(g, g.n, g.c, g.h, g.w) : 0, wp ? 0 : flip ? padLength(back, g.n, g.cOut, g.outH, g.outW) : 0,
        wp ? wp.weightLength : 0,
      ]) as [number, number, number, number, number, number, number, number, number];
      const heap = rt.f32();
      heap.set(grad, og >> 2);
      if (db) {
        biasGrad(og, g.n, g.cOut, plane, odb);
        db.set(heap.subarray(odb >> 2, (odb >> 2) + db.length));
      }
      if (dw) {
        heap.set(x, ox >> 2);
        if (gs && gp) {
          winogradGrad.run(gs, gp, ox, og, odw, oxp);
        } else {
          describeImage(ox, oxp, odw, og, 0, g.n, g.c, cOutG, g.groups, g, g.h, g.w);
          const { parts, tiles } = split(g.groups, kg, MIN_WGRAD_TILES, WGRAD_ITEMS_PER_THREAD);
          desc[D_PARTS] = parts; desc[D_TILES] = tiles;
          rt.run('convWeightGradF32Item', g.groups * parts, 2 * g.n * g.cOut * kg * plane);
        }
        dw.set(heap.subarray(odw >> 2, (odw >> 2) + dw.length));
      }
      if (flip) {
        heap.set(flipped, ow >> 2);
        if (ws && wp) {
          winograd.run(ws, wp, og, ow, true, 0, false, odx, ou);
        } else {
          describeImage(og, ogp, ow, odx, 0, g.n, g.cOut, cInG, g.groups, back, g.outH, g.outW);
          runForward(g.n, g.groups, cInG, cOutG * g.kH * g.kW, g.h * g.w);
        }
        dx.set(heap.subarray(odx >> 2, (odx >> 2) + dx.length));
      }
    },
  };
}
