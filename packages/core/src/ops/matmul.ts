/**
 * matmul(a, b) with torch.matmul's rules: 1-D·1-D is a dot product; a 1-D a gets a leading 1 and a
 * 1-D b a trailing 1 (removed after); batch dims broadcast. For C = A·B:
 *   dA = grad · Bᵀ      dB = Aᵀ · grad      (the engine sums broadcast batch dims)
 *
 * @example
 * matmul(ones([2, 3]), ones([3, 4])).shape // [2, 4]; PyTorch: a @ b
 */
import { allocate, type FloatArray } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { broadcastShapes, formatShape, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { expand } from './expand.js';
import { transpose } from './permute.js';
import { reshape } from './reshape.js';
import { requireFloat } from './util.js';

export function matmul(a: Tensor, b: Tensor): Tensor {
  requireFloat('matmul', 'a', a);
  requireFloat('matmul', 'b', b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: a and b need at least 1 dim each, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.dtype !== b.dtype) throw new Error(`matmul: a is ${a.dtype} but b is ${b.dtype}; convert one with .to()`);
  const a2 = a.ndim === 1 ? reshape(a, [1, a.shape[0]!]) : a;
  const b2 = b.ndim === 1 ? reshape(b, [b.shape[0]!, 1]) : b;
  const y = matmul2(a2, b2);
  const shape = y.shape.slice(0, -2);
  if (a.ndim > 1) shape.push(y.shape[y.ndim - 2]!);
  if (b.ndim > 1) shape.push(y.shape[y.ndim - 1]!);
  return y.ndim === shape.length ? y : reshape(y, shape);
}

/** Both inputs have rank ≥ 2. */
function matmul2(a: Tensor, b: Tensor): Tensor {
  const m = a.shape[a.ndim - 2]!;
  const k = a.shape[a.ndim - 1]!;
  const n = b.shape[b.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== k) {
    throw new Error(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied ` +
        `(a has ${k} columns, b has ${b.shape[b.ndim - 2]} rows)`,
    );
  }
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const y = bmm(a, b, batch, m, n, k, false, false);
  return record(y, 'matmul', [a, b], (grad, needs) => isGradEnabled()
    // Differentiable (createGraph): the same products as matmul ops of transposes.
    ? [needs[0] ? matmul(grad, transpose(b, -1, -2)) : null, needs[1] ? matmul(transpose(a, -1, -2), grad) : null]
    : [needs[0] ? bmm(grad, b, batch, m, k, n, false, true) : null, needs[1] ? bmm(a, grad, batch, k, n, m, true, false) : null], { saved: [...(a.requiresGrad ? [b] : []), ...(b.requiresGrad ? [a] : [])] });
}

/**
 * Not recorded: out[batch] = op(A)·op(B) with op(A) of shape m×k and op(B) k×n. A or B whose batch
 * dims do not match `batch` are expanded first, unless they have no batch (then stride 0).
 */
function bmm(a: Tensor, b: Tensor, batch: number[], m: number, n: number, k: number, transA: boolean, transB: boolean): Tensor {
  const nb = sizeOf(batch);
  const prep = (t: Tensor): [FloatArray, number] => {
    const own = sizeOf(t.shape.slice(0, -2));
    if (own === nb && t.ndim - 2 === batch.length) return [t.data as FloatArray, sizeOf(t.shape.slice(-2))];
    if (own === 1) return [t.data as FloatArray, 0];
    return [expand(t, [...batch, ...t.shape.slice(-2)]).data as FloatArray, sizeOf(t.shape.slice(-2))];
  };
  const [A, sa] = prep(a);
  const [B, sb] = prep(b);
  const out = allocate(a.dtype, nb * m * n) as FloatArray;
  kernels().gemm(A, B, out, { m, n, k, batch: nb, strideA: sa, strideB: sb, strideC: m * n, transA, transB });
  return new Tensor(out, [...batch, m, n]);
}
