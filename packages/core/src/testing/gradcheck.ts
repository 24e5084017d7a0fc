/**
 * gradcheck, after `torch.autograd.gradcheck`: the analytical Jacobian from backward against central
 * differences, in float64, for every input that requires a gradient and every element of every output
 * (the function may return a Tensor or an array of Tensors). Passes when
 * |analytical − numerical| ≤ atol + rtol·|numerical| everywhere; it also checks that a zero upstream
 * gradient gives zero gradients. On failure it throws a GradcheckError naming the function, the input,
 * the output, the worst element with its index, both values, and (when small) both Jacobians.
 * `.grad` is left alone (the gradients come from `grad`, as PyTorch's from `torch.autograd.grad`).
 *
 * `fastMode` (PyTorch's fast_mode) compares, for one random direction u per input and v per output,
 * the number vᵀ·J·u instead of J: two evaluations per input and one backward per output, for inputs
 * too large for the full Jacobian (see gradcheck-fast.ts).
 *
 * @example
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((t) => t.tanh().sum(1), [x]); // torch.autograd.gradcheck(lambda t: t.tanh().sum(1), [x]): true, or throws
 */
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import {
  checkZeroUpstream, evaluate, excess, GradcheckError, setUp, unravel, vjp, type CheckSetup, type GradcheckOptions,
} from './check-setup.js';
import { fastGradcheck } from './gradcheck-fast.js';

export { GradcheckError, type GradcheckOptions } from './check-setup.js';

function formatMatrix(rows: Float64Array[]): string {
  return rows.map((r) => `    [${Array.from(r, (v) => v.toPrecision(6)).join(', ')}]`).join('\n');
}


export function gradcheck(fn: (...inputs: Tensor[]) => Tensor | readonly Tensor[], inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const name = options.name ?? (fn.name || 'the function');
  return runGradcheck(setUp(fn, inputs, `gradcheck(${name})`), options);
}

/** gradcheck on a set-up check (gradgradcheck calls it with its own labels). */
export function runGradcheck(s: CheckSetup, options: GradcheckOptions): true {
  if (options.fastMode) return fastGradcheck(s, options, runGradcheck);
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3 } = options;
  if (options.checkZeroUpstream ?? true) checkZeroUpstream(s);
  // Analytical Jacobians, [output][input][input element][output element]: one backward per output
  // element through the retained graph.
  const analytical = s.outputs.map((out, j) => {
    const rows = s.wrt.map((i) => Array.from({ length: s.inputs[i]!.size }, () => new Float64Array(out.size)));
    for (let k = 0; k < out.size; k++) {
      const up = new Float64Array(out.size);
      up[k] = 1;
      vjp(s, j, new Tensor(up, out.shape)).forEach((g, w) => g.forEach((v, e) => { rows[w]![e]![k] = v; }));
    }
    return rows;
  });
  s.wrt.forEach((i, w) => {
    const numerical = numericalJacobians(s, i, eps);
    s.outputs.forEach((_, j) => compareJacobian(s, i, j, analytical[j]![w]!, numerical[j]!, atol, rtol));
  });
  return true;
}

/** Central differences of every output with respect to input i: [output][input element][output element]. */
function numericalJacobians(s: CheckSetup, i: number, eps: number): Float64Array[][] {
  const t = s.inputs[i]!;
  const rows = s.outputs.map((out) => Array.from({ length: t.size }, () => new Float64Array(out.size)));
  for (let e = 0; e < t.size; e++) {
    const v = t.data[e]!;
    t.data[e] = v + eps;
    const yp = evaluate(s);
    t.data[e] = v - eps;
    const ym = evaluate(s);
    t.data[e] = v;
    rows.forEach((r, j) => {
      const row = r[e]!;
      for (let k = 0; k < row.length; k++) row[k] = (yp[j]![k]! - ym[j]![k]!) / (2 * eps);
    });
  }
  return rows;
}

function compareJacobian(
  s: CheckSetup, i: number, j: number, analytical: Float64Array[], numerical: Float64Array[], atol: number, rtol: number,
): void {
  const t = s.inputs[i]!;
  const out = s.outputs[j]!;
  let worst = { excess: 0, e: -1, k: -1 };
  for (let e = 0; e < t.size; e++) {
    for (let k = 0; k < out.size; k++) {
      const x = excess(analytical[e]![k]!, numerical[e]![k]!, atol, rtol);
      if (x > worst.excess) worst = { excess: x, e, k };
    }
  }
  if (worst.e < 0) return;
  const a = analytical[worst.e]![worst.k]!;
  const n = numerical[worst.e]![worst.k]!;
  let msg =
    `${s.label}: Jacobian mismatch for ${s.describeInput(i)} (shape ${formatShape(t.shape)})` +
    `${s.outputs.length > 1 ? ` and ${s.describeOutput(j)} (shape ${formatShape(out.shape)})` : ''} ` +
    `at input index [${unravel(worst.e, t.shape).join(', ')}], output index [${unravel(worst.k, out.shape).join(', ')}]: ` +
    `numerical ${n}, analytical ${a}, |difference| ${Math.abs(a - n)} > atol ${atol} + rtol ${rtol} · |numerical|`;
  if (t.size * out.size <= 64) {
    msg += `\n  numerical (rows = input elements, columns = output elements):\n${formatMatrix(numerical)}`;
    msg += `\n  analytical:\n${formatMatrix(analytical)}`;
  }
  throw new GradcheckError(msg);
}
