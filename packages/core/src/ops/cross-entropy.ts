/**
 * crossEntropy(input, target, { weight, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 }):
 * softmax cross-entropy of logits, exactly as PyTorch's F.cross_entropy. A fused node (one kernel
 * pass per direction; see kernels/cross-entropy.ts), for speed and for stability with logits of ±1e4.
 *
 * input: logits (N, C, d1..dk) or (C). target: int32 class indices of shape (N, d1..dk) (or ()), or
 * float class probabilities of the input's shape. With −log p_c = logsumexp(x) − x_c, ε = labelSmoothing:
 *   index targets, per position i with class y (0 where y = ignoreIndex):
 *     ℓ_i = (1 − ε)·w_y·(−log p_y) + (ε/C)·Σ_c w_c·(−log p_c)
 *     'mean' = Σ_i ℓ_i / Σ_i w_{y_i} over non-ignored positions (a weighted mean, not the mean of 'none');
 *              NaN when that sum is 0 (every target ignored: 0/0)
 *   probability targets t, t' = (1 − ε)·t + ε/C:
 *     ℓ_i = Σ_c w_c·t'_c·(−log p_c),   'mean' = Σ_i ℓ_i / (number of positions N·d1···dk)
 *   'sum' = Σ_i ℓ_i; 'none' has shape (N, d1..dk).
 * Backward (closed form, no one-hot): ∂ℓ_i/∂x_c = (1 − ε)·w_y·(p_c − [c = y]) + (ε/C)·(Σ_k w_k·p_c − w_c),
 * or (Σ_k w_k·t'_k)·p_c − w_c·t'_c for probabilities; divided by the same denominator under 'mean'.
 * No gradient flows to target or weight. Under createGraph the same gradient is built from ops
 * (softmax and constants), so it can be differentiated again (Hessian-vector products).
 *
 * ignoreIndex with probability targets: PyTorch refuses ignore_index ≥ 0 there; Tessera refuses any
 * value other than the default −100 (a negative one could never match and would silently do nothing).
 *
 * @example
 * const logits = tensor([[2, 0.5], [0.1, 1]], { requiresGrad: true });
 * const loss = crossEntropy(logits, tensor([0, 1], { dtype: 'int32' }), { weight: tensor([1, 9]) });
 * loss.backward(); // PyTorch: F.cross_entropy(logits, target, weight=torch.tensor([1., 9.]))
 */
import { checkOptions } from '../args.js';
import { allocate, allocateEmpty, handOver, isFloatDType, type FloatArray } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { checkIgnoreIndex, checkIndexTargets, checkReduction, classLayout, classWeightData, type Reduction } from './loss-args.js';
import { full } from '../creation.js';
import { add, mul, sub } from './arithmetic.js';
import { eq, ne } from './compare.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { sum } from './sum.js';
import { assertTensor } from './util.js';

export interface CrossEntropyOptions {
  /** Per-class weights, a float tensor of shape [C]. */
  weight?: Tensor;
  /** Index-target value whose positions get zero loss and gradient (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
  /** ε in [0, 1]: mixes the target with the uniform distribution (default 0). */
  labelSmoothing?: number;
}

const OP = 'crossEntropy';

