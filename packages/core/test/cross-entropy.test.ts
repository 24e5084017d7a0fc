import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, crossEntropy, div, full, Generator, logSoftmax, mul, neg, nllLoss, randint, randn, sum, Tensor, tensor, uniform } from '../src/index.js';
import { gradcheck } from '../src/testing/index.js';
import { assertCloseToReference, fixtureNumber, fixtureTensor, loadFixture, runCrossEntropyCase, type CrossEntropyCase, type FixtureFile } from './fixtures/load.js';
import { expectClose, f64, re, RUNS } from './helpers.js';
import { caseTensors, lossCaseArb } from './loss-helpers.js';

const cases = loadFixture<FixtureFile<CrossEntropyCase>>('cross_entropy.torch.json').cases;

describe('crossEntropy: PyTorch reference cases (cross_entropy.torch.json)', () => {
  it('holds every kind of case', () => {
    expect(cases.length).toBeGreaterThanOrEqual(151);
    expect(new Set(cases.map((c) => c.target.kind))).toEqual(new Set(['indices', 'probabilities']));
    expect(cases.some((c) => c.input.shape.length === 1)).toBe(true);
  });

  it.each(cases.map((c, i) => [i, c] as const))('case %i: loss and gradInput within 1e-7 + 1e-6·|b| in float64', (i, c) => {
    const { loss, grad } = runCrossEntropyCase(c, 'float64');
    assertCloseToReference(loss, c.loss, `case ${i} loss`);
    assertCloseToReference(grad, c.gradInput, `case ${i} gradInput`);
  });

  it('float32 agrees with the float64 reference to 1e-4 relative on every case', () => {
    cases.forEach((c, i) => {
      const { loss, grad } = runCrossEntropyCase(c, 'float32');
      expect(loss.dtype).toBe('float32');
      assertCloseToReference(loss, c.loss, `case ${i} float32 loss`, 1e-7, 1e-4);
      assertCloseToReference(grad, c.gradInput, `case ${i} float32 gradInput`, 1e-7, 1e-4);
    });
  });

  // The cases are small, so the wasm backend hands them to the js kernel; K copies along the batch
  // (≥ 1024 positions) run its fused kernels. K copies: 'mean' keeps the loss and divides the
  // gradient by K (the denominator grows K-fold), 'sum' multiplies the loss by K, 'none' tiles both.
  it('float32 batches of K copies (past the wasm kernels\' 1024 positions) agree with the reference to 1e-4 relative', () => {
    const tile = (data: readonly (number | string)[], k: number, f = 1): number[] =>
      Array.from({ length: k }, () => data.map((v) => fixtureNumber(v) * f)).flat();
    let tiled = 0;
    cases.forEach((c, i) => {
      if (c.input.shape.length < 2 || c.input.shape[1]! > 64) return;
      const positions = c.input.data.length / c.input.shape[1]!;
      const k = Math.ceil(1024 / positions);
      const big = (t: { shape: number[]; data: (number | string)[] }, f = 1): { shape: number[]; data: number[] } =>
        ({ shape: [k * t.shape[0]!, ...t.shape.slice(1)], data: tile(t.data, k, f) });
      const { reduction } = c.options;
      const scalar = reduction !== 'none';
      const run = runCrossEntropyCase({
        ...c, input: big(c.input), target: { ...big(c.target), kind: c.target.kind },
        upstream: scalar ? c.upstream : big(c.upstream),
      }, 'float32');
      const loss = scalar ? { shape: [], data: c.loss.data.map((v) => fixtureNumber(v) * (reduction === 'sum' ? k : 1)) } : big(c.loss);
      assertCloseToReference(run.loss, loss, `case ${i} ×${k} float32 loss`, 1e-7, 1e-4);
      assertCloseToReference(run.grad, big(c.gradInput, reduction === 'mean' ? 1 / k : 1), `case ${i} ×${k} float32 gradInput`, 1e-7, 1e-4);
      tiled++;
    });
    expect(tiled).toBeGreaterThan(100);
  });
});

