/**
 * avgPool2d(input, { kernelSize, stride = kernelSize, padding = 0, ceilMode = false,
 * countIncludePad = true, divisorOverride }): the mean over each window, as PyTorch's
 * `F.avg_pool2d`. input (N, C, H, W) or (C, H, W).
 *
 *   y[n, c, i, j] = (Σ_{(a, b) ∈ window ∩ image} x[n, c, a, b]) / divisor
 *   window = [i·sH − pH, i·sH − pH + kH) × [j·sW − pW, j·sW − pW + kW)
 *   divisor = divisorOverride, else |window ∩ padded image| (countIncludePad), else |window ∩ image|
 *   H_out as maxPool2d's with dilation 1 (ceilMode rounds up, never starting a window in the padding)
 *
 * Backward: every element of a window gets the window's gradient / divisor,
 *   dx[n, c, a, b] = Σ_{windows ∋ (a, b)} grad[n, c, i, j] / divisor(i, j)
 *
 * @example
 * avgPool2d(tensor([[[[1, 2], [4, 3]]]]), { kernelSize: 2 }) // [[[[2.5]]]]; PyTorch: F.avg_pool2d(x, 2)
 */
import { checkBool, checkOptions } from '../args.js';
import { allocate, allocateEmpty, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import type { AvgPool2dParams } from '../kernels/types.js';
import { Tensor } from '../tensor.js';
import { pair, poolGeometry, withBatch, type IntPair, type Pair } from './conv-args.js';

export interface AvgPool2dOptions {
  kernelSize: IntPair;
  /** Defaults to kernelSize. */
  stride?: IntPair | null;
  padding?: IntPair;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  /** Divide every window by this instead (a non-zero integer). */
  divisorOverride?: number | null;
}

export function avgPool2d(input: Tensor, options: AvgPool2dOptions): Tensor {
  const op = 'avgPool2d';
  checkOptions(op, options, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
  if (options?.kernelSize === undefined) throw new Error(`${op}: options.kernelSize is required`);
  checkBool(op, 'ceilMode', options.ceilMode);
  checkBool(op, 'countIncludePad', options.countIncludePad);
  const k = pair(op, 'kernelSize', options.kernelSize, 1);
  const s = pair(op, 'stride', options.stride ?? k, 1);
  const p = pair(op, 'padding', options.padding ?? 0, 0);
  const includePad = options.countIncludePad ?? true;
  const divisor = options.divisorOverride ?? 0;
  if (options.divisorOverride != null && (!Number.isInteger(divisor) || divisor === 0)) {
    throw new Error(`${op}: divisorOverride must be a non-zero integer, got ${options.divisorOverride}`);
  }
  return withBatch(op, input, (x) => {
    const [outH, outW] = poolGeometry(op, x.shape, k, s, p, [1, 1], options.ceilMode ?? false);
    return pool(x, { k, s, p, outH, outW, includePad, divisor });
  });
}

/** The checked geometry of one average pooling. */
interface Pooling {
  k: Pair; s: Pair; p: Pair; outH: number; outW: number; includePad: boolean; divisor: number;
}

/** avgPool2d of a 4-D x with checked geometry; its backward is avgPool2dBackward. */
function pool(x: Tensor, q: Pooling): Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const out = allocateEmpty(x.dtype, n * c * q.outH * q.outW) as FloatArray;
  kernels().avgPool2d(x.data as FloatArray, out, windows(n * c, h, w, q));
  return record(new Tensor(out, [n, c, q.outH, q.outW]), 'avgPool2d', [x], (grad) => [avgPool2dBackward(grad, x.shape, q)], { saved: [] });
}

/**
 * avgPool2d's backward, as an op (the adjoint kernel avgPool2dBackward, fused for speed). Linear in
 * grad; its backward is the adjoint's adjoint, avgPool2d itself, so gradients of any order exist.
 */
function avgPool2dBackward(grad: Tensor, shape: readonly number[], q: Pooling): Tensor {
  const [n, c, h, w] = shape as [number, number, number, number];
  const dx = allocate(grad.dtype, n * c * h * w) as FloatArray;
  kernels().avgPool2dBackward(grad.data as FloatArray, dx, windows(n * c, h, w, q));
  return record(new Tensor(dx, shape), 'avgPool2dBackward', [grad], (u) => [pool(u, q)], { saved: [] });
}

/** The kernel's parameters for `planes` planes of h × w. */
function windows(planes: number, h: number, w: number, q: Pooling): AvgPool2dParams {
  return {
    planes, h, w, kH: q.k[0], kW: q.k[1], sH: q.s[0], sW: q.s[1], pH: q.p[0], pW: q.p[1],
    outH: q.outH, outW: q.outW, countIncludePad: q.includePad, divisorOverride: q.divisor,
  };
}
