/**
 * Argument parsing shared by the 2-D spatial ops (conv2d, convTranspose2d, maxPool2d, avgPool2d,
 * interpolate): number-or-pair arguments, the optional batch dim, output sizes, the conv weight
 * checks and the bias gradient.
 */
import { allocate, type FloatArray, type FloatDType } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { squeeze, unsqueeze } from './reshape.js';
import { requireFloat } from './util.js';

/** A number for both spatial dims, or [height, width]. */
export type IntPair = number | readonly [number, number];
export type Pair = [number, number];

/** Parses a number or a pair of integers ≥ min, naming the op and the argument when it is not one. */
export function pair(op: string, arg: string, v: IntPair, min: number): Pair {
  const p: readonly unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [];
  if (p.length !== 2 || !p.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= min)) {
    throw new Error(`${op}: ${arg} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p as Pair;
}

/**
 * Checks a float (N, C, H, W) input, or an unbatched (C, H, W) one, and runs `fn` on the 4-D view;
 * an unbatched input gets an unbatched result, as in PyTorch.
 */
export function withBatch(op: string, x: Tensor, fn: (x4: Tensor) => Tensor): Tensor {
  requireFloat(op, 'input', x);
  if (x.ndim === 4) return fn(x);
  if (x.ndim === 3) return squeeze(fn(unsqueeze(x, 0)), 0);
  throw new Error(`${op}: input must be 3-D (C, H, W) or 4-D (N, C, H, W), got shape ${formatShape(x.shape)}`);
}

/** floor((size + padTotal − dilation·(k − 1) − 1) / stride) + 1, the positions of a kernel over a padded axis. */
export function convOutSize(size: number, k: number, stride: number, padTotal: number, dilation: number): number {
  return Math.floor((size + padTotal - dilation * (k - 1) - 1) / stride) + 1;
}

/**
 * PyTorch's pooling output size: like convOutSize with padding on both sides, rounded up with
 * ceilMode, but a last window that would start in the bottom/right padding is dropped.
 */
export function poolOutSize(size: number, k: number, stride: number, pad: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * pad - dilation * (k - 1) - 1;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** Checks the pooling arguments and computes the output size; the errors match PyTorch's checks. */
export function poolGeometry(
  op: string, shape: readonly number[], k: Pair, s: Pair, p: Pair, d: Pair, ceilMode: boolean,
): Pair {
  if (2 * p[0] > k[0] || 2 * p[1] > k[1]) {
    throw new Error(`${op}: padding ${formatPair(p)} must be at most half of kernelSize ${formatPair(k)}`);
  }
  const out: Pair = [
    poolOutSize(shape[2]!, k[0], s[0], p[0], d[0], ceilMode),
    poolOutSize(shape[3]!, k[1], s[1], p[1], d[1], ceilMode),
  ];
  if (out[0] < 1 || out[1] < 1) {
    throw new Error(
      `${op}: the kernel ${formatPair(k)}${d[0] * d[1] > 1 ? ` (dilation ${formatPair(d)})` : ''} is larger than the padded input ` +
        `${shape[2]! + 2 * p[0]}×${shape[3]! + 2 * p[1]} (input shape ${formatShape(shape)}, padding ${formatPair(p)}); ` +
        `the output would be ${out[0]}×${out[1]}`,
    );
  }
  return out;
}

export function formatPair(p: readonly number[]): string {
  return `[${p.join(', ')}]`;
}

/** Checks the weight (4-D, the input's dtype), groups and bias shared by conv2d and convTranspose2d. */
export function checkConvWeight(
  op: string, x: Tensor, weight: Tensor, bias: Tensor | null, groups: number, transposed: boolean,
): void {
  requireFloat(op, 'weight', weight);
  const layout = transposed ? '(in_channels, out_channels/groups, kH, kW)' : '(out_channels, in_channels/groups, kH, kW)';
  if (weight.ndim !== 4) throw new Error(`${op}: weight must be 4-D ${layout}, got shape ${formatShape(weight.shape)}`);
  if (weight.dtype !== x.dtype) {
    throw new Error(`${op}: input is ${x.dtype} but weight is ${weight.dtype}; convert one with .to()`);
  }
  if (!Number.isInteger(groups) || groups < 1) throw new Error(`${op}: groups must be an integer >= 1, got ${groups}`);
  const c = x.shape[1]!;
  if (c % groups !== 0) {
    throw new Error(`${op}: input channels ${c} (input shape ${formatShape(x.shape)}) are not divisible by groups ${groups}`);
  }
  const w0 = weight.shape[0]!;
  const w1 = weight.shape[1]!;
  if (transposed ? w0 !== c : w1 * groups !== c) {
    const expected = transposed ? `weight.shape[0] = ${w0}` : `weight.shape[1] × groups = ${w1} × ${groups} = ${w1 * groups}`;
    throw new Error(
      `${op}: weight of shape ${formatShape(weight.shape)} expects ${transposed ? w0 : w1 * groups} input channels ` +
        `(${expected}), but input of shape ${formatShape(x.shape)} has ${c}`,
    );
  }
  if (!transposed && w0 % groups !== 0) {
    throw new Error(`${op}: out_channels ${w0} (weight shape ${formatShape(weight.shape)}) are not divisible by groups ${groups}`);
  }
  const cOut = transposed ? w1 * groups : w0;
  if (bias) {
    requireFloat(op, 'bias', bias);
    if (bias.ndim !== 1 || bias.shape[0] !== cOut || bias.dtype !== x.dtype) {
      throw new Error(
        `${op}: bias must be a 1-D ${x.dtype} tensor of the ${cOut} output channels, got ${bias.dtype} of shape ${formatShape(bias.shape)}`,
      );
    }
  }
}

/** The bias gradient: grad ([n, c, plane]) summed over n and plane. */
export function biasGrad(grad: Tensor, n: number, c: number, plane: number): Tensor {
  const out = allocate(grad.dtype, c);
  if (grad.size > 0) kernels().sum(grad.data, [n, c, plane], [true, false, true], out);
  return new Tensor(out, [c]);
}