describe('crossEntropy: golden values (the 1×2×3×3 example of docs/weighted-cross-entropy.md)', () => {
  const input = [[[[0.5546, 0.1304, 0.9288], [0.6879, 0.3553, 0.9984], [0.1474, 0.6745, 0.8948]],
    [[0.8524, 0.2278, 0.6476], [0.6203, 0.6977, 0.3352], [0.4946, 0.4613, 0.6882]]]];
  const target = tensor([[[0, 0, 0], [0, 0, 0], [0, 0, 1]]], { dtype: 'int32' });
  // Per pixel, −log p_y = log(e^x0 + e^x1) − x_y. The eight class-0 pixels give
  //   0.853092 + 0.743033 + 0.562399 + 0.659918 + 0.878931 + 0.415547 + 0.881741 + 0.592218 = 5.586879
  // and the class-1 pixel (bottom right) gives 0.801773.
  // Unweighted mean: (5.586879 + 0.801773) / 9 = 0.709850.
  // weight = [1, 9]: (1·5.586879 + 9·0.801773) / (1·8 + 9·1) = 12.802838 / 17 = 0.753108: the class-1
  // pixel counts 9 times in the numerator and in the denominator.
  it('0.7099 without weights and 0.7531 with weight [1, 9] (PyTorch: 0.7098502440832655, 0.7531080885067911)', () => {
    const x = f64(input);
    expect(crossEntropy(x, target).item()).toBeCloseTo(0.7099, 4);
    expect(crossEntropy(x, target, { weight: f64([1, 9]) }).item()).toBeCloseTo(0.7531, 4);
    expect(Math.abs(crossEntropy(x, target).item() - 0.7098502440832655)).toBeLessThan(1e-15);
    expect(Math.abs(crossEntropy(x, target, { weight: f64([1, 9]) }).item() - 0.7531080885067911)).toBeLessThan(1e-15);
  });

  it('the weighted value equals the hand-written loop Σ w[y]·(−log p[y]) / (1·8 + 9·1)', () => {
    const w = [1, 9];
    const y = [0, 0, 0, 0, 0, 0, 0, 0, 1];
    const x0 = input[0]![0]!.flat();
    const x1 = input[0]![1]!.flat();
    let numerator = 0;
    for (let i = 0; i < 9; i++) {
      const lse = Math.log(Math.exp(x0[i]!) + Math.exp(x1[i]!));
      numerator += w[y[i]!]! * (lse - (y[i] === 0 ? x0[i]! : x1[i]!));
    }
    const loop = numerator / (1 * 8 + 9 * 1);
    expect(Math.abs(crossEntropy(f64(input), target, { weight: f64(w) }).item() - loop)).toBeLessThan(1e-15);
    expect(numerator).toBeCloseTo(12.802838, 6);
  });

  it("the class-1 pixel's gradient is w·(p − 1)/17; PyTorch: ±0.2919531513397116", () => {
    const x = f64(input, { requiresGrad: true });
    crossEntropy(x, target, { weight: f64([1, 9]) }).backward();
    const g = x.grad!.data;
    // p1 at the last pixel = 1/(1 + e^(x0 − x1)) = 0.448, so 9·(0.448 − 1)/17 = −0.29195
    const p1 = 1 / (1 + Math.exp(0.8948 - 0.6882));
    expect(g[17]!).toBeCloseTo((9 * (p1 - 1)) / 17, 14);
    expect(g[17]!).toBeCloseTo(-0.2919531513397116, 14);
    expect(g[8]!).toBeCloseTo(0.2919531513397116, 14);
  });
});

