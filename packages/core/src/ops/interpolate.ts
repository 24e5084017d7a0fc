/**
 * interpolate(input, { size | scaleFactor, mode = 'nearest', alignCorners = false,
 * recomputeScaleFactor = false }): 2-D resizing of (N, C, H, W), as PyTorch 1.13's `F.interpolate`.
 * The output size is `size`, or ⌊H · scaleFactor⌋ × ⌊W · scaleFactor⌋. Along each axis, with
 * scale = 1 / scaleFactor when a scale factor is given (and not recomputed), else in / out:
 *
 *   nearest:  src(j) = min(⌊j · scale⌋, in − 1), rounded as PyTorch 1.13's CPU kernels, which differ:
 *             - the backward, and the forward of an input whose layout is also channels-last (C = 1 or
 *               H·W = 1): float32 scale and product, j when out = in, ⌊j / 2⌋ when out = 2·in;
 *             - the forward of any other input: ⌊fl32(scale · j)⌋, the product in the input's dtype
 *               (scale in float64 for float64 input), and no out = in / out = 2·in shortcuts.
 *             They agree for integer scale factors and sizes; otherwise PyTorch's gradient is not always the
 *             derivative of its own forward (with scale 1.3, 3 → 3 columns: forward 0, 0, 1, backward
 *             0, 1, 2), and Tessera reproduces both.  y[j] = x[src(j)]
 *   bilinear: s = scale·(j + ½) − ½ clamped at 0 (alignCorners: s = j·(in − 1)/(out − 1));
 *             i0 = ⌊s⌋, i1 = min(i0 + 1, in − 1), λ = s − i0;  y[j] = (1 − λ)·x[i0] + λ·x[i1]
 *             (separable: rows, then columns)
 *
 * Backward: the adjoint, each input element gets the weighted sum of the gradients it fed,
 *   dx[i] = Σ_j w(j, i) · grad[j]   (for nearest, with the backward's source indices above).
 *
 * @example
 * interpolate(x, { scaleFactor: 2 }).shape // [N, C, 2H, 2W]; PyTorch: F.interpolate(x, scale_factor=2)
 */
import { checkBool, checkElements, checkOptions } from '../args.js';
import { allocate, allocateEmpty, type FloatArray } from '../dtype.js';
import { record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { formatPair, pair, type IntPair, type Pair } from './conv-args.js';
import { requireFloat } from './util.js';

export interface InterpolateOptions {
  /** The output size (H_out, W_out); give this or scaleFactor. */
  size?: IntPair;
  /** A multiplier of H and W (or a pair of them); give this or size. */
  scaleFactor?: number | readonly [number, number];
  mode?: 'nearest' | 'bilinear';
  /** Bilinear only: map the corner pixels' centres onto each other. */
  alignCorners?: boolean;
  /** Compute the kernel's scale from the integer sizes rather than from scaleFactor. */
  recomputeScaleFactor?: boolean;
}

/** One axis of the resampling: source indices and weights per output position. */
interface Axis {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float64Array;
  w1: Float64Array;
}

/**
 * PyTorch 1.13's nearest source indices. `generic`: upsample_generic_Nd_kernel_impl's
 * ⌊fl32(scale · j)⌋ with scale and product in the input's dtype (`float32`); otherwise nearest_idx
 * (used by the channels-last forward and by every backward), with its float32 scale and shortcuts.
 */
function nearestAxis(inSize: number, outSize: number, scale: number | undefined, generic: boolean, float32: boolean): Axis {
  const i0 = new Int32Array(outSize);
  const ratio = scale !== undefined && scale > 0 ? 1 / scale : inSize / outSize;
  const s = Math.fround(ratio);
  for (let j = 0; j < outSize; j++) {
    if (!generic && outSize === inSize) i0[j] = j;
    else if (!generic && outSize === 2 * inSize) i0[j] = j >> 1;
    else i0[j] = Math.min(Math.floor(Math.fround(j * (generic && !float32 ? ratio : s))), inSize - 1);
  }
  return { i0, i1: i0, w0: new Float64Array(outSize).fill(1), w1: new Float64Array(outSize) };
}

function bilinearAxis(inSize: number, outSize: number, scale: number | undefined, alignCorners: boolean): Axis {
  const axis = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float64Array(outSize), w1: new Float64Array(outSize) };
  const ratio = alignCorners
    ? outSize > 1 ? (inSize - 1) / (outSize - 1) : 0
    : scale !== undefined && scale > 0 ? 1 / scale : inSize / outSize;
  for (let j = 0; j < outSize; j++) {
    if (outSize === inSize) {
      // PyTorch reads x[j]·1 + x[j]·0 here (so ∞ gives NaN); w1 = −0 keeps the kernels from copying (1·x + (−0)·x = x otherwise).
      axis.i0[j] = j;
      axis.i1[j] = j;
      axis.w0[j] = 1;
      axis.w1[j] = -0;
      continue;
    }
    const src = alignCorners ? ratio * j : Math.max(ratio * (j + 0.5) - 0.5, 0);
    const i0 = Math.floor(src);
    const lambda = Math.min(Math.max(src - i0, 0), 1);
    axis.i0[j] = i0;
    axis.i1[j] = i0 < inSize - 1 ? i0 + 1 : i0;
    axis.w0[j] = 1 - lambda;
    axis.w1[j] = lambda;
  }
  return axis;
}

