/**
 * Double backward against PyTorch (fixtures/double-backward.torch.json, from generate_double_backward.py):
 * for every op with a gradient, y = f(x), the first-order gradients g = grad(y, x, { gradOutputs: v,
 * createGraph: true }) and then the gradient of Σ <g_i, w_i> with respect to every input and to v; the
 * Hessian-vector products of weighted, ignoring, smoothed and probability-target cross-entropy; and a
 * gradient penalty on two small conv nets. Float64, PyTorch's tolerance |a − b| ≤ 1e-7 + 1e-6·|b|.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { grad, Tensor, tensor, zerosLike } from '../src/index.js';
import { CALLS, type RefCase } from './fixtures/calls.js';
import { assertCloseToReference, fixtureNumber, fixtureTensor, loadFixture, type FixtureTensor } from './fixtures/load.js';

interface DoubleCase extends RefCase {
  /** The cotangent w_i of each first-order gradient, by input name. */
  gradGrads: Record<string, FixtureTensor>;
  /** d Σ_i <g_i, w_i> / d x_j by input name, and / d v. */
  second: Record<string, FixtureTensor>;
  secondUpstream: FixtureTensor;
}

interface NetCase {
  name: string;
  inputs: Record<string, FixtureTensor>;
  target: FixtureTensor & { kind: 'indices' | 'probabilities' };
  extra: Record<string, FixtureTensor>;
  loss: FixtureTensor;
  penalised: FixtureTensor[];
  penalty: FixtureTensor;
  grads: Record<string, FixtureTensor>;
}

interface DoubleFile {
  producer: string;
  ops: DoubleCase[];
  crossEntropy: DoubleCase[];
  nets: NetCase[];
}

const file = loadFixture<DoubleFile>('double-backward.torch.json');

/** The worst |a − b| / (1e-7 + 1e-6·|b|) seen (≤ 1 passes), for the summary line. */
let worst = { ratio: 0, diff: 0, what: '' };

function check(actual: Tensor | null, expected: FixtureTensor, what: string): void {
  assertCloseToReference(actual, expected, what);
  for (let i = 0; i < expected.data.length; i++) {
    const b = fixtureNumber(expected.data[i]!);
    const diff = Math.abs(actual!.data[i]! - b);
    const ratio = diff / (1e-7 + 1e-6 * Math.abs(b));
    if (ratio > worst.ratio) worst = { ratio, diff, what };
  }
}

const crossEntropyCall = (t: Record<string, Tensor>, c: RefCase): Tensor => {
  const o = c.options as { reduction: T.Reduction; weight: number[] | null; ignoreIndex: number; labelSmoothing: number };
  return T.crossEntropy(t.input!, t.target!, {
    reduction: o.reduction, ignoreIndex: o.ignoreIndex, labelSmoothing: o.labelSmoothing,
    ...(o.weight ? { weight: tensor(o.weight, { dtype: 'float64' }) } : {}),
  });
};

/** Runs one case: the output, the first-order gradients (with createGraph) and the second order. */
function checkSecondOrder(c: DoubleCase, what: string): void {
  const call = c.op === 'crossEntropy' ? crossEntropyCall : CALLS[c.op];
  if (!call) throw new Error(`${what}: no call for op '${c.op}' in fixtures/calls.ts`);
  const ints = new Set(c.intInputs ?? []);
  const t = Object.fromEntries(Object.entries(c.inputs).map(([name, v]) => [
    name, ints.has(name) ? new Tensor(Int32Array.from(v.data as number[]), v.shape) : fixtureTensor(v, { requiresGrad: name in c.grads }),
  ]));
  const names = Object.keys(c.grads);
  const xs = names.map((n) => t[n]!);
  const v = fixtureTensor(c.upstream, { requiresGrad: true });
  const y = call(t, c);
  check(y, c.output, `${what} output`);
  const gs = grad(y, xs, { gradOutputs: v, createGraph: true, allowUnused: true });
  names.forEach((n, i) => check(gs[i] ?? zerosLike(xs[i]!), c.grads[n]!, `${what} grad of ${n}`));
  const pairs = names.flatMap((n, i) => (gs[i]?.requiresGrad ? [{ g: gs[i], w: fixtureTensor(c.gradGrads[n]!) }] : []));
  const second = pairs.length === 0 ? [] : grad(pairs.map((p) => p.g), [...xs, v], { gradOutputs: pairs.map((p) => p.w), allowUnused: true });
  names.forEach((n, i) => check(second[i] ?? zerosLike(xs[i]!), c.second[n]!, `${what} second derivative, input ${n}`));
  check(second[names.length] ?? zerosLike(v), c.secondUpstream, `${what} second derivative, upstream`);
}

