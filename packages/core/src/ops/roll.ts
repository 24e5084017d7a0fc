/**
 * roll(x, shifts, dims?): x shifted cyclically by `shifts[i]` positions along `dims[i]` (a number or
 * lists of equal length; a dim may appear twice, its shifts add), as `torch.roll`. Without dims the
 * tensor is rolled as if flattened, then reshaped. Elements shifted past the end come back at the
 * start: out[…, (i + s) mod n, …] = x[…, i, …]. The gradient rolls back:
 *   d/dx = roll(grad, −shifts, dims)
 *
 * @example
 * roll(tensor([1, 2, 3, 4]), 1) // tensor([4, 1, 2, 3]); PyTorch: torch.roll(x, 1)
 * roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]) // PyTorch: torch.roll(x, (1, -1), (0, 1))
 */
import { copyData } from '../dtype.js';
import { record } from '../engine.js';
import { Tensor } from '../tensor.js';
import { dimList, permuteAlong } from './flip.js';
import { assertTensor, requireInteger } from './util.js';

export function roll(x: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
  assertTensor('roll', 'input', x);
  const sh = typeof shifts === 'number' ? [shifts] : shifts;
  if (!Array.isArray(sh)) throw new Error(`roll: shifts must be a number or a list of numbers, got ${JSON.stringify(shifts)}`);
  sh.forEach((s, i) => requireInteger('roll', `shifts[${i}]`, s));
  let y: Tensor;
  if (dims === undefined) {
    if (sh.length !== 1) throw new Error(`roll: without dims, shifts must be one number, got ${JSON.stringify(shifts)}`);
    y = shift(new Tensor(x.data, [x.size]), 0, sh[0]!);
    y = new Tensor(y.data, x.shape);
  } else {
    const ds = dimList('roll', dims, x.ndim);
    if (ds.length !== sh.length) {
      throw new Error(`roll: shifts and dims must have the same length, got ${sh.length} shifts and ${ds.length} dims`);
    }
    y = new Tensor(copyData(x.data), x.shape);
    if (x.ndim > 0) ds.forEach((d, i) => { y = shift(y, d, sh[i]!); });
  }
  const back = sh.map((s) => -s);
  return record(y, 'roll', [x], (grad) => [roll(grad, back, dims)], { saved: [] });
}

/** x rolled by s along dim d: out[i] = x[(i − s) mod n]. */
function shift(x: Tensor, d: number, s: number): Tensor {
  const n = x.shape[d]!;
  if (n === 0) return new Tensor(copyData(x.data), x.shape);
  const k = ((s % n) + n) % n;
  return permuteAlong(x, d, Int32Array.from({ length: n }, (_, i) => (i - k + n) % n));
}
