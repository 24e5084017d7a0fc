/**
 * The Winograd F(2×2, 3×3) convolution job of the wasm backend (assembly/winograd.ts): for 3×3,
 * stride-1, undilated, ungrouped convolutions with enough channels that the 2.25× fewer multiplies
 * pay for the transforms. conv.ts runs the forward and the stride-1 input gradient (a convolution
 * of the upstream gradient with the flipped weight) through it; everything else stays on the
 * direct packed GEMM.
 *
 * Operands are already in wasm memory (byte addresses); this module transforms the weight, writes
 * the descriptor and runs the (image, block of tiles) items.
 */
import type { WasmRuntime } from './runtime.js';

// Descriptor slots (Int32 index = byte offset / 4), mirroring D_* in assembly/winograd.ts.
const D_X = 0, D_U = 1, D_Y = 2, D_BIAS = 3, D_C = 5, D_K = 6, D_H = 7, D_W = 8, D_OH = 9, D_OW = 10;
const D_TW = 11, D_TH = 12, D_TB = 13, D_BLOCKS = 14, D_FLAGS = 15, D_KC = 16, D_PH = 17, D_PW = 18, D_WP = 19;

/** Floats between the ξ planes of the per-thread buffers beyond their size (assembly/winograd.ts). */
export const SKEW = 16;
/** Channels per chunk of the transformed input (the GEMM's depth). */
const KC = 256;
/** Most tiles per block (more stops paying once the block's GEMMs are long enough). */
const MAX_TILES = 128;
/** Fewest tiles per block when cutting blocks smaller to give every thread several items. */
const MIN_TILES = 32;
/** Items per thread wanted (blocks are cut smaller, down to MIN_TILES, to get them). */
const ITEMS_PER_THREAD = 4;
/**
 * Fewest input and output channels for Winograd. Measured against the direct GEMM on one core:
 * faster on every layer of the segmenter (6→16 at 64² 1.64 → 1.33 ms, 32→32 at 32² 3.72 → 1.90,
 * 32→64 at 16² 1.99 → 0.85), even or slower on toy sizes with 3 channels or 4×4 images.
 */
export const WINOGRAD_MIN_CHANNELS = 4;

/** A 3×3 stride-1 convolution of an [n, c, h, w] image into [n, k, oh, ow], top/left padding (pH, pW). */
export interface WinogradShape {
  n: number; c: number; h: number; w: number; k: number; oh: number; ow: number; pH: number; pW: number;
}

/** Sizes (floats) of the staging regions a job needs, or null when this job should not use Winograd. */
export interface WinogradPlan {
  weightLength: number;
  tw: number; th: number; tb: number; blocks: number; wp: number;
}

export interface WasmWinograd {
  plan(s: WinogradShape): WinogradPlan | null;
  /**
   * y = conv(x, w) (+ bias, then relu) as planned; x, w [k, c, 3, 3] (with `flip`, w is [c, k, 3, 3]
   * and the convolution uses it rotated by 180°: the input gradient's weight), bias (or 0) and y
   * are byte addresses in wasm memory, u a staging region of plan.weightLength floats.
   */
  run(s: WinogradShape, p: WinogradPlan, x: number, w: number, flip: boolean, bias: number, relu: boolean, y: number, u: number): void;
}

/**
 * Whether Winograd runs the job: `conv` a convolution (the forward, or a stride-1 input gradient),
 * `weightGrad` a weight gradient. It can when no padding is negative or past the 2-row/column
 * overlap of the tile grid (the padded rows the items copy have room for the image and 2 more
 * columns); with 'auto' it also needs enough channels (WINOGRAD_MIN_CHANNELS) and, for the weight
 * gradient, a tile grid (rows of a multiple of 4 tiles) at most 1.5× the output: a 4-wide output
 * computes 8 columns. Measured by instruction counts (callgrind, one thread) on 16 × 128 → 128 at
 * 4 × 4: the weight gradient takes 148 M with Winograd and 62 M with the direct GEMM, the
 * forward 59 M with Winograd and 89 M with the GEMM (whose packing of 4-wide rows costs more).
 */
