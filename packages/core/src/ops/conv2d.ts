/**
 * conv2d(input, weight, bias?, { stride, padding, dilation, groups }): 2-D cross-correlation, as
 * PyTorch's `F.conv2d`. input (N, C_in, H, W) or unbatched (C_in, H, W); weight
 * (C_out, C_in/groups, kH, kW); bias (C_out); padding a number, a pair, 'valid' (0) or 'same'
 * (stride 1 only; an odd total padding puts the extra row/column at the bottom/right, as PyTorch).
 *
 *   y[n, o, i, j] = b[o] + Σ_{c ∈ group(o), p, q} w[o, c, p, q] · x[n, c, i·sH − pH + p·dH, j·sW − pW + q·dW]
 *   H_out = ⌊(H + 2·pH − dH·(kH − 1) − 1) / sH⌋ + 1   (likewise W_out)
 *
 * Computed per image and group as a GEMM over the unfolded input (fused for speed: im2col + GEMM):
 *   cols = im2col(x[n])                 [C_in/g·kH·kW, H_out·W_out]
 *   y[n] = W · cols (+ b)               W viewed as [C_out/g, C_in/g·kH·kW]
 * Backward:
 *   dW  = Σ_n grad[n] · cols[n]ᵀ         (cols recomputed, not saved: memory over a little time)
 *   dx[n] = col2im(Wᵀ · grad[n])         (stride > 1)
 *   dx[n] = W' · im2col(grad[n])         (stride 1: a conv with W'[c, o, p, q] = W[o, c, kH−1−p, kW−1−q]
 *                                         and padding d·(k − 1) − p; a block copy instead of a scatter-add)
 *   db  = Σ_{n, i, j} grad[n, :, i, j]
 * A 1×1 kernel with stride 1 and no padding skips im2col/col2im: the input is its own column matrix.
 *
 * @example
 * const y = conv2d(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { padding: 1 });
 * y.shape // [8, 16, 32, 32]; PyTorch: F.conv2d(x, w, b, padding=1)
 */
import { allocate, type FloatArray, type FloatDType } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import {
  biasGrad, checkConvWeight, convOutSize, fillBias, formatPair, pair, scratch, withBatch, type IntPair, type Pair,
} from './conv-args.js';

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

function geometry(x: Tensor, weight: Tensor, options: Conv2dOptions): ConvGeometry {
  const op = 'conv2d';
  const k: Pair = [weight.shape[2]!, weight.shape[3]!];
  const s = pair(op, 'stride', options.stride ?? 1, 1);
  const d = pair(op, 'dilation', options.dilation ?? 1, 1);
  const padding = options.padding ?? 0;
  let p: Pair;
  let total: Pair;
  if (padding === 'same') {
    if (s[0] !== 1 || s[1] !== 1) throw new Error(`conv2d: padding 'same' needs stride 1, got stride ${formatPair(s)}`);
    total = [d[0] * (k[0] - 1), d[1] * (k[1] - 1)];
    p = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
  } else {
    p = padding === 'valid' ? [0, 0] : pair(op, 'padding', padding, 0);
    total = [2 * p[0], 2 * p[1]];
  }
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  const out: Pair = [convOutSize(h, k[0], s[0], total[0], d[0]), convOutSize(w, k[1], s[1], total[1], d[1])];
  if (out[0] < 1 || out[1] < 1) {
    throw new Error(
      `conv2d: the kernel ${k[0]}×${k[1]} (dilation ${formatPair(d)}: ${d[0] * (k[0] - 1) + 1}×${d[1] * (k[1] - 1) + 1}) ` +
        `is larger than the padded input ${h + total[0]}×${w + total[1]} ` +
        `(input shape ${formatShape(x.shape)}, weight shape ${formatShape(weight.shape)}, padding ${formatPair(p)})`,
    );
  }
  return { k, s, p, d, out };
}

function conv2d4(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  const groups = options.groups ?? 1;
  checkConvWeight('conv2d', x, weight, bias, groups, false);
  const geo = geometry(x, weight, options);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const cOut = weight.shape[0]!;
  const plane = geo.out[0] * geo.out[1];
  const out = allocate(x.dtype, n * cOut * plane) as FloatArray;
  if (bias) fillBias(out, bias, n, cOut, plane);
  const g = new ConvGemms(x, weight, groups, geo);
  for (let i = 0; i < n; i++) g.forward(i, out.subarray(i * cOut * plane, (i + 1) * cOut * plane), bias !== null);
  const y = new Tensor(out, [n, cOut, geo.out[0], geo.out[1]]);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, 'conv2d', inputs, (grad, needs) => {
    const gd = (grad.dtype === x.dtype ? grad : grad.to(x.dtype)).data as FloatArray;
    const dx = needs[0] ? (allocate(x.dtype, x.size) as FloatArray) : null;
    const dw = needs[1] ? (allocate(x.dtype, weight.size) as FloatArray) : null;
    for (let i = 0; i < n; i++) g.backward(i, gd.subarray(i * cOut * plane, (i + 1) * cOut * plane), dx, dw);
    const grads = [
      dx && new Tensor(dx, [n, c, h, w]),
      dw && new Tensor(dw, weight.shape),
      needs[2] ? biasGrad(grad, n, cOut, plane) : null,
    ];
    return grads.slice(0, inputs.length);
  });
}

