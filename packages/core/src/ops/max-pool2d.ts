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
 * with ties resolved to the first maximum in row-major window order (and NaN winning), as PyTorch;
 * an op of its own (maxPool2dBackward) whose backward gathers, so gradients of any order exist.
 *
 * @example
 * maxPool2d(tensor([[[[1, 2], [4, 3]]]]), { kernelSize: 2 }) // [[[[4]]]]; PyTorch: F.max_pool2d(x, 2)
 */
import { checkBool, checkOptions } from '../args.js';
import { allocate, allocateEmpty, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { pair, poolGeometry, withBatch, type IntPair } from './conv-args.js';
import { gather } from './gather.js';

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
  checkOptions(op, options, ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode']);
  if (options?.kernelSize === undefined) throw new Error(`${op}: options.kernelSize is required`);
  checkBool(op, 'ceilMode', options.ceilMode);
  const k = pair(op, 'kernelSize', options.kernelSize, 1);
  const s = pair(op, 'stride', options.stride ?? k, 1);
  const p = pair(op, 'padding', options.padding ?? 0, 0);
  const d = pair(op, 'dilation', options.dilation ?? 1, 1);
  return withBatch(op, input, (x) => {
    const [n, c, h, w] = x.shape as [number, number, number, number];
    const [outH, outW] = poolGeometry(op, x.shape, k, s, p, d, options.ceilMode ?? false);
    const planes = n * c;
    const out = allocateEmpty(x.dtype, planes * outH * outW) as FloatArray;
    const indices = new Int32Array(out.length);
    kernels().maxPool2d(x.data as FloatArray, out, indices, { planes, h, w, kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], dH: d[0], dW: d[1], outH, outW });
    const where = new Tensor(indices, [planes, outH * outW]);
    return record(new Tensor(out, [n, c, outH, outW]), op, [x], (grad) => [maxPool2dBackward(grad, where, x.shape)], { saved: [] });
  });
}

/**
 * maxPool2d's backward, as an op: dx[p, indices[p, j]] += grad[p, j] per plane p (fused for speed, the
 * kernel maxPool2dBackward). Linear in grad; its backward gathers the upstream gradient at the same
 * positions, gather(u viewed [planes, h·w], 1, indices) (PyTorch's max_pool_double_backward).
 */
function maxPool2dBackward(grad: Tensor, indices: Tensor, shape: readonly number[]): Tensor {
  const [planes, outPlane] = indices.shape as [number, number];
  const dx = allocate(grad.dtype, planes * shape[2]! * shape[3]!) as FloatArray;
  kernels().maxPool2dBackward(grad.data as FloatArray, indices.data as Int32Array, dx, { planes, inPlane: shape[2]! * shape[3]!, outPlane });
  return record(new Tensor(dx, shape), 'maxPool2dBackward', [grad], (u) => [
    gather(u.reshape([planes, shape[2]! * shape[3]!]), 1, indices).reshape(grad.shape),
  ], { saved: [] });
}
