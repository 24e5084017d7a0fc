/**
 * The transposed-convolution job of the wasm backend (assembly/conv-transpose.ts): dx of a strided
 * convolution from its upstream gradient (so also convTranspose2d's forward), as a packed GEMM of
 * the weight and the gradient followed by col2im, chunk by chunk, one item per (image, group).
 * Operands are byte addresses in wasm memory.
 */
import type { Conv2dGeometry } from '../types.js';
import type { WasmRuntime } from './runtime.js';

// Descriptor slots (Int32 index = byte offset / 4), mirroring D_* in assembly/conv-transpose.ts and
// G_* in assembly/conv-pack.ts (the geometry record starts at byte 64).
const D_G = 0, D_W = 1, D_DX = 2, D_C = 3, D_M = 4, D_GROUPS = 5, D_OH = 6;
const GEO = 16;
const G_H = 0, G_W = 1, G_KH = 2, G_KW = 3, G_SH = 4, G_SW = 5, G_PH = 6, G_PW = 7, G_DH = 8, G_DW = 9, G_OW = 10;

export interface WasmConvTranspose {
  /** Whether the job can run g's input gradient (the per-thread scratch holds its column chunks). */
  fits(g: Conv2dGeometry): boolean;
  /** dx [n, c, h, w] of the convolution g from its upstream gradient dy [n, cOut, outH, outW] (byte addresses; w the conv weight). */
  run(dy: number, w: number, dx: number, g: Conv2dGeometry): void;
}

export function createWasmConvTranspose(rt: WasmRuntime): WasmConvTranspose {
  const maxRows = rt.exportI32('convTransposeMaxRows');
  const desc = rt.descI32;
  return {
    fits: (g) => (g.c / g.groups) * g.kH * g.kW <= maxRows,
    run(dy, w, dx, g) {
      desc[D_G] = dy; desc[D_W] = w; desc[D_DX] = dx; desc[D_C] = g.c; desc[D_M] = g.cOut / g.groups; desc[D_GROUPS] = g.groups;
      desc[D_OH] = g.outH;
      desc[GEO + G_H] = g.h; desc[GEO + G_W] = g.w; desc[GEO + G_KH] = g.kH; desc[GEO + G_KW] = g.kW;
      desc[GEO + G_SH] = g.sH; desc[GEO + G_SW] = g.sW; desc[GEO + G_PH] = g.pH; desc[GEO + G_PW] = g.pW;
      desc[GEO + G_DH] = g.dH; desc[GEO + G_DW] = g.dW; desc[GEO + G_OW] = g.outW;
      rt.run('convTransposeF32Item', g.n * g.groups, 2 * g.n * g.cOut * (g.c / g.groups) * g.kH * g.kW * g.outH * g.outW);
    },
  };
}
