/**
 * Constant padding, as `F.pad(x, pad, value=value)`: `pad` lists (before, after) pairs starting from
 * the LAST dim. Negative amounts crop. Composed from cat (with constant blocks) and narrow, so the
 * backward needs no code of its own: the gradient of the padding blocks is dropped, the interior passes.
 *
 * @example
 * pad(ones([1, 2]), [1, 1]) // [[0, 1, 1, 0]]; PyTorch: F.pad(x, (1, 1))
 */
import { checkNumber, checkOptions, describeValue, isList } from '../args.js';
import { full } from '../creation.js';
import type { Tensor } from '../tensor.js';
import { cat } from './cat.js';
import { narrow } from './slice.js';
import { assertTensor, requireInteger } from './util.js';

export interface PadOptions {
  value?: number;
}

export function pad(x: Tensor, amounts: readonly number[], options: PadOptions = {}): Tensor {
  assertTensor('pad', 'input', x);
  checkOptions('pad', options, ['value']);
  checkNumber('pad', 'value', options.value, { infinite: true });
  const value = options.value ?? 0;
  if (!isList(amounts)) throw new Error(`pad: amounts must be a list of integers, got ${describeValue(amounts)}`);
  if (amounts.length % 2 !== 0 || amounts.length / 2 > x.ndim) {
    throw new Error(`pad: amounts must have an even length of at most 2 × rank (${2 * x.ndim}), got ${JSON.stringify(amounts)}`);
  }
  amounts.forEach((a, i) => requireInteger('pad', `amounts[${i}]`, a));
  let y = x;
  for (let k = 0; k < amounts.length / 2; k++) {
    const d = x.ndim - 1 - k;
    const before = amounts[2 * k]!;
    const after = amounts[2 * k + 1]!;
    if (before < 0 || after < 0) {
      const size = y.shape[d]!;
      const lo = Math.max(0, -before);
      const hi = Math.max(0, -after);
      if (lo + hi > size) throw new Error(`pad: amounts ${JSON.stringify(amounts)} crop ${lo} + ${hi} from dim ${d} of size ${size}`);
      y = narrow(y, d, lo, size - lo - hi);
    }
    const parts: Tensor[] = [];
    const block = (n: number): Tensor => full(y.shape.map((s, j) => (j === d ? n : s)), value, { dtype: x.dtype });
    if (before > 0) parts.push(block(before));
    parts.push(y);
    if (after > 0) parts.push(block(after));
    if (parts.length > 1) y = cat(parts, d);
  }
  return y === x ? x.clone() : y;
}
