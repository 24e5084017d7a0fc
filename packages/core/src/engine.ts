/**
 * Reverse-mode autograd. Ops call `record` with their output, their inputs and a backward closure
 * that maps the upstream gradient to one gradient per input (or null). Everything else lives here,
 * once: the topological walk (iterative, so deep graphs do not overflow the stack), un-broadcasting
 * each gradient to its input's shape, checking that shape and dtype, naming the op when they are
 * wrong, accumulating into `.grad`, and freeing saved tensors after backward.
 */
import { allocate, trackAllocations, isFloatDType } from './dtype.js';
import { kernels } from './kernels/index.js';
import { opTimer } from './profiler.js';
import { broadcastsTo, formatShape, shapesEqual, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';

/** Every op that records a backward. A new op must be added here, so the union documents the graph. */
export type OpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'pow'
  | 'exp' | 'log' | 'sqrt' | 'abs'
  | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'clamp' | 'where' | 'maximum' | 'minimum'
  | 'sum' | 'max' | 'min'
  | 'reshape' | 'permute' | 'expand' | 'slice' | 'indexSelect' | 'gather' | 'cat' | 'pad'
  | 'matmul' | 'softmax' | 'logSoftmax' | 'cast'
  | 'crossEntropy' | 'nllLoss' | 'binaryCrossEntropyWithLogits'
  | 'conv2d' | 'conv2dRelu' | 'convTranspose2d' | 'maxPool2d' | 'avgPool2d' | 'interpolate' | 'batchNorm' | 'batchNormRelu' | 'dropout';

/**
 * Maps the upstream gradient (shape of the output) to one gradient per input, in input order.
 * `needs[i]` says whether input i wants a gradient; return null for those that do not.
 * A returned gradient may have any shape that the input broadcasts to; the engine sums it down.
 */
export type BackwardFn = (grad: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];

/** Users' own ops (built with `record`) may use any other name. */
export type CustomOpName = string & {};

export interface GradNode {
  readonly op: OpName | CustomOpName;
  readonly inputs: readonly Tensor[];
  /** null once the graph has been freed by a backward without `retainGraph`. */
  backward: BackwardFn | null;
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs `fn` without recording a graph, as `torch.no_grad()`. */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Runs `fn` with recording on, as `torch.enable_grad()`. */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Attaches a backward to `out` when grad mode is on and some input requires a gradient. */
export function record(out: Tensor, op: OpName | CustomOpName, inputs: readonly Tensor[], backward: BackwardFn): Tensor {
  opTimer()?.forwardDone(op);
  if (!gradEnabled || !inputs.some((t) => t.requiresGrad)) return out;
  out.requiresGrad = true;
  out.gradFn = { op, inputs, backward };
  return out;
}

export interface BackwardOptions {
  /** Keep saved tensors so that backward can run through the graph again. */
  retainGraph?: boolean;
}

/** Sums `g` down to `shape` (the inverse of broadcasting); throws naming the op when it cannot. */
export function unbroadcast(op: string, index: number, g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  if (!broadcastsTo(shape, g.shape) || sizeOf(g.shape) === 0 && sizeOf(shape) !== 0) {
    throw new Error(
      `${op} backward: gradient for input ${index} has shape ${formatShape(g.shape)}, ` +
        `but the input has shape ${formatShape(shape)}`,
    );
  }
  const rank = g.shape.length;
  const reduce = g.shape.map((d, i) => {
    const j = i - (rank - shape.length);
    return j < 0 || (shape[j] === 1 && d !== 1);
  });
  const out = allocate(g.dtype, sizeOf(shape));
  kernels().sum(g.data, g.shape, reduce, out);
  return new Tensor(out, shape);
}

/** Topological order of the non-leaf tensors reachable from `root`, root first. Iterative DFS. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, number][] = [[root, 0]];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, i] = top;
    const inputs = t.gradFn?.inputs ?? [];
    if (i < inputs.length) {
      top[1] = i + 1;
      const child = inputs[i]!;
      if (child.gradFn && !visited.has(child)) {
        visited.add(child);
        stack.push([child, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/** Computes gradients of `root` with respect to every leaf that requires them. */
export function backward(root: Tensor, grad?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error(`backward: the tensor of shape ${formatShape(root.shape)} does not require grad and has no gradFn`);
  }
  let seed: Tensor;
  if (grad === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a gradient can be created implicitly only for a scalar output; got shape ${formatShape(root.shape)}. ` +
          `Pass backward(grad) with a gradient of that shape`,
      );
    }
    seed = new Tensor(allocate(root.dtype, 1).fill(1), root.shape);
  } else {
    if (!shapesEqual(grad.shape, root.shape)) {
      throw new Error(`backward: grad has shape ${formatShape(grad.shape)}, but the output has shape ${formatShape(root.shape)}`);
    }
    if (!isFloatDType(grad.dtype)) throw new Error(`backward: grad must be a float tensor, got ${grad.dtype}`);
    seed = grad;
    if (grad.dtype !== root.dtype) {
      // As PyTorch: the seed is cast to the output's dtype (else a leaf's .grad would take its dtype).
      const data = allocate(root.dtype, grad.size);
      data.set(grad.data);
      seed = new Tensor(data, grad.shape);
    }
  }
  if (!root.gradFn) {
    accumulateLeaf(root, seed);
    return;
  }
  const order = topoOrder(root);
  const grads = new Map<Tensor, Tensor>([[root, seed]]);
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    for (const t of order) {
      const node = t.gradFn!;
      const g = grads.get(t);
      grads.delete(t);
      if (!g) continue;
      if (!node.backward) {
        throw new Error(
          `backward: trying to backward through the graph a second time (op '${node.op}'); its saved tensors ` +
            `were freed by the first backward. Pass { retainGraph: true } to the first backward`,
        );
      }
      const needs = node.inputs.map((x) => x.requiresGrad);
      // Buffers allocated by this step (the closure, un-broadcasting, casts): a gradient in one of
      // them that no other input's gradient shares belongs to nobody else, so a leaf may keep it.
      const created = new Set<ArrayBufferLike>();
      const outer = trackAllocations(created);
      const gis: (Tensor | null)[] = [];
      const timer = opTimer();
      timer?.backwardNode(node.op, true);
      try {
        const results = node.backward(g, needs);
        if (results.length !== node.inputs.length) {
          throw new Error(`${node.op} backward: returned ${results.length} gradients for ${node.inputs.length} inputs`);
        }
        for (let i = 0; i < results.length; i++) {
          const input = node.inputs[i]!;
          const r = results[i];
          if (!input.requiresGrad || r === null || r === undefined) { gis.push(null); continue; }
          if (!isFloatDType(r.dtype)) {
            throw new Error(`${node.op} backward: gradient for input ${i} has dtype ${r.dtype}; gradients must be float`);
          }
          let gi = unbroadcast(node.op, i, r, input.shape);
          if (gi.dtype !== input.dtype) gi = gi.to(input.dtype);
          gis.push(gi);
        }
      } finally {
        trackAllocations(outer);
      }
      for (let i = 0; i < gis.length; i++) {
        const gi = gis[i];
        if (!gi) continue;
        const input = node.inputs[i]!;
        if (input.gradFn) {
          const prevG = grads.get(input);
          grads.set(input, prevG ? addTensors(prevG, gi) : gi);
        } else {
          const buf = gi.data.buffer;
          const owned = created.has(buf) && gi.data.byteLength === buf.byteLength
            && gis.every((o, j) => j === i || !o || o.data.buffer !== buf);
          accumulateLeaf(input, gi, owned);
        }
      }
      timer?.backwardNode(node.op, false);
      if (!options.retainGraph) node.backward = null;
    }
  } finally {
    gradEnabled = prev;
  }
}

function addTensors(a: Tensor, b: Tensor): Tensor {
  const out = allocate(a.dtype, a.size);
  kernels().binary('add', a.data, a.shape, b.data, b.shape, out, a.shape);
  return new Tensor(out, a.shape);
}

/**
 * Leaf gradients accumulate in `.grad`, which the leaf owns (never aliased to a graph tensor): a
 * copy of g, or g's own buffer when `owned` says the backward step created it for this leaf alone.
 */
function accumulateLeaf(leaf: Tensor, g: Tensor, owned = false): void {
  if (leaf.grad === null) {
    leaf.grad = new Tensor(owned ? g.data : g.data.slice(), leaf.shape);
  } else {
    kernels().binary('add', leaf.grad.data, leaf.shape, g.data, g.shape, leaf.grad.data, leaf.shape);
  }
}
