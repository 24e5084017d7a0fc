/**
 * Function transforms over the engine, after JAX and `torch.autograd.functional`:
 *   valueAndGrad(f, { argnums })(...args) = [f(...args), ∂f/∂args[argnums]]     (f returns a scalar)
 *   vjp(f, inputs, v) = [f(inputs), vᵀ·J]          jvp(f, inputs, v) = [f(inputs), J·v]
 *   hvp(f, inputs, v) = [f(inputs), H·v]           (f scalar; computed as vᵀ·H, equal for a symmetric H)
 * Inputs that do not require grad are differentiated through a leaf sharing their data; inputs that do
 * stay connected, so transforms nest (`valueAndGrad` of a function that calls `valueAndGrad`) and an
 * outer backward sees through them. `createGraph` (default: whether an input requires grad) records
 * the gradient's own graph; without it results come back detached. An output that does not depend on
 * an input gives zeros for it, as PyTorch's strict=False. jvp uses the double-vjp trick (reverse over
 * reverse): J·v = ∂/∂u ⟨vᵀ, Jᵀu⟩.
 *
 * @example
 * const [loss, g] = valueAndGrad((w: Tensor) => w.mul(w).sum())(w0); // jax.value_and_grad(f)(w0)
 * const [y, hv] = hvp((x) => x.pow(3).sum(), x0, v);                 // torch.autograd.functional.hvp
 */
import { checkBool, checkFunction, checkOptions, describeValue } from '../args.js';
import { zerosLike } from '../creation.js';
import { enableGrad, grad } from '../engine.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface FunctionalOptions {
  /** Record the result's graph so it can be differentiated again (default: whether an input requires grad). */
  createGraph?: boolean;
}

type Tensors = Tensor | readonly Tensor[];
type Same<T extends Tensors> = T extends Tensor ? Tensor : Tensor[];

/** f must be a function and options an object of known keys (PyTorch: TypeError on an unexpected keyword). */
function checkCall(fn: string, f: unknown, options: unknown, keys: readonly string[] = ['createGraph']): void {
  checkFunction(fn, 'f', f);
  checkOptions(fn, options, keys);
  checkBool(fn, 'createGraph', (options as FunctionalOptions | undefined)?.createGraph);
}

function list(fn: string, what: string, v: Tensors): Tensor[] {
  const items = v instanceof Tensor ? [v] : Array.isArray(v) ? [...v] : null;
  if (!items || items.length === 0) throw new Error(`${fn}: ${what} must be a Tensor or a non-empty array of Tensors`);
  items.forEach((t, i) => { if (!(t instanceof Tensor)) throw new Error(`${fn}: ${what}[${i}] must be a Tensor, got ${t === null ? 'null' : typeof t}`); });
  return items;
}

/** The tensor to differentiate with respect to: t itself when it is part of a graph, else a leaf sharing its data. */
function primal(fn: string, t: Tensor, i: number): Tensor {
  if (t.requiresGrad) return t;
  if (t.dtype === 'int32') throw new Error(`${fn}: input ${i} is int32 (shape ${formatShape(t.shape)}); only float tensors can be differentiated`);
  return new Tensor(t.data, t.shape, true);
}

function shaped<T extends Tensors>(like: T, items: Tensor[]): Same<T> {
  return (like instanceof Tensor ? items[0]! : items) as Same<T>;
}

/** Gradients of outs (weighted by cotangents) w.r.t. prims; zeros where an input is unused. */
function pullback(outs: Tensor[], prims: Tensor[], cotangents: (Tensor | null)[], createGraph: boolean): Tensor[] {
  const live = outs.map((o, k) => ({ o, k })).filter(({ o }) => o.requiresGrad);
  if (live.length === 0) return prims.map((p) => zerosLike(p));
  const gs = grad(live.map(({ o }) => o), prims, { gradOutputs: live.map(({ k }) => cotangents[k]!), createGraph, retainGraph: true, allowUnused: true });
  return gs.map((g, i) => g ?? zerosLike(prims[i]!));
}

function checkCotangents(fn: string, what: string, outs: Tensor[], v: Tensors | null | undefined): (Tensor | null)[] {
  if (v === undefined || v === null) {
    outs.forEach((o, k) => {
      if (o.size !== 1) throw new Error(`${fn}: ${what} is required for the non-scalar output ${k} (shape ${formatShape(o.shape)})`);
    });
    return outs.map(() => null);
  }
  const vs = list(fn, what, v);
  if (vs.length !== outs.length) throw new Error(`${fn}: got ${vs.length} ${what} for ${outs.length} tensors`);
  vs.forEach((t, k) => {
    if (!shapesEqual(t.shape, outs[k]!.shape)) throw new Error(`${fn}: ${what}[${k}] has shape ${formatShape(t.shape)}, expected ${formatShape(outs[k]!.shape)}`);
  });
  return vs;
}

const finish = (ts: Tensor[], createGraph: boolean): Tensor[] => (createGraph ? ts : ts.map((t) => t.detach()));