describe('crossEntropy: semantics', () => {
  it("'none' returns shape (N, d1..dk) and () for an unbatched (C) input", () => {
    const x = f64([[[1, 2], [3, 4]], [[0, 1], [2, 2]]]);
    expect(crossEntropy(x, tensor([[0, 1], [1, 0]], { dtype: 'int32' }), { reduction: 'none' }).shape).toEqual([2, 2]);
    const u = crossEntropy(f64([1, 2, 3]), tensor(2, { dtype: 'int32' }), { reduction: 'none' });
    expect(u.shape).toEqual([]);
    expect(u.item()).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, 14);
  });

  it('every target ignored under mean: NaN loss (0/0) and zero gradient; under sum: 0', () => {
    const x = f64([[1, 2], [3, 4]], { requiresGrad: true });
    const t = tensor([-100, -100], { dtype: 'int32' });
    const loss = crossEntropy(x, t, { weight: f64([1, 2]), labelSmoothing: 0.2 });
    expect(loss.item()).toBeNaN();
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, 0, 0]);
    expect(crossEntropy(x, t, { reduction: 'sum' }).item()).toBe(0);
  });

  it('weights that are zero on every present class give NaN, as PyTorch (0/0, and 0·∞ in the gradient)', () => {
    const x = f64([[1, 2], [3, 4]], { requiresGrad: true });
    const loss = crossEntropy(x, tensor([0, 0], { dtype: 'int32' }), { weight: f64([0, 1]) });
    expect(loss.item()).toBeNaN();
    loss.backward();
    expect(Array.from(x.grad!.data).every(Number.isNaN)).toBe(true);
  });

  it('ignored positions get zero loss and zero gradient', () => {
    const x = f64([[1, 2, 0], [3, 4, 1]], { requiresGrad: true });
    const loss = crossEntropy(x, tensor([2, 1], { dtype: 'int32' }), { ignoreIndex: 1, reduction: 'none', labelSmoothing: 0.3 });
    expect(loss.data[1]).toBe(0);
    loss.backward(f64([1, 1]));
    expect(Array.from(x.grad!.data.subarray(3))).toEqual([0, 0, 0]);
  });

  it('stays finite for logits of ±1e4 (stable log-sum-exp)', () => {
    const x = f64([[1e4, -1e4, 0], [-1e4, 1e4, 1e4]], { requiresGrad: true });
    const loss = crossEntropy(x, tensor([1, 0], { dtype: 'int32' }), { reduction: 'sum' });
    expect(loss.item()).toBeCloseTo(4e4 + Math.LN2, 9);
    loss.backward();
    expectClose(x.grad!, [[1, -1, 0], [-1, 0.5, 0.5]], { atol: 1e-12 });
  });

  it('matches the composition logSoftmax + nllLoss + smoothing term on shapes that span several kernel tiles', () => {
    // C = 2 with 5000 positions (tiles of 2048) and C = 3000 with 20 positions (tiles of 16), weighted,
    // with and without label smoothing: loss and gradient against autograd through the primitives.
    for (const [n, c, s] of [[2, 2, 5000], [2, 3000, 20]] as const) {
      const g = new Generator(7);
      const data = randn([n, c, s], { dtype: 'float64', generator: g });
      const target = randint(0, c, [n, s], { generator: g });
      const w = uniform([c], 0.5, 2, { dtype: 'float64', generator: g });
      const W = Array.from(target.data).reduce((acc, y) => acc + w.data[y]!, 0);
      for (const eps of [0, 0.2]) {
        const x1 = data.detach().requiresGrad_();
        const fused = crossEntropy(x1, target, { weight: w, labelSmoothing: eps });
        fused.backward();
        const x2 = data.detach().requiresGrad_();
        const lp = logSoftmax(x2, 1);
        const smooth = div(neg(sum(mul(lp, w.reshape([1, c, 1])))), W);
        const composed = add(mul(nllLoss(lp, target, { weight: w }), 1 - eps), mul(smooth, eps / c));
        composed.backward();
        expect(Math.abs(fused.item() - composed.item())).toBeLessThan(1e-12);
        const worst = Array.from(x1.grad!.data).reduce((m, v, i) => Math.max(m, Math.abs(v - x2.grad!.data[i]!)), 0);
        expect(worst).toBeLessThan(1e-15);
      }
    }
  });

  it('non-finite logits give what PyTorch gives (reduction sum; values from torch 1.13)', () => {
    const run = (rows: number[][], t: number[], labelSmoothing = 0) => {
      const x = f64(rows, { requiresGrad: true });
      const loss = crossEntropy(x, tensor(t, { dtype: 'int32' }), { reduction: 'sum', labelSmoothing });
      loss.backward();
      return [loss.item(), ...Array.from(x.grad!.data)];
    };
    const inf = Infinity;
    const nan = Number.NaN;
    const cases: [number[][], number[], number, number[]][] = [
      [[[-inf, 0]], [1], 0, [0, 0, 0]],
      [[[-inf, 0]], [0], 0, [inf, -1, 1]],
      [[[-inf, -inf]], [0], 0, [nan, nan, nan]],
      [[[inf, 0]], [0], 0, [nan, nan, nan]],
      [[[-inf, -inf, 0]], [2], 0, [0, 0, 0, 0]],
      [[[-inf, 0, 1]], [1], 0.1, [inf, -0.03333333333333333, -0.6643919119633382, 0.6977252452966716]],
      [[[nan, 0]], [1], 0, [nan, nan, nan]],
      [[[1, 2], [-inf, -inf]], [0, -100], 0, [1.3132616875182228, -0.7310585786300049, 0.7310585786300049, nan, nan]],
    ];
    for (const [rows, t, eps, expected] of cases) expectClose(f64(run(rows, t, eps)), expected, { atol: 1e-15, rtol: 1e-14 });
  });

  // The forward computes the gradient for upstream 1 (past 1024 positions on wasm, in one pass with the
  // loss); the backward scales it by the upstream and hands it over once.
  it('an upstream other than 1 scales the gradient; a retained graph backward twice accumulates 2× the gradient', () => {
    const g = new Generator(9);
    const x = randn([2, 3, 24, 24], { generator: g }), y = randint(0, 3, [2, 24, 24], { generator: g });
    const weight = tensor([0.5, 2, 1]);
    const grad = (f: (l: Tensor) => Tensor, twice = false): Float32Array => {
      const xs = x.detach().requiresGrad_();
      const l = f(crossEntropy(xs, y, { weight }));
      l.backward(undefined, { retainGraph: twice });
      if (twice) l.backward();
      return xs.grad!.data as Float32Array;
    };
    const once = grad((l) => l);
    const worst = (a: Float32Array, k: number): number => Math.max(...a.map((v, i) => Math.abs(v - k * once[i]!) / (1e-9 + Math.abs(k * once[i]!))));
    expect(worst(grad((l) => mul(l, 3)), 3)).toBeLessThan(1e-6);
    expect(worst(grad((l) => l, true), 2)).toBeLessThan(1e-6);
  });

  it('equals nllLoss(logSoftmax(x)) for index targets', () => {
    const x = f64([[0.2, -1, 3], [1, 1, 0.5], [2, 0, -2]]);
    const t = tensor([2, 0, 1], { dtype: 'int32' });
    const w = f64([0.5, 2, 1]);
    expect(crossEntropy(x, t, { weight: w }).item()).toBeCloseTo(nllLoss(logSoftmax(x, 1), t, { weight: w }).item(), 14);
  });
});