export function winogradEligible(s: WinogradShape, mode: 'auto' | 'always' | 'never', job: 'conv' | 'weightGrad'): boolean {
  if (mode === 'never' || s.n < 1 || s.pH < 0 || s.pW < 0 || s.oh + 2 < s.h + s.pH || s.ow + 2 < s.w + s.pW) return false;
  if (mode === 'always') return true;
  if (s.c < WINOGRAD_MIN_CHANNELS || s.k < WINOGRAD_MIN_CHANNELS) return false;
  const { th, tw } = tileGrid(s);
  return job === 'conv' || 4 * th * tw <= 1.5 * s.oh * s.ow;
}

/** The grid of 2×2 output tiles: th rows of tw tiles (tw a multiple of 4), and the padded row width. */
export function tileGrid(s: WinogradShape): { th: number; tw: number; wp: number } {
  const tw = 4 * Math.ceil(s.ow / 8);
  return { th: Math.ceil(s.oh / 2), tw, wp: 2 * tw + 4 };
}

export function createWasmWinograd(rt: WasmRuntime): WasmWinograd {
  const mr = rt.exportI32('gemmTileRows');
  const nr = rt.exportI32('gemmTileCols');
  const scratchBytes = rt.exportI32('gemmScratchBytes');
  const desc = rt.descI32;
  const weights = rt.fn<(w: number, rows: number, depth: number, kc: number, flip: number, u: number) => undefined>('winogradWeightsF32');

  return {
    plan(s) {
      if (!winogradEligible(s, rt.winograd, 'conv')) return null;
      const { th, tw } = tileGrid(s);
      const tiles = th * tw;
      // Per thread: V (16 × (chunk × tb + SKEW)) and M (16 × (k × tb + SKEW)) floats, one MR × NR
      // tile, and the padded rows of one channel that a block reads (wp floats each).
      const kc = Math.min(KC, s.c);
      const { wp } = tileGrid(s);
      const bytes = (tb: number): number => 4 * (16 * (kc * tb + SKEW) + 16 * (s.k * tb + SKEW) + mr * nr + wp * (2 * Math.ceil(tb / tw) + 4));
      const perImage = Math.ceil((rt.threads * ITEMS_PER_THREAD) / s.n);
      const wanted = Math.max(MIN_TILES, Math.ceil(tiles / perImage / nr) * nr);
      let tb = Math.min(MAX_TILES, wanted, Math.ceil(tiles / nr) * nr);
      while (tb >= nr && bytes(tb) > scratchBytes) tb -= nr;
      if (tb < nr) return null;
      const kPad = Math.ceil(s.k / mr) * mr;
      return { weightLength: 16 * s.c * kPad, tw, th, tb, blocks: Math.ceil(tiles / tb), wp };
    },

    run(s, p, x, w, flip, bias, relu, y, u) {
      weights(w, s.k, s.c, KC, flip ? 1 : 0, u);
      desc[D_X] = x; desc[D_U] = u; desc[D_Y] = y; desc[D_BIAS] = bias;
      desc[D_C] = s.c; desc[D_K] = s.k; desc[D_H] = s.h; desc[D_W] = s.w; desc[D_OH] = s.oh; desc[D_OW] = s.ow;
      desc[D_TW] = p.tw; desc[D_TH] = p.th; desc[D_TB] = p.tb; desc[D_BLOCKS] = p.blocks;
      desc[D_FLAGS] = relu ? 1 : 0; desc[D_KC] = KC; desc[D_PH] = s.pH; desc[D_PW] = s.pW; desc[D_WP] = p.wp;
      rt.run('winogradF32Item', s.n * p.blocks, 2 * s.n * s.k * s.c * 9 * s.oh * s.ow);
    },
  };
}
