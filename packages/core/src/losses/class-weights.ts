/**
 * classWeights(countsOrTarget, { scheme, … }): per-class weights for an imbalanced segmentation or
 * classification problem, to pass as crossEntropy's `weight`. From pixel counts n_c (c = 0..C−1,
 * N = Σ n_c, frequency f_c = n_c / N):
 *   inverse    w_c = 1/f_c = N/n_c
 *   balanced   w_c = N/(C·n_c)                 (scikit-learn's 'balanced'; C counts every class)
 *   median     w_c = median_k(f_k)/f_c          (median-frequency balancing, Eigen & Fergus 2015; the
 *              median over the classes that occur). With a target tensor, f_c = n_c / (pixels of the
 *              images in which c occurs), as in the paper (`frequency: 'images'`, the default for
 *              targets; dim 0 is the image dim); with counts, or `frequency: 'pixels'`, f_c = n_c/N.
 *   enet       w_c = 1/ln(c + f_c), c = 1.02    (Paszke et al. 2016; bounded by 1/ln 1.02 ≈ 50.5)
 *   effective  w_c = (1 − β)/(1 − β^n_c), then scaled so that Σ_c w_c = C (Cui et al. 2019,
 *              "effective number of samples"; β = 0.9999 by default)
 * A class with no pixels (n_c = 0) gets weight 0 in every scheme: the formulas give ∞ (or, for enet, the
 * largest weight) for a class the data never shows. With index targets its weight never multiplies a
 * loss term; with label smoothing or probability targets a 0 weight drops that class's term, so pass
 * counts that include every class (or set its weight yourself) if that matters.
 *
 * countsOrTarget: counts as a number[] or a float tensor of shape [C]; or an int32 tensor of class
 * indices of any shape, with `numClasses` (required: a void label such as 255 must not silently make
 * 256 classes). Positions equal to `ignoreIndex` (default −100, as crossEntropy's) are not counted;
 * any other label outside [0, numClasses) is an error naming it and its position. Returns a tensor
 * of C weights (float32 unless `dtype` says otherwise), ready for crossEntropy's `weight` with the
 * same `ignoreIndex`.
 *
 * @example
 * classWeights([90, 10], { scheme: 'balanced' }) // tensor([0.5556, 5]): 100/(2·90), 100/(2·10)
 * classWeights(mask, { scheme: 'balanced', numClasses: 2, ignoreIndex: 255 }) // 255 = void, not counted
 * // PyTorch has no equivalent; scikit-learn: compute_class_weight('balanced', classes=[0, 1], y=y)
 */
