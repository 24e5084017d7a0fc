/**
 * What gradcheck, its fast mode and gradgradcheck share: the options, the error, the checked set-up
 * (the inputs that require grad, the outputs, how messages name them), evaluating the function,
 * vector-Jacobian products through `grad` (so `.grad` is left alone), the zero-upstream check and the
 * tolerance test.
 */
import { grad, noGrad } from '../engine.js';
import { stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** The name shown in failures; defaults to the function's name. */
  name?: string;
  /** Also check that a zero upstream gradient gives zero gradients (default true). */
  checkZeroUpstream?: boolean;
  /** Compare vᵀ·J·u for one random direction u per input and v per output, not J (default false). */
  fastMode?: boolean;
  /** Seed of fastMode's directions (default 0): the same seed gives the same check. */
  seed?: number;
}

export class GradcheckError extends Error {
  override name = 'GradcheckError';
}

/** What a check runs on, checked once: the inputs that require grad, the outputs, and how to name them. */
export interface CheckSetup {
  fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[];
  inputs: readonly Tensor[];
  /** Indices (into inputs) of the inputs that require grad. */
  wrt: readonly number[];
  outputs: readonly Tensor[];
  /** "gradcheck(name)" or "gradgradcheck(name)": the start of every message. */
  label: string;
  /** "input 1", or how gradgradcheck names its extra inputs ("the gradient of output 0"). */
  describeInput: (i: number) => string;
  describeOutput: (j: number) => string;
}

export function unravel(index: number, shape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  return strides.map((s, d) => Math.floor(index / s) % shape[d]!);
}

function asList(y: Tensor | readonly Tensor[]): readonly Tensor[] {
  return y instanceof Tensor ? [y] : y;
}

/** Runs fn once and checks the inputs and outputs, naming the function (internal: gradgradcheck shares it). */
export function setUp(
  fn: CheckSetup['fn'], inputs: readonly Tensor[], label: string, describeInput = (i: number) => `input ${i}`,
): CheckSetup {
  const wrt = inputs.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  if (wrt.length === 0) throw new GradcheckError(`${label}: no input requires grad; set requiresGrad on the inputs to check`);
  for (const i of wrt) {
    if (inputs[i]!.dtype !== 'float64') {
      throw new GradcheckError(
        `${label}: ${describeInput(i)} is ${inputs[i]!.dtype}; ${label.split('(')[0]} needs float64 inputs (central differences ` +
          `in float32 are dominated by rounding). Use x.to('float64')`,
      );
    }
  }
  const y = fn(...inputs);
  const outputs = asList(y);
  if (!Array.isArray(outputs) || outputs.some((o) => !(o instanceof Tensor))) {
    throw new GradcheckError(`${label}: the function must return a Tensor or an array of Tensors`);
  }
  outputs.forEach((o, j) => {
    const what = outputs.length === 1 ? 'the output' : `output ${j}`;
    if (o.dtype !== 'float64') throw new GradcheckError(`${label}: ${what} is ${o.dtype}; expected float64`);
  });
  if (!outputs.some((o) => o.requiresGrad)) {
    throw new GradcheckError(`${label}: the output does not require grad (is the graph cut?)`);
  }
  const describeOutput = (j: number): string => (outputs.length === 1 ? 'the output' : `output ${j}`);
  return { fn, inputs, wrt, outputs, label, describeInput, describeOutput };
}

/** Every output's values, flattened, for inputs as they are now (not recorded). */
export function evaluate(s: CheckSetup): Float64Array[] {
  return noGrad(() => asList(s.fn(...s.inputs)).map((o) => Float64Array.from(o.data)));
}

/** The gradients of output j, weighted by `up`, with respect to the inputs that require grad (zeros when unused). */
export function vjp(s: CheckSetup, j: number, up: Tensor): Float64Array[] {
  const out = s.outputs[j]!;
  if (!out.requiresGrad) return s.wrt.map((i) => new Float64Array(s.inputs[i]!.size));
  const gs = grad(out, s.wrt.map((i) => s.inputs[i]!), { gradOutputs: up, retainGraph: true, allowUnused: true });
  return gs.map((g, w) => (g ? Float64Array.from(g.data) : new Float64Array(s.inputs[s.wrt[w]!]!.size)));
}

/** Throws unless a zero upstream gradient of every output gives zero gradients. */
export function checkZeroUpstream(s: CheckSetup): void {
  s.outputs.forEach((out, j) => {
    vjp(s, j, new Tensor(new Float64Array(out.size), out.shape)).forEach((g, w) => {
      const bad = g.findIndex((v) => v !== 0);
      if (bad === -1) return;
      const i = s.wrt[w]!;
      throw new GradcheckError(
        `${s.label}: a zero upstream gradient${s.outputs.length > 1 ? ` of output ${j}` : ''} gave a non-zero gradient for ` +
          `${s.describeInput(i)} at index [${unravel(bad, s.inputs[i]!.shape).join(', ')}]: ${g[bad]}`,
      );
    });
  });
}

/** How far a pair is outside the tolerance (> 0 fails). NaN never passes; an infinity only against itself. */
export function excess(a: number, n: number, atol: number, rtol: number): number {
  const finite = Number.isFinite(a) && Number.isFinite(n);
  return finite ? Math.abs(a - n) - (atol + rtol * Math.abs(n)) : a === n ? -Infinity : Infinity;
}

