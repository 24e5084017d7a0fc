/**
 * gradcheck, after `torch.autograd.gradcheck`: the analytical Jacobian from backward against central
 * differences, in float64, for every input that requires a gradient and every output element.
 * Passes when |analytical − numerical| ≤ atol + rtol·|numerical| everywhere; it also checks that a
 * zero upstream gradient gives zero gradients. On failure it throws a GradcheckError naming the op
 * under test, the input, the worst element with its index, both values, and (when small) both Jacobians.
 *
 * @example
 * const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
 * gradcheck((t) => t.tanh().sum(1), [x]); // true, or throws
 */
import { noGrad } from '../engine.js';
import { formatShape, stridesOf } from '../shape.js';
import { Tensor } from '../tensor.js';

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** The name shown in failures; defaults to the function's name. */
  name?: string;
  /** Also check that a zero upstream gradient gives zero gradients (default true). */
  checkZeroUpstream?: boolean;
}

export class GradcheckError extends Error {
  override name = 'GradcheckError';
}

function unravel(index: number, shape: readonly number[]): number[] {
  const strides = stridesOf(shape);
  return strides.map((s, d) => Math.floor(index / s) % shape[d]!);
}

function formatMatrix(rows: Float64Array[]): string {
  return rows.map((r) => `    [${Array.from(r, (v) => v.toPrecision(6)).join(', ')}]`).join('\n');
}

export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, checkZeroUpstream = true } = options;
  const name = options.name ?? (fn.name || 'the function');
  const wrt = inputs.map((t, i) => ({ t, i })).filter(({ t }) => t.requiresGrad);
  if (wrt.length === 0) throw new GradcheckError(`gradcheck(${name}): no input requires grad; set requiresGrad on the inputs to check`);
  for (const { t, i } of wrt) {
    if (t.dtype !== 'float64') {
      throw new GradcheckError(
        `gradcheck(${name}): input ${i} is ${t.dtype}; gradcheck needs float64 inputs (central differences ` +
          `in float32 are dominated by rounding). Use x.to('float64')`,
      );
    }
  }
  const evaluate = (): Float64Array => {
    const y = noGrad(() => fn(...inputs));
    return Float64Array.from(y.data);
  };
  // Analytical Jacobian: one backward per output element through a retained graph.
  for (const { t } of wrt) t.grad = null;
  const y = fn(...inputs);
  if (!(y instanceof Tensor)) throw new GradcheckError(`gradcheck(${name}): the function must return a Tensor`);
  if (y.dtype !== 'float64') throw new GradcheckError(`gradcheck(${name}): the output is ${y.dtype}; expected float64`);
  const m = y.size;
  if (!y.requiresGrad) throw new GradcheckError(`gradcheck(${name}): the output does not require grad (is the graph cut?)`);
  const analytical = wrt.map(({ t }) => Array.from({ length: t.size }, () => new Float64Array(m)));
  for (let k = 0; k < m; k++) {
    for (const { t } of wrt) t.grad = null;
    const up = new Float64Array(m);
    up[k] = 1;
    y.backward(new Tensor(up, y.shape), { retainGraph: true });
    wrt.forEach(({ t }, w) => {
      const g = t.grad;
      if (g) for (let j = 0; j < t.size; j++) analytical[w]![j]![k] = g.data[j]!;
    });
  }
  if (checkZeroUpstream) {
    for (const { t } of wrt) t.grad = null;
    y.backward(new Tensor(new Float64Array(m), y.shape), { retainGraph: true });
    for (const { t, i } of wrt) {
      const g = t.grad as Tensor | null;
      const bad = g ? Array.from(g.data).findIndex((v) => v !== 0) : -1;
      if (g && bad !== -1) {
        throw new GradcheckError(
          `gradcheck(${name}): a zero upstream gradient gave a non-zero gradient for input ${i} ` +
            `at index [${unravel(bad, t.shape).join(', ')}]: ${g.data[bad]}`,
        );
      }
    }
  }
  for (const { t } of wrt) t.grad = null;
  // Numerical Jacobian by central differences, and the comparison.
  wrt.forEach(({ t, i }, w) => {
    const numerical = Array.from({ length: t.size }, () => new Float64Array(m));
    for (let j = 0; j < t.size; j++) {
      const v = t.data[j]!;
      t.data[j] = v + eps;
      const yp = evaluate();
      t.data[j] = v - eps;
      const ym = evaluate();
      t.data[j] = v;
      for (let k = 0; k < m; k++) numerical[j]![k] = (yp[k]! - ym[k]!) / (2 * eps);
    }
    let worst = { excess: 0, j: -1, k: -1 };
    for (let j = 0; j < t.size; j++) {
      for (let k = 0; k < m; k++) {
        const a = analytical[w]![j]![k]!;
        const n = numerical[j]![k]!;
        // NaN never passes; an infinity passes only against the same infinity (inf − inf is NaN,
        // which a plain comparison would let through).
        const finite = Number.isFinite(a) && Number.isFinite(n);
        const excess = finite ? Math.abs(a - n) - (atol + rtol * Math.abs(n)) : a === n ? -Infinity : Infinity;
        if (excess > worst.excess) worst = { excess, j, k };
      }
    }
    if (worst.j >= 0) {
      const a = analytical[w]![worst.j]![worst.k]!;
      const n = numerical[worst.j]![worst.k]!;
      let msg =
        `gradcheck(${name}): Jacobian mismatch for input ${i} (shape ${formatShape(t.shape)}) ` +
        `at input index [${unravel(worst.j, t.shape).join(', ')}], output index [${unravel(worst.k, y.shape).join(', ')}]: ` +
        `numerical ${n}, analytical ${a}, |difference| ${Math.abs(a - n)} > atol ${atol} + rtol ${rtol} · |numerical|`;
      if (t.size * m <= 64) {
        msg += `\n  numerical (rows = input elements, columns = output elements):\n${formatMatrix(numerical)}`;
        msg += `\n  analytical:\n${formatMatrix(analytical[w]!)}`;
      }
      throw new GradcheckError(msg);
    }
  });
  return true;
}
