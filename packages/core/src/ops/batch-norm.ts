/**
 * batchNorm(input, runningMean?, runningVar?, { weight?, bias?, training = false, momentum = 0.1,
 * eps = 1e-5 }): batch normalisation over the channel dim 1 of (N, C, ...), as PyTorch's
 * `F.batch_norm`. Statistics run over every dim but 1 (M = N · spatial values per channel).
 *
 *   training:  μ = mean(x), σ² = mean((x − μ)²) (biased), and, in place, when given:
 *              runningMean ← (1 − momentum)·runningMean + momentum·μ
 *              runningVar  ← (1 − momentum)·runningVar  + momentum·σ²·M/(M − 1) (unbiased)
 *   eval:      μ = runningMean, σ² = runningVar
 *   y = (x − μ) / √(σ² + eps) · weight + bias            (x̂ = (x − μ)/√(σ² + eps))
 *
 * Backward (fused per channel, for speed: two passes over x and grad):
 *   dbias = Σ grad        dweight = Σ grad · x̂
 *   training: dx = weight/√(σ² + eps) · (grad − Σgrad/M − x̂ · Σ(grad · x̂)/M)
 *   eval:     dx = weight/√(σ² + eps) · grad
 *
 * @example
 * batchNorm(x, runningMean, runningVar, { training: true }) // x normalised per channel, stats updated
 * // PyTorch: F.batch_norm(x, running_mean, running_var, training=True)
 */
import { checkBool, checkNumber, checkOptions } from '../args.js';
import { allocate, allocateEmpty, type FloatArray } from '../dtype.js';
import { isGradEnabled, markModified, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { pow } from './pow.js';
import { reshape } from './reshape.js';
import { mean, sum } from './sum.js';
import { gt } from './compare.js';
import { requireFloat } from './util.js';

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  training?: boolean;
  momentum?: number;
  eps?: number;
}

export function batchNorm(input: Tensor, runningMean?: Tensor | null, runningVar?: Tensor | null, options: BatchNormOptions = {}): Tensor {
  return batchNormWith('batchNorm', input, runningMean ?? null, runningVar ?? null, options, false);
}

/**
 * batchNorm, named `op` in errors and in the graph, followed by relu when `relu` (batchNormRelu: the
 * relu fused into the affine pass, its mask into the backward's two passes).
 */
