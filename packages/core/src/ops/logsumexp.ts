/**
 * logsumexp(x, dim, { keepdim }) = log Σ_dim exp(x), over one dim or a list of dims, as
 * `torch.logsumexp`. Computed max-shifted for stability, as PyTorch: m = max over the dims (0 where
 * that max is ±∞), y = m + log Σ exp(x − m). So logits of ±1e4 stay finite, a row of −∞ gives −∞,
 * a row with +∞ gives +∞, a NaN gives NaN, and an empty dim gives −∞ (the log of an empty sum).
 * One op over a no-grad composition (fused for stability): recorded, the composition's gradient would
 * also flow through the shift m, where its two paths cancel only up to rounding (and give NaN at ±∞);
 * the op's own gradient is softmax directly.
 *   d/dx = grad · exp(x − y)   (softmax over the dims; as PyTorch, NaN at a +∞ entry)
 *
 * @example
 * logsumexp(tensor([[0, Math.log(3)]]), 1) // tensor([1.3863]) = log(1 + 3); PyTorch: torch.logsumexp(x, 1)
 */
import { noGrad, record } from '../engine.js';
import { full } from '../creation.js';
import { normalizeDims } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, mul, sub } from './arithmetic.js';
import { eq } from './compare.js';
import { max } from './max.js';
import { reshape } from './reshape.js';
import { sum } from './sum.js';
import { abs, exp, log } from './unary-math.js';
import { requireFloat } from './util.js';
import { where } from './where.js';
import { checkBool, checkOptions } from '../args.js';

export interface LogsumexpOptions {
  keepdim?: boolean;
}

export function logsumexp(x: Tensor, dim: number | readonly number[], options: LogsumexpOptions = {}): Tensor {
  const op = 'logsumexp';
  checkOptions(op, options, ['keepdim']);
  checkBool(op, 'keepdim', options.keepdim);
  requireFloat(op, 'input', x);
  if (dim === undefined || dim === null || (typeof dim !== 'number' && !Array.isArray(dim))) {
    throw new Error(`${op}: dim must be a number or a list of numbers, got ${String(dim)}`);
  }
  if (typeof dim !== 'number' && dim.length === 0) throw new Error(`${op}: dim must name at least one dim, got []`);
  const dims = normalizeDims(op, dim, x.ndim);
  const keptShape = x.shape.map((d, i) => (dims.includes(i) ? 1 : d));
  const outShape = options.keepdim ? keptShape : x.shape.filter((_, i) => !dims.includes(i));
  const y = noGrad(() => {
    if (x.size === 0) return full(outShape, -Infinity, { dtype: x.dtype });
    let m = x;
    for (const d of dims) m = max(m, d, { keepdim: true });
    m = where(eq(abs(m), Infinity), 0, m); // as PyTorch: an infinite max shifts by 0
    return reshape(add(log(sum(exp(sub(x, m)), dims, { keepdim: true })), m), outShape, true);
  });
  return record(y, op, [x], (grad) => [mul(reshape(grad, keptShape), exp(sub(x, reshape(y, keptShape))))], { saved: [x, y] });
}
