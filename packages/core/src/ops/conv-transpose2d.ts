/**
 * convTranspose2d(input, weight, bias?, { stride, padding, outputPadding, dilation, groups }): the
 * transposed convolution (the adjoint of conv2d with respect to its input), as PyTorch's
 * `F.conv_transpose2d`. input (N, C_in, H, W) or unbatched (C_in, H, W); weight
 * (C_in, C_out/groups, kH, kW); bias (C_out).
 *
 *   y[n, o, i·sH − pH + p·dH, j·sW − pW + q·dW] += x[n, c, i, j] · w[c, o', p, q]   (o' = o within its group)
 *   H_out = (H − 1)·sH − 2·pH + dH·(kH − 1) + outputPaddingH + 1   (likewise W_out)
 *
 * It is the input gradient of the conv2d that maps (N, C_out, H_out, W_out) to (N, C_in, H, W) with
 * the same weight, so it runs on the conv kernels (fused for speed; see kernels/conv2d.ts):
 *   y = conv2dBackward's dx for the upstream x (+ b)       (GEMM + col2im; stride 1: a convolution)
 *   dx = conv2d(grad, W)     dW = that conv's weight gradient with input grad and upstream x
 *   db = Σ_{n, i, j} grad[n, :, i, j]
 *
 * @example
 * const y = convTranspose2d(randn([1, 16, 8, 8]), randn([16, 8, 2, 2]), undefined, { stride: 2 });
 * y.shape // [1, 8, 16, 16]; PyTorch: F.conv_transpose2d(x, w, stride=2)
 */
import { allocate, type FloatArray, type FloatDType } from '../dtype.js';
import { checkElements, checkOptions } from '../args.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { Conv2dGeometry } from '../kernels/types.js';
import { conv2dSaved, conv2dWeightGrad, conv2dWithGeometry } from './conv2d-grads.js';
import { biasGrad, checkConvWeight, formatPair, pair, withBatch, type IntPair, type Pair } from './conv-args.js';

export interface ConvTranspose2dOptions {
  stride?: IntPair;
  padding?: IntPair;
  outputPadding?: IntPair;
  dilation?: IntPair;
  groups?: number;
}

export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  return withBatch('convTranspose2d', input, (x) => convTranspose2d4(x, weight, bias ?? null, options));
}

function convTranspose2d4(x: Tensor, weight: Tensor, bias: Tensor | null, options: ConvTranspose2dOptions): Tensor {
  const op = 'convTranspose2d';
  checkOptions(op, options, ['stride', 'padding', 'outputPadding', 'dilation', 'groups']);
  const groups = options.groups ?? 1;
  checkConvWeight(op, x, weight, bias, groups, true);
  const s = pair(op, 'stride', options.stride ?? 1, 1);
  const p = pair(op, 'padding', options.padding ?? 0, 0);
  const op2 = pair(op, 'outputPadding', options.outputPadding ?? 0, 0);
  const d = pair(op, 'dilation', options.dilation ?? 1, 1);
  for (const a of [0, 1]) {
    if (op2[a]! >= s[a]! && op2[a]! >= d[a]!) {
      throw new Error(
        `${op}: outputPadding ${formatPair(op2)} must be smaller than either stride ${formatPair(s)} or dilation ${formatPair(d)}`,
      );
    }
  }
  const [n, cIn, h, w] = x.shape as [number, number, number, number];
  const k: Pair = [weight.shape[2]!, weight.shape[3]!];
  const cOutG = weight.shape[1]!;
  const cOut = cOutG * groups;
  const outH = (h - 1) * s[0] - 2 * p[0] + d[0] * (k[0] - 1) + op2[0] + 1;
  const outW = (w - 1) * s[1] - 2 * p[1] + d[1] * (k[1] - 1) + op2[1] + 1;
  checkElements(op, `stride ${formatPair(s)}, padding ${formatPair(p)} and dilation ${formatPair(d)}`, n * cOut * Math.max(outH, 0) * Math.max(outW, 0), [n, cOut, outH, outW]);
  if (outH < 1 || outW < 1) {
    throw new Error(
      `${op}: the output size ${outH}×${outW} is not positive (input shape ${formatShape(x.shape)}, ` +
        `weight shape ${formatShape(weight.shape)}, stride ${formatPair(s)}, padding ${formatPair(p)})`,
    );
  }
  const dtype = x.dtype as FloatDType;
  // The convolution this op is the adjoint of: input [n, cOut, outH, outW] → output [n, cIn, h, w]
  // with the same weight, read as a conv weight [cIn, cOut/groups, kH, kW].
  const g: Conv2dGeometry = {
    n, c: cOut, h: outH, w: outW, cOut: cIn, groups, kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], dH: d[0], dW: d[1], outH: h, outW: w,
  };
  const W = weight.data as FloatArray;
  const out = allocate(dtype, n * cOut * outH * outW) as FloatArray;
  // y = the conv's input gradient for the upstream x (its x argument, unused without dw, is out).
  kernels().conv2dBackward(x.data as FloatArray, out, W, g, out, null, null);
  if (bias) addBias(out, bias, n, cOut, outH * outW);
  const y = new Tensor(out, [n, cOut, outH, outW]);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, op, inputs, (grad, needs) => {
    if (isGradEnabled()) {
      // Differentiable (createGraph): dx = conv(grad, W), dW = the conv's weight gradient (conv2d-grads.ts).
      const gc = grad.dtype === dtype ? grad : grad.to(dtype);
      const grads = [
        needs[0] ? conv2dWithGeometry(gc, weight, null, g) : null,
        needs[1] ? conv2dWeightGrad(gc, x, g) : null,
        needs[2] ? gc.sum([0, 2, 3]) : null,
      ];
      return grads.slice(0, inputs.length);
    }
    const gd = (grad.dtype === dtype ? grad : grad.to(dtype)).data as FloatArray;
    const dx = needs[0] ? (allocate(dtype, x.size) as FloatArray) : null;
    const dw = needs[1] ? (allocate(dtype, weight.size) as FloatArray) : null;
    // dx = the conv of grad; dW = the conv's weight gradient with grad as its input and x as its upstream.
    if (dx) kernels().conv2dForward(gd, W, null, g, dx);
    if (dw) kernels().conv2dBackward(x.data as FloatArray, gd, W, g, null, dw, null);
    const grads = [
      dx && new Tensor(dx, x.shape),
      dw && new Tensor(dw, weight.shape),
      needs[2] ? biasGrad(grad, n, cOut, outH * outW) : null,
    ];
    return grads.slice(0, inputs.length);
  }, { saved: conv2dSaved(x, weight) });
}

/** out[n, c, :] += bias[c]. */
function addBias(out: FloatArray, bias: Tensor, n: number, c: number, plane: number): void {
  const b = bias.data;
  for (let i = 0; i < n * c; i++) {
    const v = b[i % c]!;
    for (let j = i * plane; j < (i + 1) * plane; j++) out[j] = out[j]! + v;
  }
}