/** The per-image GEMMs of conv2d, with the column buffers shared across images and calls. */
class ConvGemms {
  private readonly dtype: FloatDType;
  private readonly inSize: number;
  private readonly kg: number;
  private readonly cOutG: number;
  private readonly plane: number;
  private readonly pointwise: boolean;
  private flipped: FloatArray | null = null;

  constructor(
    private readonly x: Tensor, private readonly weight: Tensor, private readonly groups: number, private readonly geo: ConvGeometry,
  ) {
    const { k, s, p } = geo;
    this.dtype = x.dtype as FloatDType;
    this.inSize = x.shape[1]! * x.shape[2]! * x.shape[3]!;
    this.kg = weight.shape[1]! * k[0] * k[1];
    this.cOutG = weight.shape[0]! / groups;
    this.plane = geo.out[0] * geo.out[1];
    this.pointwise = k[0] === 1 && k[1] === 1 && s[0] === 1 && s[1] === 1 && p[0] === 0 && p[1] === 0 && this.plane === x.shape[2]! * x.shape[3]!;
  }

  /** The column matrix of image i (the image itself for a pointwise conv), in scratch slot 0. */
  private columns(i: number): FloatArray {
    const xi = (this.x.data as FloatArray).subarray(i * this.inSize, (i + 1) * this.inSize);
    if (this.pointwise) return xi;
    const { k, s, p, d, out } = this.geo;
    const [, c, h, w] = this.x.shape as [number, number, number, number];
    const col = scratch(this.dtype, 0, this.kg * this.groups * this.plane);
    kernels().im2col(xi, c, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], out[0], out[1], col);
    return col;
  }

  /** y_i (+)= W · cols_i, one GEMM per group (batched); accumulate onto a bias already in y_i. */
  forward(i: number, yi: FloatArray, accumulate: boolean): void {
    const { kg, cOutG, plane, groups } = this;
    kernels().gemm(this.weight.data as FloatArray, this.columns(i), yi, cOutG, plane, kg, groups, cOutG * kg, kg * plane, cOutG * plane, { beta: accumulate ? 1 : 0 });
  }

  /** dW += g_i · cols_iᵀ and dx_i = col2im(Wᵀ · g_i). */
  backward(i: number, gi: FloatArray, dx: FloatArray | null, dw: FloatArray | null): void {
    const { kg, cOutG, plane, groups } = this;
    if (dw) {
      kernels().gemm(gi, this.columns(i), dw, cOutG, kg, plane, groups, cOutG * plane, kg * plane, cOutG * kg, { transB: true, beta: i === 0 ? 0 : 1 });
    }
    if (!dx) return;
    const dxi = dx.subarray(i * this.inSize, (i + 1) * this.inSize);
    const { k, s, p, d, out } = this.geo;
    const [, c, h, w] = this.x.shape as [number, number, number, number];
    if (this.pointwise || s[0] !== 1 || s[1] !== 1) {
      const dcol = this.pointwise ? dxi : scratch(this.dtype, 1, kg * groups * plane);
      kernels().gemm(this.weight.data as FloatArray, gi, dcol, kg, plane, cOutG, groups, cOutG * kg, cOutG * plane, kg * plane, { transA: true });
      if (!this.pointwise) kernels().col2im(dcol, c, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], out[0], out[1], dxi);
      return;
    }
    // Stride 1: dx_i is the convolution of g_i with the flipped, transposed weight and padding
    // d·(k − 1) − p, so it is im2col (a block copy) + GEMM instead of GEMM + col2im (a scatter-add).
    const cIn = c / groups;
    const ckk = cOutG * k[0] * k[1];
    const gcols = scratch(this.dtype, 1, ckk * groups * h * w);
    const cOut = cOutG * groups;
    kernels().im2col(gi, cOut, out[0], out[1], k[0], k[1], 1, 1, d[0] * (k[0] - 1) - p[0], d[1] * (k[1] - 1) - p[1], d[0], d[1], h, w, gcols);
    this.flipped ??= flipWeight(this.weight, groups);
    kernels().gemm(this.flipped, gcols, dxi, cIn, h * w, ckk, groups, cIn * ckk, ckk * h * w, cIn * h * w);
  }
}

/**
 * The weight of the input gradient of a stride-1 conv: per group, W'[c, (o, p, q)] = W[o, c, kH−1−p, kW−1−q]
 * (in and out channels swapped, the kernel rotated by 180°; reversing the flattened kH·kW axis does both flips).
 */
function flipWeight(weight: Tensor, groups: number): FloatArray {
  const [cOut, cIn, kH, kW] = weight.shape as [number, number, number, number];
  const kk = kH * kW;
  const swapped = allocate(weight.dtype, weight.size) as FloatArray;
  kernels().permute(weight.data, [groups, cOut / groups, cIn, kk], [0, 2, 1, 3], swapped);
  // Reverse each kernel: weight-sized (thousands of elements), once per backward.
  for (let r = 0; r < weight.size; r += kk) swapped.subarray(r, r + kk).reverse();
  return swapped;
}