import { checkNumber, checkOptions, describeValue } from '../args.js';
import type { FloatDType } from '../dtype.js';
import { formatShape, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export type ClassWeightScheme = 'inverse' | 'balanced' | 'median' | 'enet' | 'effective';

export interface ClassWeightsOptions {
  scheme: ClassWeightScheme;
  /** Number of classes C: required with a target tensor; with counts, their length (checked if given). */
  numClasses?: number;
  /** Target label that is not counted (default −100, as crossEntropy's); targets only. */
  ignoreIndex?: number;
  /** Frequency of the median scheme: 'images' (Eigen & Fergus, targets only) or 'pixels'. */
  frequency?: 'images' | 'pixels';
  /** β of the effective scheme, in [0, 1) (default 0.9999). */
  beta?: number;
  /** c of the enet scheme, > 1 (default 1.02). */
  c?: number;
  dtype?: FloatDType;
}

const OP = 'classWeights';
const SCHEMES: readonly ClassWeightScheme[] = ['inverse', 'balanced', 'median', 'enet', 'effective'];

export function classWeights(countsOrTarget: Tensor | readonly number[], options: ClassWeightsOptions): Tensor {
  checkOptions(OP, options, ['scheme', 'numClasses', 'ignoreIndex', 'frequency', 'beta', 'c', 'dtype']);
  const opts: Partial<ClassWeightsOptions> = options ?? {};
  const { scheme, ignoreIndex = -100, beta = 0.9999, c: enetC = 1.02, dtype = 'float32' } = opts;
  // Every option given is checked, whichever scheme reads it.
  checkNumber(OP, 'options.numClasses', opts.numClasses, { min: 1, integer: true });
  checkNumber(OP, 'options.ignoreIndex', opts.ignoreIndex, { integer: true });
  checkNumber(OP, 'beta', opts.beta, { min: 0, max: 1 });
  if (beta === 1) throw new Error(`${OP}: beta of the effective scheme must be in [0, 1), got 1`);
  if (opts.c !== undefined && !(typeof opts.c === 'number' && opts.c > 1 && Number.isFinite(opts.c))) {
    throw new Error(`${OP}: c of the enet scheme must be > 1 (so that ln(c + f) > 0), got ${describeValue(opts.c)}`);
  }
  if (dtype !== 'float32' && dtype !== 'float64') throw new Error(`${OP}: dtype must be float32 or float64, got ${describeValue(dtype)}`);
  if (scheme === undefined || !SCHEMES.includes(scheme)) throw new Error(`${OP}: scheme must be one of ${SCHEMES.join(', ')}; got ${JSON.stringify(scheme)}`);
  const fromTarget = countsOrTarget instanceof Tensor && countsOrTarget.dtype === 'int32';
  const frequency = opts.frequency ?? (fromTarget ? 'images' : 'pixels');
  if (frequency !== 'images' && frequency !== 'pixels') throw new Error(`${OP}: frequency must be 'images' or 'pixels', got ${JSON.stringify(frequency)}`);
  if (frequency === 'images' && !fromTarget) {
    throw new Error(`${OP}: frequency 'images' needs an int32 target tensor (which pixels belong to which image); counts only give 'pixels'`);
  }
  if (!fromTarget && opts.ignoreIndex !== undefined) {
    throw new Error(`${OP}: options.ignoreIndex applies to an int32 target tensor; counts have no labels to ignore (got ignoreIndex ${opts.ignoreIndex} with counts)`);
  }
  const { counts, imagePixels } = fromTarget ? countTargets(countsOrTarget, opts.numClasses, ignoreIndex) : readCounts(countsOrTarget, opts.numClasses);
  const C = counts.length;
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new Error(`${OP}: no pixels counted (all ${C} counts are 0), so there are no frequencies to balance`);
  const w = new Float64Array(C);
  const present = (k: number): boolean => counts[k]! > 0;
  switch (scheme) {
    case 'inverse':
      for (let k = 0; k < C; k++) if (present(k)) w[k] = total / counts[k]!;
      break;
    case 'balanced':
      for (let k = 0; k < C; k++) if (present(k)) w[k] = total / (C * counts[k]!);
      break;
    case 'median': {
      const f = counts.map((n, k) => (n > 0 ? n / (frequency === 'images' ? imagePixels![k]! : total) : 0));
      const m = median(Array.from(f).filter((_, k) => present(k)));
      for (let k = 0; k < C; k++) if (present(k)) w[k] = m / f[k]!;
      break;
    }
    case 'enet':
      if (!(enetC > 1)) throw new Error(`${OP}: c of the enet scheme must be > 1 (so that ln(c + f) > 0), got ${enetC}`);
      for (let k = 0; k < C; k++) if (present(k)) w[k] = 1 / Math.log(enetC + counts[k]! / total);
      break;
    case 'effective': {
      if (!(beta >= 0 && beta < 1)) throw new Error(`${OP}: beta of the effective scheme must be in [0, 1), got ${beta}`);
      // 1 − β^n = −expm1(n·ln β), accurate for β close to 1
      for (let k = 0; k < C; k++) if (present(k)) w[k] = beta === 0 ? 1 : (1 - beta) / -Math.expm1(counts[k]! * Math.log(beta));
      const s = w.reduce((a, b) => a + b, 0);
      for (let k = 0; k < C; k++) w[k] = (w[k]! * C) / s;
      break;
    }
  }
  return new Tensor(dtype === 'float64' ? w : Float32Array.from(w), [C]);
}

function median(values: number[]): number {
  const v = values.slice().sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length % 2 === 1 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
}

function readCounts(counts: Tensor | readonly number[], numClasses: number | undefined): { counts: Float64Array; imagePixels: null } {
  let values: Float64Array;
  if (counts instanceof Tensor) {
    if (counts.ndim !== 1) throw new Error(`${OP}: counts must have shape [C], got shape ${formatShape(counts.shape)}`);
    values = Float64Array.from(counts.data);
  } else if (Array.isArray(counts)) {
    values = Float64Array.from(counts as number[]);
  } else {
    throw new Error(`${OP}: expected counts (a number[] or a float tensor of shape [C]) or an int32 target tensor, got ${typeof counts}`);
  }
  values.forEach((n, k) => {
    if (!(n >= 0 && Number.isFinite(n))) throw new Error(`${OP}: counts must be finite and >= 0; class ${k} has ${n}`);
  });
  if (numClasses !== undefined && numClasses !== values.length) {
    throw new Error(`${OP}: options.numClasses is ${numClasses} but ${values.length} counts were given`);
  }
  return { counts: values, imagePixels: null };
}

/** Pixel counts per class, and per class the pixels of the images (dim 0) in which it occurs. */
function countTargets(target: Tensor, numClasses: number | undefined, ignoreIndex: number): { counts: Float64Array; imagePixels: Float64Array } {
  const t = target.data as Int32Array;
  let C = numClasses;
  if (C === undefined) {
    let top = -Infinity;
    for (let i = 0; i < t.length; i++) if (t[i] !== ignoreIndex && t[i]! > top) top = t[i]!;
    const seen = top === -Infinity ? 'no label but ignoreIndex' : `labels up to ${top}`;
    throw new Error(`${OP}: options.numClasses is required with a target tensor (it has ${seen}; a void label such as 255 goes in options.ignoreIndex)`);
  }
  if (!Number.isInteger(C) || C < 1) throw new Error(`${OP}: options.numClasses must be an integer >= 1, got ${C}`);
  if (!Number.isInteger(ignoreIndex)) throw new Error(`${OP}: options.ignoreIndex must be an integer, got ${ignoreIndex}`);
  const images = target.ndim === 0 ? 1 : target.shape[0]!;
  const per = images === 0 ? 0 : t.length / images;
  const counts = new Float64Array(C);
  const imagePixels = new Float64Array(C);
  const inImage = new Float64Array(C);
  for (let img = 0; img < images; img++) {
    inImage.fill(0);
    let pixels = 0;
    for (let i = img * per; i < (img + 1) * per; i++) {
      const y = t[i]!;
      if (y === ignoreIndex) continue;
      if (y < 0 || y >= C) {
        const at = stridesOf(target.shape).map((s, d) => Math.floor(i / s) % target.shape[d]!);
        throw new Error(`${OP}: target label ${y} at position [${at.join(', ')}] is outside [0, ${C}) (options.numClasses is ${C}) and is not options.ignoreIndex (${ignoreIndex})`);
      }
      inImage[y]!++;
      pixels++;
    }
    for (let k = 0; k < C; k++) {
      counts[k]! += inImage[k]!;
      if (inImage[k]! > 0) imagePixels[k]! += pixels;
    }
  }
  return { counts, imagePixels };
}
