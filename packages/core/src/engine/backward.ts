/**
 * The two ways to run backward, as PyTorch's: `backward(root)` adds the gradients into the `.grad`
 * of the leaves (or of `inputs`), and `grad(outputs, inputs)` returns them without touching `.grad`
 * (torch.autograd.grad). Both take `createGraph` (record the backward itself, so gradients of
 * gradients work) and `retainGraph` (keep the saved tensors for another backward; it defaults to
 * createGraph, as in PyTorch).
 *
 * @example
 * const [gx] = grad(y, [x], { createGraph: true }); // torch.autograd.grad(y, [x], create_graph=True)
 * gx.sum().backward();                               // x.grad now holds a second derivative
 */
import { checkBool, checkOptions, describeValue } from '../args.js';
import { allocate, isFloatDType } from '../dtype.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';
import { isPlainGrad } from './node.js';
import { walk } from './walk.js';

export interface BackwardOptions {
  /** Keep the saved tensors so that backward can run through the graph again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass, so that the gradients can be differentiated (default false). */
  createGraph?: boolean;
  /** Accumulate only into these tensors' `.grad` (leaves or not), as PyTorch's `inputs`. */
  inputs?: Tensor | readonly Tensor[];
}

export interface GradOptions {
  /** The gradient of each output ("vector" of the vector-Jacobian product); default 1 for scalars. */
  gradOutputs?: Tensor | null | readonly (Tensor | null)[];
  retainGraph?: boolean;
  createGraph?: boolean;
  /** Return null for an input no gradient reaches instead of throwing (default false). */
  allowUnused?: boolean;
}

const NO_GRAD_HINT =
  'To differentiate a gradient, compute it with { createGraph: true } (x.backward(undefined, { createGraph: true }) or ' +
  'grad(y, x, { createGraph: true })). Otherwise, set requiresGrad on a leaf it is computed from';

function describe(t: Tensor): string {
  return `${t.dtype} of shape ${formatShape(t.shape)}`;
}

/** The gradient backward starts from: 1 for a scalar, else `grad`, checked and cast to the output's dtype. */
function seedFor(fn: string, what: string, root: Tensor, grad: Tensor | null | undefined): Tensor {
  if (!(root instanceof Tensor)) throw new Error(`${fn}: ${what} must be a Tensor, got ${describeValue(root)}`);
  if (!root.requiresGrad) {
    const why = isPlainGrad(root)
      ? `it is a gradient (or is computed from one) that a backward made without { createGraph: true }, so it has no graph. ${NO_GRAD_HINT}`
      : `none of the tensors it is computed from requires grad. ${NO_GRAD_HINT}`;
    throw new Error(`${fn}: ${what} (${describe(root)}) does not require grad and has no gradFn: ${why}`);
  }
  if (grad === undefined || grad === null) {
    if (root.size !== 1) {
      throw new Error(
        `${fn}: a gradient can be created implicitly only for a scalar output; got shape ${formatShape(root.shape)}. ` +
          `Pass ${fn === 'backward' ? 'backward(grad)' : 'gradOutputs'} with a gradient of that shape`,
      );
    }
    return new Tensor(allocate(root.dtype, 1).fill(1), root.shape);
  }
  const arg = fn === 'backward' ? 'grad' : 'gradOutputs';
  if (!(grad instanceof Tensor)) throw new Error(`${fn}: ${arg} (the gradient of ${what}) must be a Tensor, got ${describeValue(grad)}`);
  if (!shapesEqual(grad.shape, root.shape)) {
    throw new Error(`${fn}: ${arg} has shape ${formatShape(grad.shape)}, but ${what} has shape ${formatShape(root.shape)}`);
  }
  if (!isFloatDType(grad.dtype)) throw new Error(`${fn}: ${arg} must be a float tensor, got ${grad.dtype}`);
  // As PyTorch: the seed is cast to the output's dtype (else a leaf's .grad would take its dtype).
  return grad.dtype === root.dtype ? grad : grad.to(root.dtype);
}

