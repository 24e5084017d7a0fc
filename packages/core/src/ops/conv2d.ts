/**
 * conv2d(input, weight, bias?, { stride, padding, dilation, groups }): 2-D cross-correlation, as
 * PyTorch's `F.conv2d`. input (N, C_in, H, W) or unbatched (C_in, H, W); weight
 * (C_out, C_in/groups, kH, kW); bias (C_out); padding a number, a pair, 'valid' (0) or 'same'
 * (stride 1 only; an odd total padding puts the extra row/column at the bottom/right, as PyTorch).
 *
 *   y[n, o, i, j] = b[o] + Σ_{c ∈ group(o), p, q} w[o, c, p, q] · x[n, c, i·sH − pH + p·dH, j·sW − pW + q·dW]
 *   H_out = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1   (likewise W_out)
 *
 * Computed by the kernels conv2dForward / conv2dBackward (fused for speed: per image and group a
 * GEMM over the unfolded input, y[n] = W · im2col(x[n]) + b; see kernels/conv2d.ts):
 *   dW  = Σ_n grad[n] · im2col(x[n])ᵀ    dx[n] = col2im(Wᵀ · grad[n])    db = Σ_{n, i, j} grad[n, :, i, j]
 * Under createGraph dx and dW are the ops conv2dInputGrad / conv2dWeightGrad (conv2d-grads.ts), so
 * gradients of gradients exist to any order.
 *
 * @example
 * const y = conv2d(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { padding: 1 });
 * y.shape // [8, 16, 32, 32]; PyTorch: F.conv2d(x, w, b, padding=1)
 */
import { checkElements, checkOptions } from '../args.js';
import type { Conv2dGeometry } from '../kernels/types.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { conv2dWithGeometry } from './conv2d-grads.js';
import { checkConvWeight, convOutSize, formatPair, pair, withBatch, type IntPair, type Pair } from './conv-args.js';

export interface Conv2dOptions {
  stride?: IntPair;
  padding?: IntPair | 'same' | 'valid';
  dilation?: IntPair;
  groups?: number;
}

export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  return withBatch('conv2d', input, (x) => conv2d4(x, weight, bias ?? null, options));
}

/** The geometry of a convolution: kernel, stride, top/left padding, dilation and output size. */
export interface ConvGeometry {
  k: Pair;
  s: Pair;
  p: Pair;
  d: Pair;
  out: Pair;
}

function geometry(x: Tensor, weight: Tensor, options: Conv2dOptions, op = 'conv2d'): ConvGeometry {
  const k: Pair = [weight.shape[2]!, weight.shape[3]!];
  const s = pair(op, 'stride', options.stride ?? 1, 1);
  const d = pair(op, 'dilation', options.dilation ?? 1, 1);
  const padding = options.padding ?? 0;
  let p: Pair;
  let total: Pair;
  if (padding === 'same') {
    if (s[0] !== 1 || s[1] !== 1) throw new Error(`${op}: padding 'same' needs stride 1, got stride ${formatPair(s)}`);
    total = [d[0] * (k[0] - 1), d[1] * (k[1] - 1)];
    p = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
  } else {
    p = padding === 'valid' ? [0, 0] : pair(op, 'padding', padding, 0);
    total = [2 * p[0], 2 * p[1]];
  }
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  const out: Pair = [convOutSize(h, k[0], s[0], total[0], d[0]), convOutSize(w, k[1], s[1], total[1], d[1])];
  checkElements(op, `padding ${formatPair(p)}`, x.shape[0]! * weight.shape[0]! * out[0] * out[1], [x.shape[0]!, weight.shape[0]!, ...out]);
  if (out[0] < 1 || out[1] < 1) {
    throw new Error(
      `${op}: the kernel ${k[0]}×${k[1]} (dilation ${formatPair(d)}: ${d[0] * (k[0] - 1) + 1}×${d[1] * (k[1] - 1) + 1}) ` +
        `is larger than the padded input ${h + total[0]}×${w + total[1]} ` +
        `(input shape ${formatShape(x.shape)}, weight shape ${formatShape(weight.shape)}, padding ${formatPair(p)})`,
    );
  }
  return { k, s, p, d, out };
}

/** Checks conv2d's arguments and returns its kernel geometry (shared with conv2dRelu, named `op` in errors). */
export function conv2dGeometry(op: string, x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Conv2dGeometry {
  checkOptions(op, options, ['stride', 'padding', 'dilation', 'groups']);
  const groups = options.groups ?? 1;
  checkConvWeight(op, x, weight, bias, groups, false);
  const { k, s, p, d, out: [outH, outW] } = geometry(x, weight, options, op);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return { n, c, h, w, cOut: weight.shape[0]!, groups, kH: k[0], kW: k[1], sH: s[0], sW: s[1], pH: p[0], pW: p[1], dH: d[0], dW: d[1], outH, outW };
}

function conv2d4(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  return conv2dWithGeometry(x, weight, bias, conv2dGeometry('conv2d', x, weight, bias, options));
}

/** conv2d's backward and saved tensors live with the gradient ops (conv2d-grads.ts). */
export { conv2dGrads, conv2dSaved } from './conv2d-grads.js';
