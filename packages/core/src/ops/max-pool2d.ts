/**
 * maxPool2d(input, { kernelSize, stride = kernelSize, padding = 0, dilation = 1, ceilMode = false }):
 * the maximum over each (dilated) window, as PyTorch's `F.max_pool2d`. input (N, C, H, W) or (C, H, W).
 *
 *   y[n, c, i, j] = max_{p, q} x[n, c, i·sH − pH + p·dH, j·sW − pW + q·dW]   (padding never wins: −∞)
 *   H_out = ⌊(H + 2·pH − dH·(kH − 1) − 1 (+ sH − 1 with ceilMode)) / sH⌋ + 1, dropping a last window
 *   that would start in the bottom padding (likewise W_out)
 *
 * Backward: the whole gradient of an output goes to the position of its maximum,
 *   dx[n, c, argmax] += grad[n, c, i, j]
 * with ties resolved to the first maximum in row-major window order (and NaN winning), as PyTorch.
 *
 * @example
 * maxPool2d(tensor([[[[1, 2], [4, 3]]]]), { kernelSize: 2 }) // [[[[4]]]]; PyTorch: F.max_pool2d(x, 2)
 */
import { allocate, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { pair, poolGeometry, withBatch, type IntPair } from './conv-args.js';

export interface MaxPool2dOptions {
  kernelSize: IntPair;
  /** Defaults to kernelSize. */
  stride?: IntPair | null;
  padding?: IntPair;
  dilation?: IntPair;
  ceilMode?: boolean;
}

export function maxPool2d(input: Tensor, options: MaxPool2dOptions): Tensor {
  const op = 'maxPool2d';
  if (options?.kernelSize === undefined) throw new Error(`${op}: options.kernelSize is required`);
  const k = pair(op, 'kernelSize', options.kernelSize, 1);
  const s = pair(op, 'stride', options.stride ?? k, 1);
  const p = pair(op, 'padding', options.padding ?? 0, 0);
  const d = pair(op, 'dilation', options.dilation ?? 1, 1);
  return withBatch(op, input, (x) => {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [outH, outW] = poolGeometry(op, x.shape, k, s, p, d, options.ceilMode ?? false);
    const planes = n * c;
    const out = allocate(x.dtype, planes * outH * outW) as FloatArray;
    const indices = new Int32Array(out.length);
    kernels().maxPool2d(x.data as FloatArray, planes, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], outH, outW, out, indices);
    return record(new Tensor(out, [n, c, outH, outW]), op, [x], (grad) => {
      const dx = allocate(grad.dtype, x.size) as FloatArray;
      kernels().maxPool2dBackward(grad.data as FloatArray, indices, planes, h * w, outH * outW, dx);
      return [new Tensor(dx, x.shape)];
    }, { saved: [] });
  });
}