describe('crossEntropy: properties (fast-check, float64)', () => {
  it('gradcheck over random shapes, weights, ignoreIndex, labelSmoothing, probability targets and reductions', () => {
    fc.assert(
      fc.property(lossCaseArb(), (k) => {
        const { x, target, options } = caseTensors(k);
        return gradcheck((t) => crossEntropy(t, target, options), [x], { name: `crossEntropy(${JSON.stringify({ ...k, x: undefined })})` });
      }),
      { numRuns: RUNS },
    );
  });

  it('equal weights give the unweighted loss (mean); α·unweighted (sum)', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, reductions: ['mean', 'sum'] }), fc.double({ min: 0.1, max: 10, noNaN: true }), (k, a) => {
        const plain = caseTensors(k, 'float64', { weight: null });
        const equal = caseTensors(k, 'float64', { weight: new Array<number>(k.c).fill(a) });
        const l0 = crossEntropy(plain.x, plain.target, plain.options).item();
        const l1 = crossEntropy(equal.x, equal.target, equal.options).item();
        const expected = k.reduction === 'mean' ? l0 : a * l0;
        return Math.abs(l1 - expected) <= 1e-12 * (1 + Math.abs(expected));
      }),
      { numRuns: 50 },
    );
  });

  it('scaling all weights by α leaves mean unchanged and scales sum by α (index targets)', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, weights: 'always' }), fc.double({ min: 0.1, max: 10, noNaN: true }), (k, a) => {
        const base = caseTensors(k, 'float64', { reduction: 'mean' });
        const scaled = caseTensors(k, 'float64', { reduction: 'mean', weight: k.weight!.map((w) => a * w) });
        const m0 = crossEntropy(base.x, base.target, base.options).item();
        const m1 = crossEntropy(scaled.x, scaled.target, scaled.options).item();
        const s0 = crossEntropy(base.x, base.target, { ...base.options, reduction: 'sum' }).item();
        const s1 = crossEntropy(scaled.x, scaled.target, { ...scaled.options, reduction: 'sum' }).item();
        return Math.abs(m1 - m0) <= 1e-12 * (1 + Math.abs(m0)) && Math.abs(s1 - a * s0) <= 1e-12 * (1 + Math.abs(a * s0));
      }),
      { numRuns: 50 },
    );
  });

  it('with probability targets, mean divides by positions, so scaling the weights by α scales it by α', () => {
    fc.assert(
      fc.property(lossCaseArb({ weights: 'always' }).filter((k) => k.kind === 'probabilities'), fc.double({ min: 0.1, max: 10, noNaN: true }), (k, a) => {
        const base = caseTensors(k, 'float64', { reduction: 'mean' });
        const scaled = caseTensors(k, 'float64', { reduction: 'mean', weight: k.weight!.map((w) => a * w) });
        const m0 = crossEntropy(base.x, base.target, base.options).item();
        const m1 = crossEntropy(scaled.x, scaled.target, scaled.options).item();
        return Math.abs(m1 - a * m0) <= 1e-12 * (1 + Math.abs(a * m0));
      }),
      { numRuns: 25 },
    );
  });

  it('integer weights: the weighted mean equals the unweighted mean over a batch with each position repeated w[y] times', () => {
    // Without label smoothing: its term weighs every class c by w_c, not by the target's w_y.
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false, smoothing: false, weights: 'integer' }), (k) => {
        const { x, target, options } = caseTensors(k, 'float64', { reduction: 'mean' });
        const weighted = crossEntropy(x, target, options).item();
        // Rows of a (P, C) batch: position i of (N, C, d..) is x[n, :, j].
        const c = k.c;
        const inner = k.positions.length <= 1 ? 1 : k.positions.slice(1).reduce((p, d) => p * d, 1);
        const rows: number[] = [];
        const ys: number[] = [];
        k.target.forEach((y, i) => {
          const n = Math.floor(i / inner);
          const j = i % inner;
          const times = y === k.ignoreIndex ? 1 : k.weight![y]!;
          for (let r = 0; r < times; r++) {
            for (let cls = 0; cls < c; cls++) rows.push(k.x[(n * c + cls) * inner + j]!);
            ys.push(y);
          }
        });
        const repeated = crossEntropy(new Tensor(Float64Array.from(rows), [ys.length, c]), new Tensor(Int32Array.from(ys), [ys.length]), { ignoreIndex: k.ignoreIndex }).item();
        return Math.abs(weighted - repeated) <= 1e-12 * (1 + Math.abs(repeated));
      }),
      { numRuns: 50 },
    );
  });

  it("each position's gradient sums to zero over the classes", () => {
    fc.assert(
      fc.property(lossCaseArb({ reductions: ['none'] }), (k) => {
        const { x, target, options } = caseTensors(k);
        const loss = crossEntropy(x, target, options);
        loss.backward(new Tensor(Float64Array.from(loss.data, (_, i) => 1 + (i % 3)), loss.shape));
        const sums = sum(x.grad!, k.shape.length === 1 ? 0 : 1);
        return Array.from(sums.data).every((v) => Math.abs(v) <= 1e-12);
      }),
      { numRuns: 50 },
    );
  });

  it('sum = mean · Σ w[y] and none.sum() = sum', () => {
    fc.assert(
      fc.property(lossCaseArb({ probabilities: false }), (k) => {
        const { x, target, options } = caseTensors(k);
        const mean = crossEntropy(x, target, { ...options, reduction: 'mean' }).item();
        const total = crossEntropy(x, target, { ...options, reduction: 'sum' }).item();
        const none = sum(crossEntropy(x, target, { ...options, reduction: 'none' })).item();
        const W = k.target.reduce((acc, y) => acc + (y === k.ignoreIndex ? 0 : k.weight ? k.weight[y]! : 1), 0);
        const tol = 1e-12 * (1 + Math.abs(total));
        return Math.abs(total - mean * W) <= tol && Math.abs(none - total) <= tol;
      }),
      { numRuns: 50 },
    );
  });
});

