/**
 * conv2d's forward and backward as kernels (`Kernels.conv2dForward` / `conv2dBackward`), composed
 * from im2col, col2im and GEMM: the js backend's implementation and the fallback of faster ones
 * (which pass their own GEMM). Per image n and group, with kg = C/G·kH·kW:
 *   cols = im2col(x[n])                 [kg, OH·OW]
 *   y[n] = W · cols (+ b)               W viewed as [C_out/G, kg]
 *   dW  = Σ_n grad[n] · cols[n]ᵀ         (cols recomputed, not saved: memory over a little time)
 *   dx[n] = col2im(Wᵀ · grad[n])         (stride > 1)
 *   dx[n] = W' · im2col(grad[n])         (stride 1: a conv with W'[c, o, p, q] = W[o, c, kH−1−p, kW−1−q]
 *                                         and padding d·(k − 1) − p; a block copy instead of a scatter-add)
 *   db  = Σ_{n, i, j} grad[n, :, i, j]
 * A 1×1 kernel with stride 1 and no padding skips im2col/col2im: the input is its own column matrix.
 * Fused relu: the forward clamps its output (x > 0 or NaN ? x : 0, as the relu kernel); the backward with a
 * relu mask starts from grad·[mask > 0], copied into a reused buffer (as relu's backward would).
 */
import type { FloatArray } from '../dtype.js';
import type { Conv2dGeometry, Kernels } from './types.js';

type ConvParts = Pick<Kernels, 'gemm' | 'im2col' | 'col2im' | 'sum'>;

/**
 * Column buffers kept between calls (per element type and slot) so a training loop does not
 * allocate and zero megabytes per conv. Contents are garbage: callers overwrite them.
 */
const columnBuffers = new Map<string, FloatArray>();

function columns(like: FloatArray, slot: number, size: number): FloatArray {
  const key = `${like instanceof Float64Array ? 'f64' : 'f32'}:${slot}`;
  let buf = columnBuffers.get(key);
  if (!buf || buf.length < size) {
    buf = like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
    columnBuffers.set(key, buf);
  }
  return buf.length === size ? buf : buf.subarray(0, size);
}

/** True for a 1×1, stride-1, unpadded conv whose input is its own column matrix. */
export function isPointwise(g: Conv2dGeometry): boolean {
  return g.kH === 1 && g.kW === 1 && g.sH === 1 && g.sW === 1 && g.pH === 0 && g.pW === 0 && g.outH === g.h && g.outW === g.w;
}

/**
 * The weight of the input gradient of a stride-1 conv: per group, W'[c, (o, p, q)] = W[o, c, kH−1−p, kW−1−q]
 * (in and out channels swapped, the kernel rotated by 180°: the flattened kH·kW axis reversed).
 */
export function flipWeight(weight: FloatArray, g: Conv2dGeometry): FloatArray {
  const kk = g.kH * g.kW;
  const cOutG = g.cOut / g.groups, cInG = g.c / g.groups;
  const out = weight instanceof Float64Array ? new Float64Array(weight.length) : new Float32Array(weight.length);
  for (let gr = 0; gr < g.groups; gr++) {
    const base = gr * cOutG * cInG * kk;
    for (let o = 0; o < cOutG; o++) {
      for (let c = 0; c < cInG; c++) {
        const src = base + (o * cInG + c) * kk;
        const dst = base + (c * cOutG + o) * kk + kk - 1;
        for (let q = 0; q < kk; q++) out[dst - q] = weight[src + q]!;
      }
    }
  }
  return out;
}

