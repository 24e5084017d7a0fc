/**
 * The weight gradient of a 3×3 stride-1 convolution by Winograd's F(2×2, 3×3) on the wasm backend
 * (assembly/winograd-grad.ts): items of (image, part of its tiles) each sum their tiles' transformed
 * products into a partial M; a finishing job (assembly/winograd-grad-finish.ts, items of whole
 * pairs of output channels) adds the partials in item order and transforms back.
 * The tile blocks and parts depend on the shapes only, so dW does not depend on the thread count.
 */
import type { WasmRuntime } from './runtime.js';
import { SKEW, tileGrid, winogradEligible, type WinogradShape } from './winograd.js';

// Descriptor slots (Int32 index = byte offset / 4), mirroring D_* in assembly/winograd-grad.ts.
const D_X = 0, D_DY = 1, D_P = 2, D_C = 3, D_K = 4, D_H = 5, D_W = 6, D_OH = 7, D_OW = 8;
const D_TW = 9, D_TH = 10, D_TB = 11, D_BLOCKS = 12, D_PARTS = 13, D_PH = 14, D_PW = 15, D_WP = 16;
// The finishing job's slots, mirroring F_* in assembly/winograd-grad-finish.ts.
const F_P = 32, F_ITEMS = 33, F_K = 34, F_C = 35, F_ACC = 36, F_DW = 37, F_PER = 38;
/**
 * GEMM-equivalent flops per partial value the finishing job adds (for the pool's threshold,
 * runtime.ts): a streamed f64 sum, about 0.4 ns a value on one core of the benchmark machine
 * (1.5 ms of a small U-Net step for its 3.5 M partial values), where the GEMM does about 40 flops a ns.
 */
const FINISH_FLOPS_PER_VALUE = 16;
/** Finishing items per thread. */
const FINISH_ITEMS_PER_THREAD = 4;

/** Most tiles per block. */
const MAX_TILES = 128;
/** Items wanted over the batch (images are cut into this many parts in all, at most one per block). */
const MIN_ITEMS = 8;

export interface WinogradGradPlan {
  /** Floats of the region the job needs for its partial sums. */
  partialLength: number;
  tw: number; th: number; tb: number; blocks: number; parts: number; wp: number;
}

export interface WasmWinogradGrad {
  plan(s: WinogradShape): WinogradGradPlan | null;
  /** dw [k, c, 3, 3] of the convolution of x [n, c, h, w] given dy [n, k, oh, ow] (byte addresses), with the planned partials region. */
  run(s: WinogradShape, p: WinogradGradPlan, x: number, dy: number, dw: number, partials: number): void;
}

export function createWasmWinogradGrad(rt: WasmRuntime): WasmWinogradGrad {
  const scratchBytes = rt.exportI32('gemmScratchBytes');
  const desc = rt.descI32;
  const up = (v: number, m: number): number => Math.ceil(v / m) * m;

  return {
    plan(s) {
      if (!winogradEligible(s, rt.winograd, 'weightGrad')) return null;
      const { th, tw, wp } = tileGrid(s);
      const tiles = th * tw;
      // Per thread: the transformed input (16 × (ce·tb + SKEW)) and upstream (16 × (ke·tb + SKEW))
      // blocks, and the padded rows of one channel a block reads.
      const ce = up(s.c, 6), ke = up(s.k, 2); // the assembly's panels: 6 input channels, 2 output channels
      const bytes = (tb: number): number => 4 * (16 * (ce * tb + SKEW) + 16 * (ke * tb + SKEW) + wp * (2 * Math.ceil(tb / tw) + 4));
      let tb = Math.min(MAX_TILES, up(tiles, 8));
      while (tb >= 8 && bytes(tb) > scratchBytes) tb -= 8;
      if (tb < 8) return null;
      const blocks = Math.ceil(tiles / tb);
      const parts = Math.min(blocks, Math.ceil(MIN_ITEMS / s.n));
      // The partials of every item, then their f64 sum (16·ke·ce doubles).
      return { partialLength: (s.n * parts + 2) * 16 * ke * ce, tw, th, tb, blocks, parts, wp };
    },

    run(s, p, x, dy, dw, partials) {
      desc[D_X] = x; desc[D_DY] = dy; desc[D_P] = partials;
      desc[D_C] = s.c; desc[D_K] = s.k; desc[D_H] = s.h; desc[D_W] = s.w; desc[D_OH] = s.oh; desc[D_OW] = s.ow;
      desc[D_TW] = p.tw; desc[D_TH] = p.th; desc[D_TB] = p.tb; desc[D_BLOCKS] = p.blocks; desc[D_PARTS] = p.parts;
      desc[D_PH] = s.pH; desc[D_PW] = s.pW; desc[D_WP] = p.wp;
      const items = s.n * p.parts;
      rt.run('winogradWeightGradF32Item', items, 2 * s.n * s.k * s.c * 9 * s.oh * s.ow);
      const ke = up(s.k, 2), len = 16 * ke * up(s.c, 6);
      const pairs = ke / 2;
      const per = 2 * Math.ceil(pairs / Math.min(pairs, rt.threads > 1 ? rt.threads * FINISH_ITEMS_PER_THREAD : 1));
      desc[F_P] = partials; desc[F_ITEMS] = items; desc[F_K] = s.k; desc[F_C] = s.c;
      desc[F_ACC] = partials + 4 * items * len; desc[F_DW] = dw; desc[F_PER] = per;
      rt.run('winogradWeightGradFinishF32Item', Math.ceil(ke / per), FINISH_FLOPS_PER_VALUE * items * len);
    },
  };
}
