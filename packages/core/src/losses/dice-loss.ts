/**
 * diceLoss(input, target, { classes, smooth = 1e-5, ignoreIndex = -100, reduction = 'mean' }): soft
 * Dice loss on the softmax of logits (Milletari et al. 2016, V-Net), per class over the whole batch.
 * Composed from primitives (softmax, eq, sum, div), so autograd differentiates it.
 *
 * input: logits (N, C, d1..dk) or (C); target: int32 class indices of shape (N, d1..dk) or ().
 * With p = softmax(input) along the class dim, g the one-hot target, and sums over every non-ignored
 * position i (batch and spatial dims together):
 *   Dice_c = (2·Σ_i p_ic·g_ic + s) / (Σ_i p_ic + Σ_i g_ic + s),   loss_c = 1 − Dice_c ∈ [0, 1]
 * for each class c in `classes` (default all, e.g. leave out a background class). 'none' returns the
 * loss per chosen class (shape [K]), 'mean' their mean, 'sum' their sum. The smoothing s keeps a class
 * that is absent from both prediction and target at Dice ≈ 1; a class absent from the target but
 * predicted with total probability P gets Dice = s/(P + s) ≈ 0, a loss near 1.
 *
 * @example
 * const logits = tensor([[[2, -1], [0, 1]], [[-2, 1], [0.5, -1]]]).reshape([1, 2, 2, 2]);
 * diceLoss(logits, tensor([[[0, 1], [1, 0]]], { dtype: 'int32' }), { classes: [1] });
 * // PyTorch (no built-in): 1 - (2*(p*g).sum((0,2,3)) + s) / (p.sum((0,2,3)) + g.sum((0,2,3)) + s)
 */
import { checkOptions, describeValue, isList } from '../args.js';
import { add, div, mul, sub } from '../ops/arithmetic.js';
import { eq, ne } from '../ops/compare.js';
import { indexSelect } from '../ops/index-select.js';
import { checkIgnoreIndex, checkIndexTargets, checkReduction, classLayout, type Reduction } from '../ops/loss-args.js';
import { unsqueeze } from '../ops/reshape.js';
import { softmax } from '../ops/softmax.js';
import { mean, sum } from '../ops/sum.js';
import { where } from '../ops/where.js';
import { Tensor } from '../tensor.js';

export interface DiceLossOptions {
  /** The classes whose Dice losses are returned or averaged (default all C). */
  classes?: readonly number[];
  /** Added to numerator and denominator (default 1e-5). */
  smooth?: number;
  /** Target value whose positions are left out of every sum (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

const OP = 'diceLoss';

export function diceLoss(input: Tensor, target: Tensor, options: DiceLossOptions = {}): Tensor {
  checkOptions(OP, options, ['classes', 'smooth', 'ignoreIndex', 'reduction']);
  const { smooth = 1e-5, ignoreIndex = -100, reduction = 'mean' } = options;
  const layout = classLayout(OP, input);
  const C = layout.c;
  checkReduction(OP, reduction);
  checkIgnoreIndex(OP, ignoreIndex);
  if (typeof smooth !== 'number' || !(smooth >= 0 && Number.isFinite(smooth))) {
    throw new Error(`${OP}: smooth must be a finite number >= 0, got ${String(smooth)}`);
  }
  if (options.classes !== undefined && !isList(options.classes)) throw new Error(`${OP}: classes must be a list of class indices, got ${describeValue(options.classes)}`);
  const classes = options.classes ?? Array.from({ length: C }, (_, k) => k);
  if (classes.length === 0) throw new Error(`${OP}: classes is empty; choose at least one of 0..${C - 1}`);
  classes.forEach((k) => {
    if (!Number.isInteger(k) || k < 0 || k >= C) throw new Error(`${OP}: classes has ${k}, which is not a class index in 0..${C - 1} (C = ${C})`);
  });
  if (new Set(classes).size !== classes.length) throw new Error(`${OP}: classes [${classes.join(', ')}] repeats a class`);
  checkIndexTargets(OP, input, target, layout, ignoreIndex);
  // Batch an unbatched (C) input so that the class dim is 1.
  const x = layout.classDim === 0 ? unsqueeze(input, 0) : input;
  const y = layout.classDim === 0 ? unsqueeze(target, 0) : target;
  const keep = ne(y, ignoreIndex);
  const safe = where(keep, y, 0);
  const ids = new Tensor(Int32Array.from({ length: C }, (_, k) => k), [1, C, ...x.shape.slice(2).map(() => 1)]);
  const mask = unsqueeze(keep, 1).to(x.dtype);
  const onehot = mul(eq(unsqueeze(safe, 1), ids).to(x.dtype), mask);
  const p = mul(softmax(x, 1), mask);
  const dims = x.shape.map((_, i) => i).filter((i) => i !== 1);
  const intersection = sum(mul(p, onehot), dims);
  const cardinality = add(sum(p, dims), sum(onehot, dims));
  const dice = div(add(mul(intersection, 2), smooth), add(cardinality, smooth));
  const chosen = new Tensor(Int32Array.from(classes), [classes.length]);
  const loss = indexSelect(sub(1, dice), 0, chosen);
  if (reduction === 'none') return loss;
  return reduction === 'sum' ? sum(loss) : mean(loss);
}

