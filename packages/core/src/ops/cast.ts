import { checkDType } from '../args.js';
import { allocateEmpty, isFloatDType, type DType } from '../dtype.js';
import { record } from '../engine.js';
import { Tensor } from '../tensor.js';
import { assertTensor } from './util.js';

/**
 * A copy of `x` in `dtype`. Between float dtypes the gradient is cast back: d/dx = grad.to(x.dtype).
 * Casting to int32 truncates toward zero, as PyTorch, and is not differentiable.
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', 'input', x);
  checkDType('cast', 'dtype', dtype, false);
  const out = allocateEmpty(dtype, x.size);
  if (dtype === 'int32') for (let i = 0; i < x.size; i++) out[i] = Math.trunc(x.data[i]!);
  else out.set(x.data);
  const y = new Tensor(out, x.shape);
  if (!isFloatDType(dtype)) return y;
  return record(y, 'cast', [x], (grad) => [grad.to(x.dtype)], { saved: [] });
}