export function interpolate(input: Tensor, options: InterpolateOptions): Tensor {
  const op = 'interpolate';
  requireFloat(op, 'input', input);
  if (input.ndim !== 4) throw new Error(`${op}: input must be 4-D (N, C, H, W), got shape ${formatShape(input.shape)}`);
  checkOptions(op, options, ['size', 'scaleFactor', 'mode', 'alignCorners', 'recomputeScaleFactor']);
  checkBool(op, 'alignCorners', options.alignCorners);
  checkBool(op, 'recomputeScaleFactor', options.recomputeScaleFactor);
  const mode = options?.mode ?? 'nearest';
  if (mode !== 'nearest' && mode !== 'bilinear') throw new Error(`${op}: mode must be 'nearest' or 'bilinear', got ${JSON.stringify(mode)}`);
  if (options.alignCorners === true && mode !== 'bilinear') {
    throw new Error(`${op}: alignCorners can only be set with mode 'bilinear' (mode is '${mode}')`);
  }
  const { size, scaleFactor } = options;
  if ((size === undefined) === (scaleFactor === undefined)) {
    throw new Error(`${op}: give exactly one of size or scaleFactor, got ${size === undefined ? 'neither' : 'both'}`);
  }
  const [n, c, h, w] = input.shape as [number, number, number, number];
  let out: Pair;
  let scales: [number | undefined, number | undefined] = [undefined, undefined];
  if (size !== undefined) {
    out = pair(op, 'size', size, 1);
  } else {
    const f = typeof scaleFactor === 'number' ? [scaleFactor, scaleFactor] : scaleFactor!;
    if (f.length !== 2 || !f.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) {
      throw new Error(`${op}: scaleFactor must be a positive number or a pair of them, got ${JSON.stringify(scaleFactor)}`);
    }
    out = [Math.floor(h * f[0]!), Math.floor(w * f[1]!)];
    if (!options.recomputeScaleFactor) scales = [f[0], f[1]];
  }
  // Before any index table is built: a size of 1e9 would otherwise loop for minutes, then fail.
  checkElements(op, size !== undefined ? `size ${formatPair(out)}` : `scaleFactor ${JSON.stringify(scaleFactor)}`, n * c * out[0] * Math.max(out[1], w), [n, c, ...out]);
  if (out[0] < 1 || out[1] < 1 || h < 1 || w < 1) {
    throw new Error(`${op}: input and output sizes must be positive, got input ${h}×${w} (shape ${formatShape(input.shape)}) and output ${formatPair(out)}`);
  }
  const align = options.alignCorners ?? false;
  const f32 = input.dtype === 'float32';
  const axisOf = (inSize: number, outSize: number, scale: number | undefined, generic: boolean): Axis =>
    mode === 'nearest' ? nearestAxis(inSize, outSize, scale, generic, f32) : bilinearAxis(inSize, outSize, scale, align);
  // PyTorch's nearest forward takes its channels-last kernel when (N, C, H, W) is also channels-last
  // contiguous (C = 1 or H·W = 1), the generic one otherwise; its backward always uses nearest_idx.
  const generic = mode === 'nearest' && c !== 1 && h * w !== 1;
  const rows = axisOf(h, out[0], scales[0], generic);
  const cols = axisOf(w, out[1], scales[1], generic);
  const gradRows = generic ? axisOf(h, out[0], scales[0], false) : rows;
  const gradCols = generic ? axisOf(w, out[1], scales[1], false) : cols;
  return resample(input, { rows, cols, gradRows, gradCols, inH: h, inW: w, outH: out[0], outW: out[1] });
}

/** The resampling of one interpolate call: forward axes, and the (PyTorch 1.13) backward's axes. */
interface Resampling {
  rows: Axis; cols: Axis; gradRows: Axis; gradCols: Axis; inH: number; inW: number; outH: number; outW: number;
}

/** (N, C, inH, inW) → (N, C, outH, outW) by the forward axes (rows, then columns); its backward is interpolateBackward. */
function resample(x: Tensor, r: Resampling): Tensor {
  const [n, c] = x.shape as [number, number];
  const planes = n * c;
  const k = kernels();
  const tmp = allocateEmpty(x.dtype, planes * r.outH * r.inW) as FloatArray;
  k.resample1d(x.data as FloatArray, tmp, { outer: planes, inSize: r.inH, inner: r.inW, outSize: r.outH, ...r.rows });
  const y = allocateEmpty(x.dtype, planes * r.outH * r.outW) as FloatArray;
  k.resample1d(tmp, y, { outer: planes * r.outH, inSize: r.inW, inner: 1, outSize: r.outW, ...r.cols });
  return record(new Tensor(y, [n, c, r.outH, r.outW]), 'interpolate', [x], (grad) => [interpolateBackward(grad, r)], { saved: [] });
}

/**
 * interpolate's backward, as an op: the adjoint of the resampling by the backward's axes (columns,
 * then rows). Linear in grad; its backward is the forward resampling, as PyTorch's double backward
 * of upsample_*_backward (which, for nearest, uses the forward's source indices).
 */
function interpolateBackward(grad: Tensor, r: Resampling): Tensor {
  const [n, c] = grad.shape as [number, number];
  const planes = n * c;
  const gTmp = allocate(grad.dtype, planes * r.outH * r.inW) as FloatArray;
  kernels().resample1dBackward(grad.data as FloatArray, gTmp, { outer: planes * r.outH, inSize: r.inW, inner: 1, outSize: r.outW, ...r.gradCols });
  const dx = allocate(grad.dtype, planes * r.inH * r.inW) as FloatArray;
  kernels().resample1dBackward(gTmp, dx, { outer: planes, inSize: r.inH, inner: r.inW, outSize: r.outH, ...r.gradRows });
  return record(new Tensor(dx, [n, c, r.inH, r.inW]), 'interpolateBackward', [grad], (u) => [resample(u, r)], { saved: [] });
}