function list(fn: string, what: string, v: Tensor | readonly Tensor[]): readonly Tensor[] {
  const items = v instanceof Tensor ? [v] : v;
  if (!Array.isArray(items) || items.length === 0) throw new Error(`${fn}: ${what} must be a Tensor or a non-empty array of Tensors`);
  items.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`${fn}: ${what}[${i}] must be a Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  return items;
}

/** Computes gradients of `root` and adds them into `.grad` of every leaf that requires one (or of `inputs`). */
export function backward(root: Tensor, grad?: Tensor | null, options: BackwardOptions = {}): void {
  checkOptions('backward', options, ['retainGraph', 'createGraph', 'inputs']);
  checkBool('backward', 'retainGraph', options.retainGraph);
  checkBool('backward', 'createGraph', options.createGraph);
  const seed = seedFor('backward', 'the tensor', root, grad);
  const createGraph = options.createGraph ?? false;
  let targets: readonly Tensor[] | null = null;
  if (options.inputs !== undefined) {
    targets = list('backward', 'inputs', options.inputs);
    targets.forEach((t, i) => {
      if (!t.requiresGrad) throw new Error(`backward: inputs[${i}] (${describe(t)}) does not require grad`);
    });
  }
  walk([root], [seed], { createGraph, retainGraph: options.retainGraph ?? createGraph, targets, accumulate: true });
}

/**
 * The gradients of `outputs` (summed, each weighted by its gradOutput) with respect to `inputs`,
 * returned in input order; `.grad` is left alone. One input gives one gradient, an array an array.
 */
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor, options?: GradOptions & { allowUnused?: false }): Tensor;
export function grad(outputs: Tensor | readonly Tensor[], inputs: readonly Tensor[], options?: GradOptions & { allowUnused?: false }): Tensor[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor, options: GradOptions): Tensor | null;
export function grad(outputs: Tensor | readonly Tensor[], inputs: readonly Tensor[], options: GradOptions): (Tensor | null)[];
export function grad(outputs: Tensor | readonly Tensor[], inputs: Tensor | readonly Tensor[], options: GradOptions = {}): Tensor | null | (Tensor | null)[] {
  checkOptions('grad', options, ['gradOutputs', 'retainGraph', 'createGraph', 'allowUnused']);
  for (const k of ['retainGraph', 'createGraph', 'allowUnused'] as const) checkBool('grad', k, options[k]);
  const outs = list('grad', 'outputs', outputs);
  const ins = list('grad', 'inputs', inputs);
  const g = options.gradOutputs;
  if (g !== undefined && g !== null && !(g instanceof Tensor) && !Array.isArray(g)) {
    throw new Error(`grad: gradOutputs must be a Tensor, null or an array of them, got ${describeValue(g)}`);
  }
  const gradOuts: readonly (Tensor | null)[] = g === undefined || g === null ? outs.map(() => null) : g instanceof Tensor ? [g] : g;
  if (gradOuts.length !== outs.length) {
    throw new Error(`grad: got ${gradOuts.length} gradOutputs for ${outs.length} outputs; give one per output (null for the default 1 of a scalar)`);
  }
  const seeds = outs.map((o, i) => seedFor('grad', outs.length === 1 ? 'the output' : `outputs[${i}]`, o, gradOuts[i]));
  ins.forEach((t, i) => {
    if (!t.requiresGrad) throw new Error(`grad: inputs[${i}] (${describe(t)}) does not require grad, so it has no gradient`);
  });
  const createGraph = options.createGraph ?? false;
  const got = walk(outs, seeds, { createGraph, retainGraph: options.retainGraph ?? createGraph, targets: ins, accumulate: false });
  const result = ins.map((t, i) => {
    const r = got.get(t) ?? null;
    if (r === null && !options.allowUnused) {
      throw new Error(
        `grad: inputs[${i}] (${describe(t)}) was not used to compute the outputs (no gradient reaches it). ` +
          `Pass { allowUnused: true } to get null for it`,
      );
    }
    return r;
  });
  return inputs instanceof Tensor ? result[0]! : result;
}