/** conv2dForward and conv2dBackward over the given GEMM, im2col, col2im and sum. */
export function composedConv2d(k: ConvParts): Pick<Kernels, 'conv2dForward' | 'conv2dBackward'> {
  /** The column matrix of image i (the image itself for a pointwise conv), in column slot 0. */
  function cols(x: FloatArray, g: Conv2dGeometry, i: number): FloatArray {
    const inSize = g.c * g.h * g.w;
    const xi = x.subarray(i * inSize, (i + 1) * inSize);
    if (isPointwise(g)) return xi;
    const col = columns(x, 0, g.c * g.kH * g.kW * g.outH * g.outW);
    k.im2col(xi, col, g);
    return col;
  }

  return {
    conv2dForward(x, weight, bias, g, out, options = {}) {
      const plane = g.outH * g.outW;
      const kg = (g.c / g.groups) * g.kH * g.kW;
      const cOutG = g.cOut / g.groups;
      if (bias) for (let i = 0; i < g.n * g.cOut; i++) out.fill(bias[i % g.cOut]!, i * plane, (i + 1) * plane);
      for (let i = 0; i < g.n; i++) {
        const yi = out.subarray(i * g.cOut * plane, (i + 1) * g.cOut * plane);
        k.gemm(weight, cols(x, g, i), yi, { m: cOutG, n: plane, k: kg, batch: g.groups, strideA: cOutG * kg, strideB: kg * plane, strideC: cOutG * plane, beta: bias ? 1 : 0 });
      }
      if (options.relu) for (let i = 0; i < out.length; i++) out[i] = out[i]! > 0 || out[i] !== out[i] ? out[i]! : 0; // NaN stays NaN
    },

    conv2dBackward(upstream, x, weight, g, dx, dw, db, options = {}) {
      const mask = options.reluMask;
      let grad = upstream;
      if (mask) {
        grad = columns(upstream, 2, upstream.length);
        for (let i = 0; i < grad.length; i++) grad[i] = mask[i]! <= 0 ? 0 : upstream[i]!; // as reluBackward: NaN passes
      }
      const plane = g.outH * g.outW;
      const kg = (g.c / g.groups) * g.kH * g.kW;
      const cOutG = g.cOut / g.groups;
      const cIn = g.c / g.groups;
      const inSize = g.c * g.h * g.w;
      const pointwise = isPointwise(g);
      const unitStride = g.sH === 1 && g.sW === 1;
      const flipped = dx && unitStride && !pointwise ? flipWeight(weight, g) : null;
      if (db) k.sum(grad, [g.n, g.cOut, plane], [true, false, true], db);
      if (dw && g.n === 0) dw.fill(0);
      for (let i = 0; i < g.n; i++) {
        const gi = grad.subarray(i * g.cOut * plane, (i + 1) * g.cOut * plane);
        if (dw) {
          k.gemm(gi, cols(x, g, i), dw, { m: cOutG, n: kg, k: plane, batch: g.groups, strideA: cOutG * plane, strideB: kg * plane, strideC: cOutG * kg, transB: true, beta: i === 0 ? 0 : 1 });
        }
        if (!dx) continue;
        const dxi = dx.subarray(i * inSize, (i + 1) * inSize);
        if (!flipped) {
          const dcol = pointwise ? dxi : columns(grad, 1, kg * g.groups * plane);
          k.gemm(weight, gi, dcol, { m: kg, n: plane, k: cOutG, batch: g.groups, strideA: cOutG * kg, strideB: cOutG * plane, strideC: kg * plane, transA: true });
          if (!pointwise) {
            dxi.fill(0);
            k.col2im(dcol, dxi, g);
          }
          continue;
        }
        // Stride 1: dx_i is the convolution of g_i with the flipped, transposed weight and padding
        // d·(k − 1) − p, so it is im2col (a block copy) + GEMM instead of GEMM + col2im (a scatter-add).
        const ckk = cOutG * g.kH * g.kW;
        const gcols = columns(grad, 1, ckk * g.groups * g.h * g.w);
        k.im2col(gi, gcols, {
          c: g.cOut, h: g.outH, w: g.outW, kH: g.kH, kW: g.kW, sH: 1, sW: 1,
          pH: g.dH * (g.kH - 1) - g.pH, pW: g.dW * (g.kW - 1) - g.pW, dH: g.dH, dW: g.dW, outH: g.h, outW: g.w,
        });
        k.gemm(flipped, gcols, dxi, { m: cIn, n: g.h * g.w, k: ckk, batch: g.groups, strideA: cIn * ckk, strideB: ckk * g.h * g.w, strideC: cIn * g.h * g.w });
      }
    },
  };
}
