/**
 * gradcheck's fast mode, after PyTorch's fast_mode (`_fast_gradcheck` in torch/autograd/gradcheck.py):
 * for one random direction u_i per input and v_j per output (uniform in [0, 1), scaled to unit norm,
 * drawn from `seed`), it compares one number per (input, output) pair instead of the whole Jacobian:
 *
 *   numerical   v_jᵀ · (f_j(x_i + eps·u_i) − f_j(x_i − eps·u_i)) / (2·eps)    two evaluations per input
 *   analytical  (v_jᵀ · J_ji) · u_i                                          one backward per output
 *
 * and passes when |analytical − numerical| ≤ atol·Σu_i·Σv_j + rtol·|numerical| (PyTorch's adjusted atol:
 * the full check's atol on every element, summed through vᵀ·(·)·u). A wrong Jacobian almost surely
 * changes vᵀJu; an error confined to a few elements can hide under the summed tolerance, the price of
 * checking one number instead of n·m. On failure, when the Jacobian is small enough, the full check
 * runs too and its message (the worst element, both values) is appended.
 *
 * @example
 * gradcheck((t) => conv2d(t, w), [x], { fastMode: true }); // torch.autograd.gradcheck(f, [x], fast_mode=True)
 */
import { Generator } from '../random.js';
import { formatShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import {
  checkZeroUpstream, evaluate, excess, GradcheckError, vjp, type CheckSetup, type GradcheckOptions,
} from './check-setup.js';

/** The full check (gradcheck.ts's runGradcheck, passed in so that the two modules do not import each other). */
type FullCheck = (s: CheckSetup, options: GradcheckOptions) => true;

/** The full check runs after a fast failure only below this many Jacobian elements. */
const FULL_CHECK_LIMIT = 4096;

function unitDirection(g: Generator, n: number): Float64Array {
  const d = Float64Array.from({ length: n }, () => g.uniform());
  let sq = 0;
  for (let k = 0; k < n; k++) sq += d[k]! * d[k]!;
  const norm = Math.sqrt(sq);
  if (norm > 0) for (let k = 0; k < n; k++) d[k] = d[k]! / norm;
  return d;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function total(a: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]!;
  return s;
}

export function fastGradcheck(s: CheckSetup, options: GradcheckOptions, runFull: FullCheck): true {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, seed = 0 } = options;
  const gen = new Generator(seed);
  const us = s.wrt.map((i) => unitDirection(gen, s.inputs[i]!.size));
  const vs = s.outputs.map((o) => unitDirection(gen, o.size));
  if (options.checkZeroUpstream ?? true) checkZeroUpstream(s);
  // analytical[j][w] = (v_jᵀ·J_j,w)·u_w
  const analytical = s.outputs.map((out, j) => vjp(s, j, new Tensor(vs[j]!.slice(), out.shape)).map((g, w) => dot(g, us[w]!)));
  s.wrt.forEach((i, w) => {
    const t = s.inputs[i]!;
    const u = us[w]!;
    const orig = Float64Array.from(t.data);
    for (let e = 0; e < t.size; e++) t.data[e] = orig[e]! - eps * u[e]!;
    const ya = evaluate(s);
    for (let e = 0; e < t.size; e++) t.data[e] = orig[e]! + eps * u[e]!;
    const yb = evaluate(s);
    t.data.set(orig);
    s.outputs.forEach((out, j) => {
      const v = vs[j]!;
      let n = 0;
      for (let k = 0; k < out.size; k++) n += (v[k]! * (yb[j]![k]! - ya[j]![k]!)) / (2 * eps);
      const a = analytical[j]![w]!;
      const tol = atol * total(u) * total(v);
      if (excess(a, n, tol, rtol) <= 0) return;
      const pair = `${s.describeInput(i)} (shape ${formatShape(t.shape)})` +
        `${s.outputs.length > 1 ? ` and ${s.describeOutput(j)} (shape ${formatShape(out.shape)})` : ''}`;
      throw new GradcheckError(
        `${s.label}: fast mode (seed ${seed}): vᵀ·J·u mismatch for ${pair}: numerical ${n}, analytical ${a}, ` +
          `|difference| ${Math.abs(a - n)} > atol ${atol} · Σu · Σv (${tol}) + rtol ${rtol} · |numerical|` +
          fullCheck(s, options, runFull, t.size * out.size),
      );
    });
  });
  return true;
}

/** The full check's verdict, to locate the fault (below FULL_CHECK_LIMIT Jacobian elements). */
function fullCheck(s: CheckSetup, options: GradcheckOptions, runFull: FullCheck, elements: number): string {
  if (elements > FULL_CHECK_LIMIT) return `\n  (the Jacobian has ${elements} elements: run without fastMode on a smaller input to locate the fault)`;
  try {
    runFull(s, { ...options, fastMode: false, checkZeroUpstream: false });
    return '\n  The full check passes at these tolerances: the fault is within them element by element.';
  } catch (e) {
    if (!(e instanceof GradcheckError)) throw e;
    return `\n  The full check: ${e.message.slice(s.label.length + 2)}`;
  }
}