export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  checkOptions(OP, options, ['weight', 'ignoreIndex', 'reduction', 'labelSmoothing']);
  const { weight, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  const layout = classLayout(OP, input);
  const { n, c, spatial, positions } = layout;
  assertTensor(OP, 'target', target);
  checkReduction(OP, reduction);
  checkIgnoreIndex(OP, ignoreIndex);
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new Error(`${OP}: labelSmoothing must be a number in [0, 1], got ${String(labelSmoothing)}`);
  }
  const w = classWeightData(OP, weight, c);
  let t: Int32Array | FloatArray;
  if (isFloatDType(target.dtype)) {
    if (!shapesEqual(target.shape, input.shape)) {
      throw new Error(
        `${OP}: target is ${target.dtype} of shape ${formatShape(target.shape)}, which is neither class-index ` +
          `targets (those must be int32 of shape ${formatShape(positions)}) nor class probabilities ` +
          `(float of the input's shape ${formatShape(input.shape)})`,
      );
    }
    if (ignoreIndex !== -100) {
      throw new Error(
        `${OP}: ignoreIndex (${ignoreIndex}) is not supported with probability targets (a float target of the ` +
          `input's shape ${formatShape(input.shape)}): every position counts. Drop ignoreIndex, or pass int32 class indices`,
      );
    }
    t = target.data as FloatArray;
  } else {
    if (shapesEqual(target.shape, input.shape)) {
      throw new Error(
        `${OP}: target has the input's shape ${formatShape(input.shape)}, so it is read as class probabilities, ` +
          `which must be float; got ${target.dtype}. Class-index targets have shape ${formatShape(positions)}`,
      );
    }
    t = checkIndexTargets(OP, input, target, layout, ignoreIndex);
  }
  const x = input.data as FloatArray;
  const out = allocate(input.dtype, reduction === 'none' ? n * spatial : 1) as FloatArray;
  const params = { n, c, spatial, ignoreIndex, labelSmoothing, reduction };
  // Fused for speed: when a backward will follow, the forward also writes the gradient for upstream 1 in
  // the same pass over x (one pass and one exp per element instead of two; PyTorch keeps a log-softmax of
  // this size from its forward to its backward). The backward then hands it out, scaled by the upstream.
  let early = reduction !== 'none' && input.requiresGrad && isGradEnabled() ? (allocateEmpty(input.dtype, input.size) as FloatArray) : null;
  const saved = kernels().crossEntropyForward(x, t, w, out, early, params);
  const loss = new Tensor(out, reduction === 'none' ? positions : []);
  return record(loss, 'crossEntropy', [input], (grad) => {
    const scale = reduction === 'mean' ? 1 / saved.denominator : 1;
    const g = early;
    early = null; // handed out once (the engine may keep it as .grad and add into it); a retained graph's next backward recomputes
    if (isGradEnabled()) return [composedGrad(grad, input, target, weight, { n, c, spatial, ignoreIndex, labelSmoothing, scale })];
    if (g) {
      const u = (grad.data as FloatArray)[0]!;
      if (u !== 1) kernels().binary('mul', g, [g.length], grad.data, [], g, [g.length]);
      handOver(g);
      return [new Tensor(g, input.shape)];
    }
    const gradInput = allocateEmpty(input.dtype, input.size) as FloatArray; // the kernel writes every element
    kernels().crossEntropyBackward(x, t, w, saved, grad.data as FloatArray, gradInput, { ...params, scale });
    return [new Tensor(gradInput, input.shape)];
  }, { saved: weight ? [input, target, weight] : [input, target] });
}

/**
 * The closed-form gradient built from ops, for createGraph (so it can be differentiated again): with
 * p = softmax(x) along the classes, in both target kinds ∂ℓ/∂x = (p·A − B)·grad·scale for constants
 *   index targets:  A = (1 − ε)·w_y + (ε/C)·Σ_k w_k,   B_c = (1 − ε)·w_y·[c = y] + (ε/C)·w_c   (both 0 where ignored)
 *   probabilities:  A = Σ_k w_k·t'_k,                  B_c = w_c·t'_c
 */
function composedGrad(
  grad: Tensor, input: Tensor, target: Tensor, weight: Tensor | undefined,
  o: { n: number; c: number; spatial: number; ignoreIndex: number; labelSmoothing: number; scale: number },
): Tensor {
  const { n, c, spatial, labelSmoothing: eps } = o;
  const dtype = input.dtype;
  const p = softmax(reshape(input, [n, c, spatial]), 1);
  const wAll = weight ? reshape(weight.detach().to(dtype), [1, c, 1]) : full([1, c, 1], 1, { dtype });
  let a: Tensor;
  let b: Tensor;
  if (isFloatDType(target.dtype)) {
    const t = add(mul(reshape(target.detach().to(dtype), [n, c, spatial]), 1 - eps), eps / c);
    a = sum(mul(t, wAll), 1, { keepdim: true });
    b = mul(t, wAll);
  } else {
    const y = reshape(target, [n, 1, spatial]);
    const valid = ne(y, o.ignoreIndex).to(dtype);
    const ids = new Tensor(Int32Array.from({ length: c }, (_, k) => k), [1, c, 1]);
    const onehot = mul(eq(y, ids).to(dtype), valid);
    const wy = sum(mul(onehot, wAll), 1, { keepdim: true });
    const smooth = mul(valid, eps / c);
    a = add(mul(wy, 1 - eps), mul(smooth, sum(wAll)));
    b = add(mul(onehot, mul(wy, 1 - eps)), mul(smooth, wAll));
  }
  const g = grad.ndim === 0 ? grad : reshape(grad, [n, 1, spatial]);
  return reshape(mul(sub(mul(p, a), b), mul(g, o.scale)), input.shape);
}