export function batchNormWith(
  op: 'batchNorm' | 'batchNormRelu', input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions, relu: boolean,
): Tensor {
  requireFloat(op, 'input', input);
  if (input.ndim < 2) throw new Error(`${op}: input must have at least 2 dims (N, C, ...), got shape ${formatShape(input.shape)}`);
  checkOptions(op, options, ['weight', 'bias', 'training', 'momentum', 'eps']);
  checkBool(op, 'training', options.training);
  checkNumber(op, 'momentum', options.momentum);
  checkNumber(op, 'eps', options.eps);
  const { training = false, momentum = 0.1, eps = 1e-5 } = options;
  const weight = options.weight ?? null;
  const bias = options.bias ?? null;
  const n = input.shape[0]!;
  const c = input.shape[1]!;
  const inner = input.size / Math.max(n * c, 1);
  const m = n * inner;
  const checkChannel = (arg: string, t: Tensor | null | undefined): void => {
    if (t === null || t === undefined) return;
    requireFloat(op, arg, t);
    if ((arg === 'weight' || arg === 'bias') && t.dtype !== input.dtype) {
      throw new Error(`${op}: ${arg} is ${t.dtype} but input is ${input.dtype}; convert one with .to()`);
    }
    if (t.ndim !== 1 || t.shape[0] !== c) {
      throw new Error(`${op}: ${arg} must have shape [${c}] (the channels of input ${formatShape(input.shape)}), got ${formatShape(t.shape)}`);
    }
  };
  checkChannel('runningMean', runningMean);
  checkChannel('runningVar', runningVar);
  checkChannel('weight', weight);
  checkChannel('bias', bias);
  if (!(eps >= 0)) throw new Error(`${op}: eps must be >= 0, got ${eps}`);
  const k = kernels();
  const x = input.data as FloatArray;
  const view = { n, c, inner };
  const mean = new Float64Array(c);
  const variance = new Float64Array(c);
  if (training) {
    if (m <= 1) {
      throw new Error(`${op}: expected more than 1 value per channel when training, got input of shape ${formatShape(input.shape)}`);
    }
    k.channelMoments(x, mean, variance, view);
    const update = (t: Tensor | null | undefined, stat: Float64Array, factor: number): void => {
      if (!t) return;
      for (let i = 0; i < c; i++) t.data[i] = (1 - momentum) * t.data[i]! + momentum * stat[i]! * factor;
      markModified(t); // an in-place change: a backward that saved the running statistic sees it
    };
    update(runningMean, mean, 1);
    update(runningVar, variance, m / (m - 1));
  } else {
    if (!runningMean || !runningVar) {
      throw new Error(`${op}: runningMean and runningVar are required when not training (training: false)`);
    }
    mean.set(runningMean.data);
    variance.set(runningVar.data);
  }
  // y = x·scale + shift with scale = weight·invstd, shift = bias − mean·scale.
  const invstd = variance.map((v) => 1 / Math.sqrt(v + eps));
  const wv = (i: number): number => (weight ? weight.data[i]! : 1);
  const scale = invstd.map((s, i) => s * wv(i));
  const shift = scale.map((s, i) => (bias ? bias.data[i]! : 0) - mean[i]! * s);
  const out = allocateEmpty(input.dtype, input.size) as FloatArray;
  k.channelAffine(x, scale, shift, out, { ...view, relu });
  const inputs = [input, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
  const y = new Tensor(out, input.shape);
  // relu's mask: y's values, outside the graph; under grad mode (createGraph) applied as a product.
  const mask = relu ? new Tensor(out, input.shape) : null;
  return record(y, op, inputs, (upstream, needs) => {
    const grad = mask && isGradEnabled() ? mul(upstream, gt(mask, 0).to(upstream.dtype)) : upstream;
    if (isGradEnabled()) return composedGrads(grad, input, weight, bias !== null, training ? { eps } : { mean, invstd }, needs);
    const fused = mask && !isGradEnabled() ? { reluMask: mask.data as FloatArray } : {};
    const g = grad.data as FloatArray;
    const sumG = new Float64Array(c);
    const sumGX = new Float64Array(c); // Σ grad·(x − μ) = Σ grad·x̂ · √(σ² + eps)
    kernels().channelGradSums(g, x, mean, sumG, sumGX, { ...view, ...fused });
    let dx: Tensor | null = null;
    if (needs[0]) {
      const d = allocateEmpty(grad.dtype, input.size) as FloatArray; // combine/affine write every element
      const zeros = new Float64Array(c);
      if (training) {
        // dx = scale·grad − scale·invstd²·ΣgX/M · (x − μ) − scale·ΣG/M
        const b = scale.map((s, i) => (-s * invstd[i]! * invstd[i]! * sumGX[i]!) / m);
        const sh = scale.map((s, i) => (-s * sumG[i]!) / m);
        kernels().channelCombine(g, x, scale, b, mean, sh, d, { ...view, ...fused });
      } else {
        kernels().channelAffine(g, scale, zeros, d, { ...view, ...fused });
      }
      dx = new Tensor(d, input.shape);
    }
    const perChannel = (values: Float64Array): Tensor => {
      const t = allocate(grad.dtype, c);
      t.set(values);
      return new Tensor(t, [c]);
    };
    const grads: (Tensor | null)[] = [dx];
    if (weight) grads.push(needs[1] ? perChannel(sumGX.map((v, i) => v * invstd[i]!)) : null);
    if (bias) grads.push(needs[grads.length] ? perChannel(sumG) : null);
    return grads;
  }, { saved: [input, ...(mask ? [mask] : []), ...(weight ? [weight] : [])] });
}

/**
 * batchNorm's gradients built from ops, for createGraph (so they can be differentiated again); the
 * same formulas as the fused backward, with x̂ a function of x when training (batch statistics):
 *   dx = weight·invstd·(g − mean(g) − x̂·mean(g·x̂))   (eval: weight·invstd·g)   dweight = Σ g·x̂   dbias = Σ g
 */
function composedGrads(
  grad: Tensor, x: Tensor, weight: Tensor | null, hasBias: boolean,
  stats: { eps: number } | { mean: Float64Array; invstd: Float64Array }, needs: readonly boolean[],
): (Tensor | null)[] {
  const g = grad.dtype === x.dtype ? grad : grad.to(x.dtype);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const perChannel = x.shape.map((d, i) => (i === 1 ? d : 1));
  const constant = (v: Float64Array): Tensor => reshape(new Tensor(x.dtype === 'float64' ? v : Float32Array.from(v), [v.length]), perChannel);
  const keep = { keepdim: true };
  let xhat: Tensor;
  let invstd: Tensor;
  if ('eps' in stats) {
    const xc = sub(x, mean(x, dims, keep));
    invstd = pow(add(mean(mul(xc, xc), dims, keep), stats.eps), -0.5);
    xhat = mul(xc, invstd);
  } else {
    invstd = constant(stats.invstd);
    xhat = mul(sub(x, constant(stats.mean)), invstd);
  }
  const scale = weight ? mul(reshape(weight, perChannel), invstd) : invstd;
  let dx: Tensor | null = null;
  if (needs[0]) {
    dx = 'eps' in stats
      ? mul(scale, sub(sub(g, mean(g, dims, keep)), mul(xhat, mean(mul(g, xhat), dims, keep))))
      : mul(g, scale);
  }
  const grads: (Tensor | null)[] = [dx];
  if (weight) grads.push(needs[1] ? sum(mul(g, xhat), dims) : null);
  if (hasBias) grads.push(needs[grads.length] ? sum(g, dims) : null);
  return grads;
}