describe('crossEntropy: bad input names the op, the argument and the values', () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);
  const int = (v: number[]) => tensor(v, { dtype: 'int32' });

  it('a target outside [0, C) that is not ignoreIndex: the value and its position', () => {
    expect(() => crossEntropy(x, int([0, 3]))).toThrow(re('crossEntropy: target value 3 at position [1] is out of range: classes are 0..2 (C = 3) and ignoreIndex is -100'));
    const x4 = f64([[[[0, 0], [0, 0]], [[0, 0], [0, 0]]]]);
    expect(() => crossEntropy(x4, tensor([[[0, 1], [-1, 0]]], { dtype: 'int32' }))).toThrow(re('target value -1 at position [0, 1, 0]'));
    expect(() => crossEntropy(x, int([0, -1]), { ignoreIndex: -1 })).not.toThrow();
  });

  it('a target out of range past the first 1024 positions (where the wasm backend checks in a kernel): its position', () => {
    const y = new Int32Array(2 * 40 * 40).fill(1);
    y[2000] = -1;
    const t = tensor(y, { shape: [2, 40, 40], dtype: 'int32' });
    expect(() => crossEntropy(full([2, 3, 40, 40], 0), t)).toThrow(re('crossEntropy: target value -1 at position [1, 10, 0] is out of range: classes are 0..2 (C = 3) and ignoreIndex is -100'));
    y[2000] = -100;
    expect(crossEntropy(full([2, 3, 40, 40], 0), tensor(y, { shape: [2, 40, 40], dtype: 'int32' })).item()).toBeCloseTo(Math.log(3), 6);
  });

  it('a weight of the wrong length', () => {
    expect(() => crossEntropy(x, int([0, 1]), { weight: f64([1, 2]) })).toThrow(re('crossEntropy: weight must be a float tensor of shape [3] (one value per class, C = 3), got float64 of shape [2]'));
  });

  it('a target shape that does not match the input', () => {
    expect(() => crossEntropy(x, int([0, 1, 2]))).toThrow(re('crossEntropy: target shape [3] does not match input shape [2, 3]; class-index targets must have shape [2]'));
    expect(() => crossEntropy(f64([[[1, 2]], [[3, 4]]]), int([0, 1]))).toThrow(re('target shape [2] does not match input shape [2, 1, 2]'));
  });

  it('ignoreIndex set with probability targets', () => {
    const p = f64([[0.2, 0.3, 0.5], [1, 0, 0]]);
    expect(() => crossEntropy(x, p, { ignoreIndex: 0 })).toThrow(re('crossEntropy: ignoreIndex (0) is not supported with probability targets'));
    expect(() => crossEntropy(x, p, { ignoreIndex: -1 })).toThrow(re('ignoreIndex (-1) is not supported'));
    expect(crossEntropy(x, p, { ignoreIndex: -100 }).item()).toBeCloseTo(crossEntropy(x, p).item(), 15);
  });

  it('labelSmoothing outside [0, 1]', () => {
    expect(() => crossEntropy(x, int([0, 1]), { labelSmoothing: 1.5 })).toThrow(re('crossEntropy: labelSmoothing must be a number in [0, 1], got 1.5'));
    expect(() => crossEntropy(x, int([0, 1]), { labelSmoothing: -0.1 })).toThrow(re('got -0.1'));
    expect(() => crossEntropy(x, int([0, 1]), { labelSmoothing: Number.NaN })).toThrow(re('got NaN'));
  });

  it('a float tensor passed as index targets; an int tensor of the input shape passed as probabilities', () => {
    expect(() => crossEntropy(x, f64([0, 1]))).toThrow(re('crossEntropy: target is float64 of shape [2], which is neither class-index targets (those must be int32 of shape [2])'));
    expect(() => crossEntropy(x, tensor([[0, 1, 0], [1, 0, 0]], { dtype: 'int32' }))).toThrow(re('so it is read as class probabilities, which must be float; got int32'));
  });

  it('a reduction, ignoreIndex or input that is not allowed', () => {
    expect(() => crossEntropy(x, int([0, 1]), { reduction: 'avg' as 'mean' })).toThrow(re(`crossEntropy: reduction must be 'mean', 'sum' or 'none', got "avg"`));
    expect(() => crossEntropy(x, int([0, 1]), { ignoreIndex: 0.5 })).toThrow(re('crossEntropy: ignoreIndex must be an integer, got 0.5'));
    expect(() => crossEntropy(int([1, 2]), int([0, 1]))).toThrow(re('crossEntropy: input must be a float tensor'));
    expect(() => crossEntropy(f64(1), tensor(0, { dtype: 'int32' }))).toThrow(re('crossEntropy: input must have shape (N, C, d1..dk) or (C)'));
    expect(() => crossEntropy(full([2, 0], 0, { dtype: 'float64' }), int([0, 0]))).toThrow(re('has no classes (C = 0)'));
  });
});
