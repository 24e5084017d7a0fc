/**
 * Random classification-loss cases for property tests: logits of shape (N, C, d1..dk) or (C),
 * index targets (with ignored positions) or probability targets, per-class weights, label smoothing
 * and a reduction. Values come from fast-check, so failures shrink.
 */
import fc from 'fast-check';
import { Tensor, type CrossEntropyOptions, type Reduction } from '../src/index.js';
import { sizeOf } from '../src/shape.js';

export interface LossCase {
  shape: number[];
  positions: number[];
  c: number;
  x: number[];
  kind: 'indices' | 'probabilities';
  target: number[];
  weight: number[] | null;
  ignoreIndex: number;
  labelSmoothing: number;
  reduction: Reduction;
}

export interface LossCaseOptions {
  /** Allow probability targets (default true). */
  probabilities?: boolean;
  /** Allow label smoothing (default true). */
  smoothing?: boolean;
  /** Allow ignored positions (default true). */
  ignore?: boolean;
  reductions?: readonly Reduction[];
  /** Weights: 'any' (none or random), 'always', 'integer' (1..3, always) (default 'any'). */
  weights?: 'any' | 'always' | 'integer';
  /** Keep only cases with at least one counted (non-ignored) position (default true). */
  counted?: boolean;
  maxClasses?: number;
}

export function lossCaseArb(options: LossCaseOptions = {}): fc.Arbitrary<LossCase> {
  const { probabilities = true, smoothing = true, ignore = true, reductions = ['mean', 'sum', 'none'], weights = 'any', counted = true, maxClasses = 4 } = options;
  const params = fc.record({
    unbatched: fc.boolean(),
    n: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: maxClasses }),
    dims: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    reduction: fc.constantFrom(...reductions),
    weighted: weights === 'any' ? fc.boolean() : fc.constant(true),
    labelSmoothing: smoothing ? fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })) : fc.constant(0),
    ignoreMode: ignore ? fc.constantFrom('none', 'class', 'negative') : fc.constant('none'),
    probabilities: probabilities ? fc.boolean() : fc.constant(false),
  });
  const arb = params.chain((p) => {
    const shape = p.unbatched ? [p.c] : [p.n, p.c, ...p.dims];
    const positions = p.unbatched ? [] : [p.n, ...p.dims];
    const count = sizeOf(positions);
    const logits = fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: count * p.c, maxLength: count * p.c });
    const weight = !p.weighted
      ? fc.constant(null)
      : weights === 'integer'
        ? fc.array(fc.integer({ min: 1, max: 3 }), { minLength: p.c, maxLength: p.c })
        : fc.array(fc.double({ min: 0.1, max: 3, noNaN: true }), { minLength: p.c, maxLength: p.c });
    const target = p.probabilities
      ? fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: count * p.c, maxLength: count * p.c }).map((v) => normalise(v, shape))
      : fc.array(fc.integer({ min: 0, max: p.c - 1 }), { minLength: count, maxLength: count });
    const ignored = fc.array(fc.boolean(), { minLength: count, maxLength: count });
    const ignoredClass = fc.integer({ min: 0, max: p.c - 1 });
    return fc.record({ x: logits, weight, target, ignored, ignoredClass }).map((v): LossCase => {
      let ignoreIndex = -100;
      let t = v.target;
      if (!p.probabilities && p.ignoreMode === 'class') ignoreIndex = v.ignoredClass;
      if (!p.probabilities && p.ignoreMode === 'negative') {
        ignoreIndex = -1;
        t = t.map((y, i) => (v.ignored[i] ? -1 : y));
      }
      return {
        shape, positions, c: p.c, x: v.x, kind: p.probabilities ? 'probabilities' : 'indices', target: t,
        weight: v.weight, ignoreIndex, labelSmoothing: p.labelSmoothing, reduction: p.reduction,
      };
    });
  });
  return counted ? arb.filter((k) => k.kind === 'probabilities' || k.target.some((y) => y !== k.ignoreIndex)) : arb;
}

/** Makes the values along dim 1 (or 0 for a (C) shape) sum to one. */
function normalise(values: number[], shape: readonly number[]): number[] {
  const c = shape.length === 1 ? shape[0]! : shape[1]!;
  const inner = sizeOf(shape.slice(2));
  const out = values.slice();
  for (let o = 0; o < out.length / (c * inner); o++) {
    for (let j = 0; j < inner; j++) {
      let s = 0;
      for (let k = 0; k < c; k++) s += out[(o * c + k) * inner + j]!;
      for (let k = 0; k < c; k++) out[(o * c + k) * inner + j]! /= s;
    }
  }
  return out;
}

export type FloatKind = 'float32' | 'float64';

/** The case as tensors: logits (a fresh leaf), target, and crossEntropy options. */
export function caseTensors(k: LossCase, dtype: FloatKind = 'float64', overrides: Partial<Pick<LossCase, 'weight' | 'reduction' | 'labelSmoothing'>> = {}) {
  const F = dtype === 'float64' ? Float64Array : Float32Array;
  const x = new Tensor(F.from(k.x), k.shape, true);
  const target = k.kind === 'indices' ? new Tensor(Int32Array.from(k.target), k.positions) : new Tensor(F.from(k.target), k.shape);
  const weight = overrides.weight === undefined ? k.weight : overrides.weight;
  const options: CrossEntropyOptions = {
    ignoreIndex: k.ignoreIndex,
    reduction: overrides.reduction ?? k.reduction,
    labelSmoothing: overrides.labelSmoothing ?? k.labelSmoothing,
    ...(weight ? { weight: new Tensor(F.from(weight), [k.c]) } : {}),
  };
  return { x, target, options };
}
