/**
 * conv2dForward / conv2dBackward of the wasm backend: the operands' addresses come from
 * dispatch.ts (staged copies for arrays outside the wasm memory), then 3×3 stride-1 convolutions run by Winograd's F(2×2, 3×3) (winograd.ts,
 * winograd-grad.ts) and the others as direct GEMMs over the gathered column matrix (conv-direct.ts).
 * The input gradient of a stride-1 convolution is a convolution of the upstream gradient with the
 * rotated weight; that of a strided one a GEMM and col2im in one wasm job (conv-transpose.ts; the
 * js composition only past its scratch limit). Float64 (and mixed) calls go to the js kernels.
 *
 * Fused relu: the forward clamps its outputs where they are written (Winograd's output transform)
 * or in one pass before they are copied out; the backward masks the staged upstream gradient in
 * place. Both are the relu kernels' selects, so the results equal relu ∘ conv2d bit for bit.
 */
import type { FloatArray } from '../../dtype.js';
import { composedConv2d, flipWeight } from '../conv2d.js';
import { jsKernels } from '../js.js';
import type { Conv2dGeometry, Kernels } from '../types.js';
import { createDirectConv } from './conv-direct.js';
import { createWasmConvTranspose } from './conv-transpose.js';
import { input, output, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';
import { createWasmWinograd, type WinogradShape } from './winograd.js';
import { createWasmWinogradGrad } from './winograd-grad.js';

/** Builds the two conv kernels over `rt`, with `gemm` (this backend's) for the strided fallback. */
export function createWasmConv(rt: WasmRuntime, gemm: Kernels['gemm']): Pick<Kernels, 'conv2dForward' | 'conv2dBackward'> {
  const biasGrad = rt.fn<(g: number, n: number, c: number, plane: number, db: number) => undefined>('convBiasGradF32');
  const unary = rt.fn<(op: number, x: number, out: number, n: number) => undefined>('unaryF32');
  const reluBackward = rt.fn<(g: number, x: number, out: number, n: number) => undefined>('reluBackwardF32');
  const composed = composedConv2d({ ...jsKernels, gemm });
  const direct = createDirectConv(rt);
  const transposed = createWasmConvTranspose(rt);
  const winograd = createWasmWinograd(rt);
  const winogradGrad = createWasmWinogradGrad(rt);
  /** The Winograd shape of a convolution with geometry g (x [n, c, h, w] → [n, k, oh, ow]), or null. */
  const winogradShape = (g: Conv2dGeometry, c: number, h: number, w: number, k: number, oh: number, ow: number, pH: number, pW: number): WinogradShape | null =>
    g.kH === 3 && g.kW === 3 && g.sH === 1 && g.sW === 1 && g.dH === 1 && g.dW === 1 && g.groups === 1
      ? { n: g.n, c, h, w, k, oh, ow, pH, pW } : null;
  const f32 = (...arrays: (FloatArray | null | undefined)[]): boolean => arrays.every((a) => !a || a instanceof Float32Array);

  return {
    conv2dForward(x, weight, bias, g, out, options = {}) {
      if (!f32(x, weight, bias, out)) { jsKernels.conv2dForward(x, weight, bias, g, out, options); return; }
      if (out.length === 0) return;
      const relu = options.relu ?? false;
      const ws = winogradShape(g, g.c, g.h, g.w, g.cOut, g.outH, g.outW, g.pH, g.pW);
      const wp = ws && winograd.plan(ws);
      const scratch = [wp ? 0 : direct.padLength(g, g.n, g.c, g.h, g.w), wp ? wp.weightLength : 0];
      withOperands(rt, [input(x), input(weight), input(bias), output(out)], scratch, ([ox, ow, ob, oy, op, ou]) => {
        if (ws && wp) {
          winograd.run(ws, wp, ox!, ow!, false, ob!, relu, oy!, ou!);
        } else {
          direct.forward(ox!, op!, ow!, oy!, ob!, g.n, g.c, g.cOut / g.groups, g, g.h, g.w);
          if (relu) unary(0, oy!, oy!, out.length);
        }
      });
    },

    conv2dBackward(grad, x, weight, g, dx, dw, db, options = {}) {
      const mask = options.reluMask ?? null;
      if (!f32(grad, x, weight, dx, dw, db, mask) || g.n === 0) { jsKernels.conv2dBackward(grad, x, weight, g, dx, dw, db, options); return; }
      const strided = g.sH !== 1 || g.sW !== 1;
      const scatter = dx !== null && strided && transposed.fits(g);
      if (dx && strided && !scatter) {
        let gm = grad;
        if (mask) {
          gm = new Float32Array(grad.length);
          for (let i = 0; i < gm.length; i++) gm[i] = mask[i]! <= 0 ? 0 : grad[i]!; // as reluBackward: NaN passes
        }
        composed.conv2dBackward(gm, x, weight, g, dx, null, null);
      }
      const flip = dx !== null && !strided;
      // dx = conv(grad, W') with stride 1 and padding d·(k − 1) − p: the forward job on the gradient,
      // W' the weight rotated by 180° with in and out channels swapped (Winograd reads it so).
      const back: Conv2dGeometry = { ...g, pH: g.dH * (g.kH - 1) - g.pH, pW: g.dW * (g.kW - 1) - g.pW, outH: g.h, outW: g.w };
      const ws = flip ? winogradShape(g, g.cOut, g.outH, g.outW, g.c, g.h, g.w, back.pH, back.pW) : null;
      const wp = ws && winograd.plan(ws);
      const flipped = flip && !wp ? flipWeight(weight, g) : weight;
      const gs = dw ? winogradShape(g, g.c, g.h, g.w, g.cOut, g.outH, g.outW, g.pH, g.pW) : null;
      const gp = gs && winogradGrad.plan(gs);
      const wide = flip || scatter;
      const operands = [input(grad), input(mask), input(dw ? x : null), input(wide ? flipped : null), output(wide ? dx : null), output(dw), output(db)];
      const scratch = [
        mask ? grad.length : 0, gp ? gp.partialLength : dw ? direct.padLength(g, g.n, g.c, g.h, g.w) : 0,
        wp ? 0 : flip ? direct.padLength(back, g.n, g.cOut, g.outH, g.outW) : 0, wp ? wp.weightLength : 0,
        dw && !gp ? direct.partialLength(g) : 0,
      ];
      withOperands(rt, operands, scratch, ([og0, om, ox, ow, odx, odw, odb, omasked, oxp, ogp, ou, opart]) => {
        // The masked gradient goes to scratch: a resident upstream gradient must not change.
        const og = mask ? omasked! : og0!;
        if (mask) reluBackward(og0!, om!, og, grad.length);
        if (db) biasGrad(og, g.n, g.cOut, g.outH * g.outW, odb!);
        if (dw) {
          if (gs && gp) winogradGrad.run(gs, gp, ox!, og, odw!, oxp!);
          else direct.weightGrad(ox!, oxp!, og, odw!, g, opart!);
        }
        if (dx && wide) {
          if (scatter) transposed.run(og, ow!, odx!, g);
          else if (ws && wp) winograd.run(ws, wp, og, ow!, true, 0, false, odx!, ou!);
          else direct.forward(og, ogp!, ow!, odx!, 0, g.n, g.cOut, g.c / g.groups, back, g.outH, g.outW);
        }
      });
    },
  };
}