describe('double backward against PyTorch', () => {
  const byOp = new Map<string, DoubleCase[]>();
  for (const c of file.ops) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
  for (const [op, cases] of byOp) {
    it(`${op}: first and second derivatives (${cases.length} calls)`, () => {
      cases.forEach((c, i) => checkSecondOrder(c, `${op} case ${i} (${c.family})`));
    });
  }

  it(`crossEntropy: Hessian-vector products, weights, ignoreIndex, label smoothing, probability targets (${file.crossEntropy.length} calls)`, () => {
    file.crossEntropy.forEach((c, i) => checkSecondOrder(c, `crossEntropy case ${i}`));
  });

  for (const c of file.nets) {
    it(`gradient penalty: ${c.name}`, () => checkPenalty(c));
  }

  it('prints the worst error against PyTorch', () => {
    // Runs last (vitest runs a file's tests in order): every case above has been compared.
    console.log(`double backward vs PyTorch (${file.producer}): worst |a − b| = ${worst.diff.toExponential(2)} ` +
      `(${(worst.ratio * 100).toFixed(1)}% of the tolerance) at ${worst.what}`);
    expect(worst.ratio).toBeLessThanOrEqual(1);
  });
});

type Params = Record<string, Tensor>;

/** generate_double_backward.py's net_a: conv → batchNorm → relu → maxPool → bilinear ×2 → conv 1×1 → cross-entropy. */
function netA(p: Params, target: Tensor, extra: Params): Tensor {
  const z = T.batchNorm(T.conv2d(p.x!, p.w1!, p.b1!, { padding: 1 }), null, null, { training: true, weight: p.gamma!, bias: p.beta! });
  const h = T.interpolate(T.maxPool2d(T.relu(z), { kernelSize: 2 }), { scaleFactor: 2, mode: 'bilinear', alignCorners: false });
  return T.crossEntropy(T.conv2d(h, p.w2!, p.b2!), target, { weight: extra.weight!, ignoreIndex: 255, labelSmoothing: 0.1 });
}

/** net_b: conv stride 2 → tanh → avgPool 3 → convTranspose2d 2×2 stride 2 → logSoftmax → nearest ×2 → cross-entropy (probabilities). */
function netB(p: Params, target: Tensor): Tensor {
  const h = T.avgPool2d(T.tanh(T.conv2d(p.x!, p.w1!, p.b1!, { stride: 2, padding: 1 })), { kernelSize: 3, stride: 1, padding: 1 });
  const logits = T.logSoftmax(T.convTranspose2d(h, p.w2!, p.b2!, { stride: 2 }), 1);
  return T.crossEntropy(T.interpolate(logits, { scaleFactor: 2, mode: 'nearest' }), target);
}

function checkPenalty(c: NetCase): void {
  const names = Object.keys(c.inputs);
  const p: Params = Object.fromEntries(names.map((n) => [n, fixtureTensor(c.inputs[n]!, { requiresGrad: true })]));
  const extra: Params = Object.fromEntries(Object.entries(c.extra).map(([n, v]) => [n, fixtureTensor(v)]));
  const target = c.target.kind === 'indices' ? new Tensor(Int32Array.from(c.target.data as number[]), c.target.shape) : fixtureTensor(c.target);
  const loss = c.name.startsWith('netA') ? netA(p, target, extra) : netB(p, target);
  check(loss, c.loss, `${c.name}: loss`);
  let penalty: Tensor;
  if (c.name.includes('input')) {
    // WGAN-GP: mean over samples of (‖d loss/d x_n‖ − 1)²
    const g = grad(loss, p.x!, { createGraph: true });
    check(g, c.penalised[0]!, `${c.name}: d loss / d x`);
    penalty = g.reshape([g.shape[0]!, -1]).pow(2).sum(1).sqrt().sub(1).pow(2).mean();
  } else {
    // Σ over parameters of ‖d loss/d θ‖²
    const gs = grad(loss, names.filter((n) => n !== 'x').map((n) => p[n]!), { createGraph: true });
    gs.forEach((g, i) => check(g, c.penalised[i]!, `${c.name}: d loss / d ${names.filter((n) => n !== 'x')[i]}`));
    penalty = gs.map((g) => g.pow(2).sum()).reduce((a, b) => a.add(b));
  }
  check(penalty, c.penalty, `${c.name}: penalty`);
  const gs = grad(loss.add(penalty.mul(10)), names.map((n) => p[n]!));
  names.forEach((n, i) => check(gs[i]!, c.grads[n]!, `${c.name}: d(loss + 10·penalty) / d ${n}`));
}
