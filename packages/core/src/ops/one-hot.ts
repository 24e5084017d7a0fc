/**
 * oneHot(x, { numClasses = −1 }): int32 class indices of any shape → int32 one-hot vectors of shape
 * [...x.shape, numClasses], 1 at each index and 0 elsewhere, as `F.one_hot`. With numClasses −1 it is
 * max(x) + 1. Not differentiable (integer input and output). Computed as eq(x.unsqueeze(−1), arange(C)).
 *
 * @example
 * oneHot(tensor([0, 2], { dtype: 'int32' }), { numClasses: 3 }) // tensor([[1, 0, 0], [0, 0, 1]], dtype=int32)
 * // PyTorch: F.one_hot(x, num_classes=3)
 */
import { arange } from '../creation.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { eq } from './compare.js';
import { unsqueeze } from './reshape.js';
import { requireInt } from './util.js';
import { checkOptions } from '../args.js';

export interface OneHotOptions {
  /** The number of classes (default −1: max(x) + 1, which needs a non-empty x). */
  numClasses?: number;
}

export function oneHot(x: Tensor, options: OneHotOptions = {}): Tensor {
  const op = 'oneHot';
  checkOptions(op, options, ['numClasses']);
  requireInt(op, 'input', x);
  const { numClasses = -1 } = options;
  if (!Number.isInteger(numClasses) || numClasses < -1) throw new Error(`${op}: numClasses must be an integer >= -1, got ${numClasses}`);
  const v = x.data;
  let hi = -1;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c < 0) throw new Error(`${op}: class values must be non-negative; got ${c} at position ${i} of input ${formatShape(x.shape)}`);
    if (numClasses !== -1 && c >= numClasses) {
      throw new Error(`${op}: class value ${c} at position ${i} of input ${formatShape(x.shape)} is not smaller than numClasses (${numClasses})`);
    }
    if (c > hi) hi = c;
  }
  if (numClasses === -1 && v.length === 0) {
    throw new Error(`${op}: cannot infer numClasses from an empty input (shape ${formatShape(x.shape)}); pass { numClasses }`);
  }
  const c = numClasses === -1 ? hi + 1 : numClasses;
  return eq(unsqueeze(x, -1), arange(0, c, 1, { dtype: 'int32' }));
}
