/**
 * Where gradients meet: un-broadcasting a gradient to its input's shape, summing two gradients of one
 * tensor, and accumulating into `.grad`. Without grad mode these are kernel calls; under createGraph
 * (grad mode on during the walk) they are ops, so the sums are part of the recorded graph too.
 */
import { allocate, allocateEmpty, copyData } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { broadcastsTo, formatShape, shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { flags } from './grad-mode.js';
import { markPlainGrad } from './node.js';

/** Sums `g` down to `shape` (the inverse of broadcasting); throws naming the op when it cannot. */
export function unbroadcast(op: string, index: number, g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  if (!broadcastsTo(shape, g.shape) || sizeOf(g.shape) === 0 && sizeOf(shape) !== 0) {
    throw new Error(
      `${op} backward: gradient for input ${index} has shape ${formatShape(g.shape)}, ` +
        `but the input has shape ${formatShape(shape)}`,
    );
  }
  const lead = g.shape.length - shape.length;
  const reduce = g.shape.map((d, i) => i < lead || (shape[i - lead] === 1 && d !== 1));
  if (flags.grad) {
    // Differentiable (createGraph): the sum op, whose backward is expand.
    const dims = reduce.flatMap((r, i) => (r ? [i] : []));
    return g.sum(dims, { keepdim: true }).reshape(shape);
  }
  const out = allocate(g.dtype, sizeOf(shape));
  kernels().sum(g.data, g.shape, reduce, out);
  return new Tensor(out, shape);
}

export function addGrads(a: Tensor, b: Tensor): Tensor {
  if (flags.grad) return a.add(b);
  const out = allocateEmpty(a.dtype, a.size);
  kernels().binary('add', a.data, a.shape, b.data, b.shape, out, a.shape);
  return new Tensor(out, a.shape);
}

/**
 * Adds g into `.grad`, which the tensor owns (never aliased to a graph tensor): a copy of g, or g's
 * own buffer when `owned` says the backward step created it for this tensor alone. Under createGraph
 * a gradient that is part of a graph is kept as it is and later sums are out of place, as PyTorch's
 * AccumulateGrad does; so is any sum into a `.grad` that is part of a graph.
 */
export function accumulateGrad(t: Tensor, g: Tensor, owned: boolean): void {
  if (t.grad === null) {
    t.grad = g.requiresGrad ? g : new Tensor(owned ? g.data : copyData(g.data), t.shape);
    if (!flags.grad) markPlainGrad(t.grad);
  } else if (flags.grad || t.grad.requiresGrad) {
    t.grad = t.grad.add(g);
    if (!t.grad.requiresGrad) markPlainGrad(t.grad);
  } else {
    kernels().binary('add', t.grad.data, t.shape, g.data, g.shape, t.grad.data, t.shape);
  }
}