/** [f(...args), gradient(s) of the scalar f w.r.t. args[argnums]] (argnums default 0), as jax.value_and_grad. */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, options?: FunctionalOptions & { argnums?: number }): (...args: A) => [Tensor, Tensor];
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, options: FunctionalOptions & { argnums: readonly number[] }): (...args: A) => [Tensor, Tensor[]];
export function valueAndGrad<A extends Tensor[]>(
  f: (...args: A) => Tensor, options: FunctionalOptions & { argnums?: number | readonly number[] } = {},
): (...args: A) => [Tensor, Tensor | Tensor[]] {
  checkCall('valueAndGrad', f, options, ['createGraph', 'argnums']);
  const argnums = options.argnums ?? 0;
  const given: unknown[] = typeof argnums === 'number' ? [argnums] : Array.isArray(argnums) ? [...argnums] : [argnums];
  if (given.length === 0 || !given.every((n) => Number.isInteger(n) && (n as number) >= 0)) {
    throw new Error(`valueAndGrad: argnums must be an integer >= 0 or a non-empty list of them, got ${describeValue(argnums)}`);
  }
  const nums = given as number[];
  return (...args: A): [Tensor, Tensor | Tensor[]] => {
    nums.forEach((n) => {
      if (n >= args.length || !(args[n] instanceof Tensor)) {
        throw new Error(`valueAndGrad: argnums ${JSON.stringify(argnums)} names argument ${n}, but the function got ${args.length} arguments (a Tensor is needed there)`);
      }
    });
    const createGraph = options.createGraph ?? nums.some((n) => args[n]!.requiresGrad);
    const prims = args.map((a, i) => (nums.includes(i) ? primal('valueAndGrad', a, i) : a)) as A;
    const value = enableGrad(() => f(...prims));
    if (!(value instanceof Tensor) || value.size !== 1 || value.dtype === 'int32') {
      throw new Error(`valueAndGrad: the function must return a one-element float tensor, got ${value instanceof Tensor ? `${value.dtype} of shape ${formatShape(value.shape)}` : typeof value}; use vjp for other outputs`);
    }
    const gs = finish(pullback([value], nums.map((n) => prims[n]!), [null], createGraph), createGraph);
    return [createGraph ? value : value.detach(), typeof argnums === 'number' ? gs[0]! : gs];
  };
}

/** [f(inputs), vᵀ·J] (v: one cotangent per output, optional for scalar outputs), as torch.autograd.functional.vjp. */
export function vjp<I extends Tensors, O extends Tensors>(f: (...inputs: Tensor[]) => O, inputs: I, v?: O | null, options: FunctionalOptions = {}): [O, Same<I>] {
  checkCall('vjp', f, options);
  const ins = list('vjp', 'inputs', inputs);
  const createGraph = options.createGraph ?? ins.some((t) => t.requiresGrad);
  const prims = ins.map((t, i) => primal('vjp', t, i));
  const out = enableGrad(() => f(...prims));
  const outs = list('vjp', 'the function’s outputs', out);
  const cot = checkCotangents('vjp', 'v', outs, v);
  const gs = pullback(outs, prims, cot, createGraph);
  return [shaped(out, finish(outs, createGraph)) as unknown as O, shaped(inputs, finish(gs, createGraph))];
}

/** [f(inputs), J·v] (v: one tangent per input), as torch.autograd.functional.jvp; by the double-vjp trick. */
export function jvp<I extends Tensors, O extends Tensors>(f: (...inputs: Tensor[]) => O, inputs: I, v: I, options: FunctionalOptions = {}): [O, Same<O>] {
  checkCall('jvp', f, options);
  const ins = list('jvp', 'inputs', inputs);
  const createGraph = options.createGraph ?? ins.some((t) => t.requiresGrad);
  const tangents = checkCotangents('jvp', 'v', ins, v) as Tensor[];
  const prims = ins.map((t, i) => primal('jvp', t, i));
  const out = enableGrad(() => f(...prims));
  const outs = list('jvp', 'the function’s outputs', out);
  // u: a dummy cotangent; g(u) = Jᵀu is linear in u, and ∂⟨g(u), v⟩/∂u = J·v.
  const us = outs.map((o) => zerosLike(o).requiresGrad_());
  const gs = enableGrad(() => pullback(outs, prims, us, true));
  const jv = pullback(gs, us, tangents, createGraph);
  return [shaped(out, finish(outs, createGraph)) as unknown as O, shaped(out, finish(jv, createGraph)) as Same<O>];
}

/** [f(inputs), H·v] for a scalar f (v: one tensor per input), as torch.autograd.functional.hvp. */
export function hvp<I extends Tensors>(f: (...inputs: Tensor[]) => Tensor, inputs: I, v: I, options: FunctionalOptions = {}): [Tensor, Same<I>] {
  checkCall('hvp', f, options);
  const ins = list('hvp', 'inputs', inputs);
  const createGraph = options.createGraph ?? ins.some((t) => t.requiresGrad);
  const vs = checkCotangents('hvp', 'v', ins, v) as Tensor[];
  const prims = ins.map((t, i) => primal('hvp', t, i));
  const value = enableGrad(() => f(...prims));
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw new Error(`hvp: the function must return a one-element tensor, got ${value instanceof Tensor ? `shape ${formatShape(value.shape)}` : typeof value}`);
  }
  const gs = enableGrad(() => pullback([value], prims, [null], true));
  const hv = pullback(gs, prims, vs, createGraph);
  return [createGraph ? value : value.detach(), shaped(inputs, finish(hv, createGraph))];
}
