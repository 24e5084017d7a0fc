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
import { allocate, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { pair, poolGeometry, withBatch, type IntPair } from './conv-args.js';

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
  if (options?.kernelSize === undefined) throw new Error(`${op}: options.kernelSize is required`);
  const k = pair(op, 'kernelSize', options.kernelSize, 1);
  const s = pair(op, 'stride', options.stride ?? k, 1);
  const p = pair(op, 'padding', options.padding ?? 0, 0);
  const includePad = options.countIncludePad ?? true;
  const divisor = options.divisorOverride ?? 0;
  if (options.divisorOverride != null && (!Number.isInteger(divisor) || divisor === 0)) {
    throw new Error(`${op}: divisorOverride must be a non-zero integer, got ${options.divisorOverride}`);
  }
  return withBatch(op, input, (x) => {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [outH, outW] = poolGeometry(op, x.shape, k, s, p, [1, 1], options.ceilMode ?? false);
    const planes = n * c;
    const out = allocate(x.dtype, planes * outH * outW) as FloatArray;
    kernels().avgPool2d(x.data as FloatArray, planes, h, w, k[0], k[1], s[0], s[1], p[0], p[1], outH, outW, includePad, divisor, out);
    return record(new Tensor(out, [n, c, outH, outW]), op, [x], (grad) => {
      const dx = allocate(grad.dtype, x.size) as FloatArray;
      kernels().avgPool2dBackward(grad.data as FloatArray, planes, h, w, k[0], k[1], s[0], s[1], p[0], p[1], outH, outW, includePad, divisor, dx);
      return [new Tensor(dx, x.shape)];
    }, { saved: [] });
  });
}
