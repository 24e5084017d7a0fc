/**
 * convTranspose2d(input, weight, bias?, { stride, padding, outputPadding, dilation, groups }): the
 * transposed convolution (the adjoint of conv2d with respect to its input), as PyTorch's
 * `F.conv_transpose2d`. input (N, C_in, H, W) or unbatched (C_in, H, W); weight
 * (C_in, C_out/groups, kH, kW); bias (C_out).
 *
 *   y[n, o, i·sH − pH + p·dH, j·sW − pW + q·dW] += x[n, c, i, j] · w[c, o', p, q]   (o' = o within its group)
 *   H_out = (H − 1)·sH − 2·pH + dH·(kH − 1) + outputPaddingH + 1   (likewise W_out)
 *
 * Computed per image and group (fused for speed: GEMM + col2im):
 *   cols = Wᵀ · x[n]                   W viewed as [C_in/g, C_out/g·kH·kW], cols [C_out/g·kH·kW, H·W]
 *   y[n] = col2im(cols) (+ b)
 * Backward (conv2d's forward and weight gradient, with the roles swapped):
 *   gcols = im2col(grad[n])            dx[n] = W · gcols      dW = Σ_n x[n] · gcolsᵀ
 *   db = Σ_{n, i, j} grad[n, :, i, j]
 *
 * @example
 * const y = convTranspose2d(randn([1, 16, 8, 8]), randn([16, 8, 2, 2]), undefined, { stride: 2 });
 * y.shape // [1, 8, 16, 16]; PyTorch: F.conv_transpose2d(x, w, stride=2)
 */
import { allocate, type FloatArray, type FloatDType } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { biasGrad, checkConvWeight, fillBias, formatPair, pair, scratch, withBatch, type IntPair, type Pair } from './conv-args.js';

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
  if (outH < 1 || outW < 1) {
    throw new Error(
      `${op}: the output size ${outH}×${outW} is not positive (input shape ${formatShape(x.shape)}, ` +
        `weight shape ${formatShape(weight.shape)}, stride ${formatPair(s)}, padding ${formatPair(p)})`,
    );
  }
  const dtype = x.dtype as FloatDType;
  const cInG = cIn / groups;
  const kg = cOutG * k[0] * k[1]; // rows of a group's column matrix
  const inPlane = h * w;
  const outPlane = outH * outW;
  const pointwise = k[0] === 1 && k[1] === 1 && s[0] === 1 && s[1] === 1 && p[0] === 0 && p[1] === 0 && outPlane === inPlane;
  const W = weight.data as FloatArray;
  const X = x.data as FloatArray;
  const xImage = (i: number): FloatArray => X.subarray(i * cIn * inPlane, (i + 1) * cIn * inPlane);
  // The column matrix [g, kg, H·W] of one image of the output (or of its gradient).
  const fold = (cols: FloatArray, yi: FloatArray): void =>
    kernels().col2im(cols, cOut, outH, outW, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], h, w, yi);
  const unfold = (gi: FloatArray): FloatArray => {
    if (pointwise) return gi;
    const cols = scratch(dtype, 0, kg * groups * inPlane);
    kernels().im2col(gi, cOut, outH, outW, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], h, w, cols);
    return cols;
  };

  const out = allocate(dtype, n * cOut * outPlane) as FloatArray;
  if (bias) fillBias(out, bias, n, cOut, outPlane);
  for (let i = 0; i < n; i++) {
    const yi = out.subarray(i * cOut * outPlane, (i + 1) * cOut * outPlane);
    const cols = pointwise ? yi : scratch(dtype, 0, kg * groups * inPlane);
    const beta = pointwise && bias ? 1 : 0;
    kernels().gemm(W, xImage(i), cols, kg, inPlane, cInG, groups, cInG * kg, cInG * inPlane, kg * inPlane, { transA: true, beta });
    if (!pointwise) fold(cols, yi);
  }
  const y = new Tensor(out, [n, cOut, outH, outW]);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, op, inputs, (grad, needs) => {
    const gd = (grad.dtype === dtype ? grad : grad.to(dtype)).data as FloatArray;
    const dx = needs[0] ? (allocate(dtype, x.size) as FloatArray) : null;
    const dw = needs[1] ? (allocate(dtype, weight.size) as FloatArray) : null;
    if (dx || dw) {
      for (let i = 0; i < n; i++) {
        const gcols = unfold(gd.subarray(i * cOut * outPlane, (i + 1) * cOut * outPlane));
        if (dx) {
          const dxi = dx.subarray(i * cIn * inPlane, (i + 1) * cIn * inPlane);
          kernels().gemm(W, gcols, dxi, cInG, inPlane, kg, groups, cInG * kg, kg * inPlane, cInG * inPlane);
        }
        if (dw) {
          const beta = i === 0 ? 0 : 1;
          kernels().gemm(xImage(i), gcols, dw, cInG, kg, inPlane, groups, cInG * inPlane, kg * inPlane, cInG * kg, { transB: true, beta });
        }
      }
    }
    const grads = [
      dx && new Tensor(dx, x.shape),
      dw && new Tensor(dw, weight.shape),
      needs[2] ? biasGrad(grad, n, cOut, outPlane) : null,
    ];
    return grads.slice(0, inputs.length);
  });
}
