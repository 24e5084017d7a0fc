/**
 * The graph: `record` attaches a node to an op's output when grad mode is on and an input requires a
 * gradient. A node holds the op's name, its inputs, its backward closure and the tensors that closure
 * reads (declared with `saved`), with their versions at record time; backward checks them before
 * running the closure and throws, naming the op and the tensor, when one was modified in place.
 */
import { opTimer } from '../profiler.js';
import { formatShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { captureStack, checkForward, checksum } from './anomaly.js';
import { flags } from './grad-mode.js';
import { versionOf } from './versions.js';

/** Every op that records a backward. A new op must be added here, so the union documents the graph. */
export type OpName =
  | 'add' | 'sub' | 'mul' | 'div' | 'neg' | 'pow'
  | 'exp' | 'log' | 'sqrt' | 'abs' | 'log1p' | 'expm1' | 'sin' | 'cos' | 'erf' | 'softplus' | 'gelu'
  | 'relu' | 'leakyRelu' | 'sigmoid' | 'tanh' | 'clamp' | 'where' | 'maximum' | 'minimum'
  | 'sum' | 'max' | 'min' | 'logsumexp' | 'cumsum'
  | 'reshape' | 'permute' | 'expand' | 'slice' | 'indexSelect' | 'gather' | 'cat' | 'pad' | 'flip' | 'roll'
  | 'matmul' | 'softmax' | 'logSoftmax' | 'cast'
  | 'crossEntropy' | 'nllLoss' | 'binaryCrossEntropyWithLogits'
  | 'conv2d' | 'conv2dRelu' | 'convTranspose2d' | 'maxPool2d' | 'avgPool2d' | 'interpolate' | 'batchNorm' | 'batchNormRelu' | 'dropout'
  | 'layerNorm' | 'groupNorm' | 'mseLoss' | 'l1Loss' | 'smoothL1Loss'
  // Fused backward kernels as ops of their own, each with its own backward (so createGraph works to any order)
  | 'reluBackward' | 'sliceBackward' | 'indexSelectBackward' | 'gatherBackward'
  | 'maxPool2dBackward' | 'avgPool2dBackward' | 'interpolateBackward' | 'conv2dInputGrad' | 'conv2dWeightGrad';

/**
 * Tessera's own ops, at run time: their backward closures keep neither their upstream gradient nor
 * what they return, so the engine may reuse that memory once it is consumed (walk.ts). A user's op
 * (any other name) is never assumed to. TypeScript asks for a new OpName here too.
 */
const BUILT_IN: Record<OpName, true> = {
  add: true, sub: true, mul: true, div: true, neg: true, pow: true, exp: true, log: true, sqrt: true, abs: true,
  log1p: true, expm1: true, sin: true, cos: true, erf: true, softplus: true, gelu: true, relu: true, leakyRelu: true,
  sigmoid: true, tanh: true, clamp: true, where: true, maximum: true, minimum: true, sum: true, max: true, min: true,
  logsumexp: true, cumsum: true, reshape: true, permute: true, expand: true, slice: true, indexSelect: true,
  gather: true, cat: true, pad: true, flip: true, roll: true, matmul: true, softmax: true, logSoftmax: true,
  cast: true, crossEntropy: true, nllLoss: true, binaryCrossEntropyWithLogits: true, conv2d: true, conv2dRelu: true,
  convTranspose2d: true, maxPool2d: true, avgPool2d: true, interpolate: true, batchNorm: true, batchNormRelu: true,
  dropout: true, layerNorm: true, groupNorm: true, mseLoss: true, l1Loss: true, smoothL1Loss: true, reluBackward: true,
  sliceBackward: true, indexSelectBackward: true, gatherBackward: true, maxPool2dBackward: true,
  avgPool2dBackward: true, interpolateBackward: true, conv2dInputGrad: true, conv2dWeightGrad: true,
};

/** Whether `op` is one of Tessera's own ops (see BUILT_IN). */
export function isBuiltInOp(op: string): boolean {
  return Object.hasOwn(BUILT_IN, op);
}

/** Users' own ops (built with `record` or `customOp`) may use any other name. */
export type CustomOpName = string & {};

/**
 * Maps the upstream gradient (shape of the output) to one gradient per input, in input order.
 * `needs[i]` says whether input i wants a gradient; return null for those that do not.
 * A returned gradient may have any shape that the input broadcasts to; the engine sums it down.
 * It runs with grad mode off, or on under `createGraph` (then it must be built from ops).
 */
export type BackwardFn = (grad: Tensor, needs: readonly boolean[]) => readonly (Tensor | null)[];

/** The backward of a node with several outputs: one upstream gradient per output (null: none arrived). */
export type MultiBackwardFn = (grads: readonly (Tensor | null)[], needs: readonly boolean[]) => readonly (Tensor | null)[];

export interface RecordOptions {
  /**
   * Every tensor the backward reads (inputs, the output, …): their versions are checked at backward.
   * Tensors the op made for itself and nobody else can reach need not be listed.
   */
  readonly saved: readonly Tensor[];
}

export class GradNode {
  /** null once freed by a backward without `retainGraph` (as `backwardMulti`, for several outputs). */
  backward: BackwardFn | null;
  backwardMulti: MultiBackwardFn | null = null;
  /** Number of outputs (1 but for custom ops with several). */
  outputs = 1;
  /** The declared saved tensors and their versions at record time (null once freed). */
  saved: readonly Tensor[] | null;
  savedVersions: readonly number[] | null;
  /** Anomaly mode: the saved tensors' checksums and the stack where the op was created. */
  checksums: readonly number[] | null = null;
  stack: string | null = null;

  constructor(readonly op: OpName | CustomOpName, readonly inputs: readonly Tensor[], backward: BackwardFn | null, saved: readonly Tensor[]) {
    this.backward = backward;
    this.saved = saved;
    this.savedVersions = saved.length === 0 ? saved as readonly never[] : saved.map(versionOf);
    if (flags.anomaly) {
      this.stack = captureStack();
      this.checksums = saved.map(checksum);
    }
  }

  /** Drops the closure and the saved tensors (a second backward then says so, naming the op). */
  release(): void {
    this.backward = null;
    this.backwardMulti = null;
    this.saved = null;
    this.savedVersions = null;
    this.checksums = null;
  }

  get released(): boolean {
    return this.backward === null && this.backwardMulti === null;
  }

  /** "input 1 (float64 of shape [2, 3])", "its output (…)" or "saved tensor 2 (…)", for messages. */
  describeSaved(k: number): string {
    const t = this.saved![k]!;
    const i = this.inputs.indexOf(t);
    const j = this.inputs.findIndex((x) => x.data === t.data);
    const what = i >= 0 ? `input ${i}` : j >= 0 ? `input ${j} (a view of it)` : t.gradFn === this ? 'its output' : `saved tensor ${k}`;
    return `${what} (${t.dtype} of shape ${formatShape(t.shape)})`;
  }
}

/** Tensors that are gradients computed without createGraph, and tensors computed from them. */
const plainGrads = new WeakSet<Tensor>();
let plainGradsMade = false;

/** Marks a gradient made without createGraph (so a backward from it can say why it cannot run). */
export function markPlainGrad(t: Tensor): void {
  plainGrads.add(t);
  plainGradsMade = true;
}

export function isPlainGrad(t: Tensor): boolean {
  return plainGrads.has(t);
}

function requiresAny(inputs: readonly Tensor[]): boolean {
  for (let i = 0; i < inputs.length; i++) if (inputs[i]!.requiresGrad) return true;
  return false;
}

/**
 * Attaches a backward to `out` when grad mode is on and some input requires a gradient; returns `out`.
 * `saved` lists every tensor the backward reads (see RecordOptions).
 *
 * @example
 * // d(a*b)/da = grad * b ; d(a*b)/db = grad * a
 * return record(out, 'mul', [a, b], (grad) => [mul(grad, b), mul(grad, a)], { saved: [a, b] });
 */
export function record(out: Tensor, op: OpName | CustomOpName, inputs: readonly Tensor[], backward: BackwardFn, options: RecordOptions): Tensor {
  opTimer()?.forwardDone(op);
  if (flags.anomaly) checkForward(out, op, inputs);
  if (!flags.grad) return out;
  if (!requiresAny(inputs)) {
    if (plainGradsMade && inputs.some(isPlainGrad)) plainGrads.add(out);
    return out;
  }
  out.requiresGrad = true;
  out.gradFn = new GradNode(op, inputs, backward, options.saved);
  return out;
}

/** The output index of tensors made by nodes with several outputs (absent: 0). */
const outputIndex = new WeakMap<Tensor, number>();

export function outputIndexOf(t: Tensor): number {
  return t.gradFn !== null && t.gradFn.outputs > 1 ? outputIndex.get(t) ?? 0 : 0;
}

/**
 * `record` for an op with several outputs (custom ops): `outs[i]` gets the node as its gradFn, and
 * `backward` receives one upstream gradient per output. Outputs listed in `nonDifferentiable` get none.
 */
export function recordMulti(
  outs: readonly Tensor[], op: OpName | CustomOpName, inputs: readonly Tensor[], backward: MultiBackwardFn,
  options: RecordOptions & { nonDifferentiable?: ReadonlySet<Tensor> },
): readonly Tensor[] {
  opTimer()?.forwardDone(op);
  if (flags.anomaly) for (const out of outs) checkForward(out, op, inputs);
  if (!flags.grad || !requiresAny(inputs)) return outs;
  const node = new GradNode(op, inputs, null, options.saved);
  node.backwardMulti = backward;
  node.outputs = outs.length;
  outs.forEach((out, i) => {
    if (options.nonDifferentiable?.has(out)) return;
    out.requiresGrad = true;
    out.gradFn = node;
    outputIndex.set(out, i);
  });
  return outs;
}
