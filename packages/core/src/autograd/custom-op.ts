/**
 * customOp: users' own differentiable ops, after PyTorch's `torch.autograd.Function`. `forward` runs
 * without recording and computes the outputs from the arguments (tensors and anything else);
 * `backward` maps one upstream gradient per output to one gradient per argument (null for
 * non-tensors and for inputs that need none). The context carries what the backward needs:
 *   ctx.saveForBackward(...tensors)  the tensors backward reads; their versions are checked (as every op's)
 *   ctx.savedTensors                 them, in backward
 *   ctx.needsInputGrad[i]            whether argument i needs a gradient (skip the others)
 *   ctx.markNonDifferentiable(out)   an output that gets no gradient (indices, masks)
 *   ctx.anything = value             other state (numbers, shapes), as attributes on PyTorch's ctx
 * Upstream gradients of outputs nobody used arrive as zeros (PyTorch's materialize_grads). Build the
 * backward from Tessera ops and it is recorded under createGraph, so gradients of gradients work.
 *
 * @example
 * const square = customOp({
 *   name: 'square',
 *   forward: (ctx, x: Tensor) => { ctx.saveForBackward(x); return x.mul(x); },
 *   backward: (ctx, g) => [g.mul(ctx.savedTensors[0]!).mul(2)],
 * });
 * square(x).sum().backward(); // class Square(torch.autograd.Function) … Square.apply(x)
 */
import { describeValue } from '../args.js';
import { isGradEnabled, noGrad, recordMulti } from '../engine.js';
import { zeros } from '../creation.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The context of one call of a custom op, shared by its forward and its backward. */
export interface FunctionCtx {
  saveForBackward(...tensors: Tensor[]): void;
  readonly savedTensors: readonly Tensor[];
  readonly needsInputGrad: readonly boolean[];
  markNonDifferentiable(...outputs: Tensor[]): void;
  /** Other state for the backward. */
  [key: string]: unknown;
}

type Grads = Tensor | null | undefined | readonly (Tensor | null | undefined)[];

export interface CustomOpDefinition<A extends unknown[], O extends Tensor | readonly Tensor[]> {
  /** The op's name in the graph and in error messages. */
  name: string;
  forward(ctx: FunctionCtx, ...args: A): O;
  /** One upstream gradient per output, in order; returns one gradient per argument. */
  backward(ctx: FunctionCtx, ...grads: Tensor[]): Grads;
}

class Ctx {
  [key: string]: unknown;
  savedTensors: readonly Tensor[] = [];
  needsInputGrad: readonly boolean[];
  nonDifferentiable = new Set<Tensor>();
  constructor(needs: readonly boolean[]) {
    this.needsInputGrad = needs;
  }
  saveForBackward(...tensors: Tensor[]): void {
    tensors.forEach((t, i) => { if (!(t instanceof Tensor)) throw new Error(`saveForBackward: argument ${i} is not a Tensor (keep other state as ctx attributes)`); });
    this.savedTensors = tensors;
  }
  markNonDifferentiable(...outputs: Tensor[]): void {
    for (const t of outputs) this.nonDifferentiable.add(t);
  }
}

export function customOp<A extends unknown[], O extends Tensor | readonly Tensor[]>(def: CustomOpDefinition<A, O>): (...args: A) => O {
  if (def === null || typeof def !== 'object') throw new Error(`customOp: definition must be an object { name, forward, backward }, got ${describeValue(def)}`);
  const { name } = def;
  if (typeof name !== 'string' || name === '') throw new Error(`customOp: name must be a non-empty string, got ${describeValue(name)}`);
  if (typeof def.forward !== 'function' || typeof def.backward !== 'function') throw new Error(`customOp(${name}): forward and backward must be functions`);
  return (...args: A): O => {
    const tensorArgs = args.flatMap((a, i) => (a instanceof Tensor ? [i] : []));
    const inputs = tensorArgs.map((i) => args[i] as Tensor);
    const ctx = new Ctx(args.map((a) => a instanceof Tensor && a.requiresGrad && isGradEnabled()));
    const out = noGrad(() => def.forward(ctx as unknown as FunctionCtx, ...args));
    const single = out instanceof Tensor;
    const returned: readonly Tensor[] = single ? [out] : Array.isArray(out) ? out : [];
    if (returned.length === 0 || !returned.every((t) => t instanceof Tensor)) {
      throw new Error(`${name} forward: must return a Tensor or a non-empty array of Tensors`);
    }
    // An input returned as an output is handed back as a new tensor sharing its data (a view), so its own gradFn stays.
    const outs = returned.map((t) => (inputs.includes(t) ? new Tensor(t.data, t.shape) : t));
    const backward = (grads: readonly (Tensor | null)[], needs: readonly boolean[]): (Tensor | null)[] => {
      ctx.needsInputGrad = args.map((_, i) => tensorArgs.includes(i) && needs[tensorArgs.indexOf(i)]!);
      const gs = grads.map((g, k) => g ?? zeros(outs[k]!.shape, { dtype: outs[k]!.dtype }));
      const r = def.backward(ctx as unknown as FunctionCtx, ...gs);
      const rs = r instanceof Tensor || r === null || r === undefined ? [r] : r;
      if (!Array.isArray(rs) || rs.length !== args.length) {
        throw new Error(`${name} backward: returned ${Array.isArray(rs) ? rs.length : typeof rs} gradients for ${args.length} arguments; return one per forward argument (null for non-tensors and inputs that need none)`);
      }
      rs.forEach((g, i) => {
        if (g !== null && g !== undefined && !(g instanceof Tensor)) throw new Error(`${name} backward: gradient ${i} is ${typeof g}, not a Tensor or null`);
        if (g instanceof Tensor && !tensorArgs.includes(i)) throw new Error(`${name} backward: argument ${i} is not a Tensor, so its gradient must be null`);
      });
      return tensorArgs.map((i) => (rs[i] as Tensor | null | undefined) ?? null);
    };
    for (const t of ctx.nonDifferentiable) {
      if (!returned.includes(t)) throw new Error(`${name}: markNonDifferentiable got a tensor (shape ${formatShape(t.shape)}) that is not an output`);
    }
    const nonDifferentiable = new Set(outs.filter((_, k) => ctx.nonDifferentiable.has(returned[k]!)));
    recordMulti(outs, name, inputs, backward, { saved: ctx.savedTensors, nonDifferentiable });
    return (single ? outs[0] : outs) as O;
  };
}
