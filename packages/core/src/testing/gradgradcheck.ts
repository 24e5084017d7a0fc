/**
 * gradgradcheck, after `torch.autograd.gradgradcheck`: checks second derivatives by running gradcheck
 * on the first-order gradients. For outputs y_j = f(x) and upstream gradients v_j (random in [−1, 1),
 * or `gradOutputs`), it checks the function
 *
 *   (x, v) ↦ grad(y, x, { gradOutputs: v, createGraph: true })      (the inputs' gradients; unused ones dropped)
 *
 * with gradcheck, against central differences of those gradients with respect to both x and v. So it
 * catches a backward that gives the right values but is not itself differentiated right (a constant
 * where a function of x belongs, an op missing from the recorded backward). Float64 and PyTorch's
 * tolerances (eps 1e-6, atol 1e-5, rtol 1e-3); `fastMode` checks one random direction per input and
 * output (see gradcheck-fast.ts), for inputs too large for the full second-order Jacobian.
 * In messages, inputs after the function's own are "the gradient of output j" (v_j).
 *
 * @example
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradgradcheck((t) => t.tanh().sum(1), [x]); // torch.autograd.gradgradcheck(lambda t: t.tanh().sum(1), [x])
 */
import { enableGrad, grad } from '../engine.js';
import { uniform } from '../creation.js';
import { Generator } from '../random.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { GradcheckError, setUp, type GradcheckOptions } from './check-setup.js';
import { runGradcheck } from './gradcheck.js';

export interface GradgradcheckOptions extends GradcheckOptions {
  /**
   * The upstream gradient of each output (one per output that requires grad); they must require grad
   * to be checked. Default: uniform in [−1, 1), float64, requiring grad, drawn from `seed`.
   */
  gradOutputs?: Tensor | readonly Tensor[];
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function differentiableOutputs(y: Tensor | readonly Tensor[]): Tensor[] {
  return (y instanceof Tensor ? [y] : [...y]).filter((o) => o instanceof Tensor && o.requiresGrad);
}

export function gradgradcheck(fn: Fn, inputs: readonly Tensor[], options: GradgradcheckOptions = {}): true {
  const name = options.name ?? (fn.name || 'the function');
  const label = `gradgradcheck(${name})`;
  const outputs = differentiableOutputs(fn(...inputs));
  if (outputs.length === 0) throw new GradcheckError(`${label}: no output requires grad (is the graph cut?)`);
  const given = options.gradOutputs;
  const gen = new Generator((options.seed ?? 0) + 1);
  const gradOutputs = given === undefined
    ? outputs.map((o) => uniform(o.shape, -1, 1, { dtype: 'float64', requiresGrad: true, generator: gen }))
    : given instanceof Tensor ? [given] : [...given];
  if (gradOutputs.length !== outputs.length) {
    throw new GradcheckError(`${label}: got ${gradOutputs.length} gradOutputs for ${outputs.length} outputs that require grad`);
  }
  gradOutputs.forEach((g, j) => {
    if (!(g instanceof Tensor) || g.dtype !== 'float64' || g.shape.join() !== outputs[j]!.shape.join()) {
      throw new GradcheckError(
        `${label}: gradOutputs[${j}] must be a float64 tensor of the output's shape ${formatShape(outputs[j]!.shape)}` +
          `${g instanceof Tensor ? `, got ${g.dtype} of shape ${formatShape(g.shape)}` : ''}`,
      );
    }
  });
  const n = inputs.length;
  const wrt = inputs.flatMap((t, i) => (t.requiresGrad ? [i] : []));
  // The first-order gradients as a function of the inputs and the upstream gradients (recorded even
  // when the check evaluates it without grad mode: the backward must run through a graph).
  const firstOrder = (...args: Tensor[]): Tensor[] => enableGrad(() => {
    const outs = differentiableOutputs(fn(...args.slice(0, n)));
    const gs = grad(outs, wrt.map((i) => args[i]!), { gradOutputs: args.slice(n), createGraph: true, allowUnused: true });
    return gs.filter((g): g is Tensor => g !== null);
  });
  const describe = (i: number): string => (i < n ? `input ${i}` : `the gradient of output ${i - n} (input ${i} of the check)`);
  if (firstOrder(...inputs, ...gradOutputs).every((g) => !g.requiresGrad)) {
    throw new GradcheckError(
      `${label}: the first-order gradients do not require grad, so they cannot be differentiated: an op's backward ` +
        `was not recorded under createGraph (or no input reaches an output)`,
    );
  }
  const s = setUp(firstOrder, [...inputs, ...gradOutputs], label, describe);
  return runGradcheck(s, options);
}
