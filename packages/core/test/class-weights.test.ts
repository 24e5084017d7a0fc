import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classWeights, Tensor, tensor } from '../src/index.js';
import { expectClose, re } from './helpers.js';

const int = (v: unknown) => tensor(v as number[], { dtype: 'int32' });

describe('classWeights: hand-derived values for counts [60, 30, 10] (N = 100, C = 3, f = [0.6, 0.3, 0.1])', () => {
  const counts = [60, 30, 10];

  it('inverse: 1/f_c = [100/60, 100/30, 100/10]', () => {
    expectClose(classWeights(counts, { scheme: 'inverse', dtype: 'float64' }), [100 / 60, 100 / 30, 10]);
    expectClose(classWeights(counts, { scheme: 'inverse' }), [1.6666666, 3.3333333, 10], { atol: 1e-6, rtol: 1e-6 });
  });

  it('balanced: N/(C·n_c) = [100/180, 100/90, 100/30]', () => {
    expectClose(classWeights(counts, { scheme: 'balanced', dtype: 'float64' }), [100 / 180, 100 / 90, 100 / 30]);
  });

  it('median (pixel frequency): median(0.6, 0.3, 0.1) = 0.3, w = 0.3/f = [0.5, 1, 3]', () => {
    expectClose(classWeights(counts, { scheme: 'median', dtype: 'float64' }), [0.5, 1, 3]);
  });

  it('enet: 1/ln(1.02 + f) = [1/ln 1.62, 1/ln 1.32, 1/ln 1.12] = [2.0729, 3.6019, 8.8239]', () => {
    const w = classWeights(counts, { scheme: 'enet', dtype: 'float64' });
    expectClose(w, [1 / Math.log(1.62), 1 / Math.log(1.32), 1 / Math.log(1.12)]);
    expectClose(w, [2.0729, 3.6019, 8.8239], { atol: 1e-4, rtol: 0 });
    expectClose(classWeights(counts, { scheme: 'enet', c: 1.1, dtype: 'float64' }), [1 / Math.log(1.7), 1 / Math.log(1.4), 1 / Math.log(1.2)]);
  });

  it('effective (β = 0.9): (1 − β)/(1 − β^n) = [0.100180, 0.104427, 0.153534], scaled to sum 3', () => {
    // 0.9^60 = 0.0017970, 0.9^30 = 0.0423912, 0.9^10 = 0.3486784; the raw weights sum to 0.358141
    const w = classWeights(counts, { scheme: 'effective', beta: 0.9, dtype: 'float64' });
    expectClose(w, [0.100180, 0.104427, 0.153534].map((v) => (3 * v) / 0.358141), { atol: 1e-5, rtol: 0 });
    expect(Array.from(w.data).reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
    // β = 0: every seen class counts once, so all weights are equal
    expectClose(classWeights(counts, { scheme: 'effective', beta: 0, dtype: 'float64' }), [1, 1, 1]);
  });

  it('returns float32 of shape [C] unless asked for float64; accepts a float tensor of counts', () => {
    const w = classWeights(tensor(counts), { scheme: 'inverse' });
    expect(w.dtype).toBe('float32');
    expect(w.shape).toEqual([3]);
    expect(classWeights(counts, { scheme: 'inverse', dtype: 'float64' }).dtype).toBe('float64');
  });
});

describe('classWeights: a class with no pixels gets weight 0 (never Infinity or NaN)', () => {
  it.each(['inverse', 'balanced', 'median', 'enet', 'effective'] as const)('%s', (scheme) => {
    const w = Array.from(classWeights([50, 0, 50], { scheme, dtype: 'float64' }).data);
    expect(w[1]).toBe(0);
    expect(w.every(Number.isFinite)).toBe(true);
    expect(w[0]).toBeGreaterThan(0);
    expect(w[0]).toBe(w[2]);
  });

  it('property: every scheme gives finite weights ≥ 0, 0 exactly for absent classes, and a rarer class never weighs less', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 6 }).filter((c) => c.some((n) => n > 0)), fc.constantFrom('inverse', 'balanced', 'median', 'enet', 'effective' as const), (counts, scheme) => {
        const w = Array.from(classWeights(counts, { scheme, dtype: 'float64' }).data);
        return w.every((v, k) => Number.isFinite(v) && v >= 0 && (v === 0) === (counts[k] === 0)) &&
          counts.every((a, i) => counts.every((b, j) => !(a > 0 && b > 0 && a < b) || w[i]! >= w[j]! * (1 - 1e-12)));
      }),
      { numRuns: 100 },
    );
  });
});

describe('classWeights from a target tensor', () => {
  // Two images of four pixels: [0, 0, 0, 1] and [0, 0, 2, 2], and an ignored pixel (255) in each.
  // n = [5, 1, 2]. Class 0 occurs in both images (8 pixels), class 1 in the first (4), class 2 in the second (4).
  const target = int([[0, 0, 255, 0, 1], [0, 255, 0, 2, 2]]);

  it('counts pixels, skipping ignoreIndex: inverse = 8/n = [1.6, 8, 4]', () => {
    expectClose(classWeights(target, { scheme: 'inverse', ignoreIndex: 255, numClasses: 3, dtype: 'float64' }), [8 / 5, 8, 4]);
  });

  it("median, Eigen & Fergus ('images', the default for targets): f = [5/8, 1/4, 2/4], median 0.5, w = [0.8, 2, 1]", () => {
    expectClose(classWeights(target, { scheme: 'median', ignoreIndex: 255, numClasses: 3, dtype: 'float64' }), [0.8, 2, 1]);
  });

  it("median with frequency 'pixels': f = [5/8, 1/8, 2/8], median 0.25, w = [0.4, 2, 1]", () => {
    expectClose(classWeights(target, { scheme: 'median', ignoreIndex: 255, numClasses: 3, frequency: 'pixels', dtype: 'float64' }), [0.4, 2, 1]);
  });

  it('numClasses adds classes that do not occur (weight 0) and balanced divides by all of them', () => {
    expectClose(classWeights(target, { scheme: 'balanced', ignoreIndex: 255, numClasses: 4, dtype: 'float64' }), [8 / 20, 8 / 4, 8 / 8, 0]);
  });

  it('a change mask with a void label 255 (the issue-10 case): numClasses weights, the void pixels not counted', () => {
    // n = [3, 1] of N = 4 counted pixels (the two 255s skipped): balanced = 4/(2·n) = [2/3, 2]
    const mask = int([[0, 255, 0], [1, 0, 255]]);
    const w = classWeights(mask, { scheme: 'balanced', numClasses: 2, ignoreIndex: 255, dtype: 'float64' });
    expect(w.shape).toEqual([2]);
    expectClose(w, [2 / 3, 2]);
  });

  it('property: the weights of a target are the weights of its non-ignored pixel counts, numClasses of them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 40 }),
        (numClasses, raw) => {
          const labels = raw.map((v) => (v >= numClasses ? 255 : v)); // out-of-range draws become void
          const counts = Array.from({ length: numClasses }, (_, k) => labels.filter((v) => v === k).length);
          fc.pre(counts.some((n) => n > 0));
          const target = new Tensor(Int32Array.from(labels), [labels.length]);
          const fromTarget = classWeights(target, { scheme: 'balanced', numClasses, ignoreIndex: 255, dtype: 'float64' });
          const fromCounts = classWeights(counts, { scheme: 'balanced', dtype: 'float64' });
          return fromTarget.shape[0] === numClasses && fromTarget.data.every((v, k) => v === fromCounts.data[k]);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('classWeights: bad input', () => {
  it('names the op and the argument', () => {
    expect(() => classWeights([1, 2], { scheme: 'sqrt' as 'inverse' })).toThrow(re('classWeights: scheme must be one of inverse, balanced, median, enet, effective; got "sqrt"'));
    expect(() => classWeights([1, -2], { scheme: 'inverse' })).toThrow(re('classWeights: counts must be finite and >= 0; class 1 has -2'));
    expect(() => classWeights([0, 0], { scheme: 'inverse' })).toThrow(re('classWeights: no pixels counted (all 2 counts are 0)'));
    expect(() => classWeights([1, 2], { scheme: 'effective', beta: 1 })).toThrow(re('classWeights: beta of the effective scheme must be in [0, 1), got 1'));
    expect(() => classWeights([1, 2], { scheme: 'enet', c: 1 })).toThrow(re('classWeights: c of the enet scheme must be > 1'));
    expect(() => classWeights([1, 2], { scheme: 'median', frequency: 'images' })).toThrow(re("classWeights: frequency 'images' needs an int32 target tensor"));
    expect(() => classWeights([1, 2], { scheme: 'inverse', numClasses: 3 })).toThrow(re('classWeights: options.numClasses is 3 but 2 counts were given'));
    expect(() => classWeights([1, 2], { scheme: 'inverse', ignoreIndex: 255 })).toThrow(re('classWeights: options.ignoreIndex applies to an int32 target tensor; counts have no labels to ignore (got ignoreIndex 255 with counts)'));
  });

  it('a target label outside [0, numClasses) is an error naming the label, its position and the range (no silent 256 classes)', () => {
    expect(() => classWeights(int([[0, 3]]), { scheme: 'inverse', numClasses: 3 })).toThrow(re('classWeights: target label 3 at position [0, 1] is outside [0, 3) (options.numClasses is 3) and is not options.ignoreIndex (-100)'));
    expect(() => classWeights(int([[0, 255], [1, 0]]), { scheme: 'inverse', numClasses: 2 })).toThrow(re('classWeights: target label 255 at position [0, 1] is outside [0, 2) (options.numClasses is 2) and is not options.ignoreIndex (-100)'));
    expect(() => classWeights(int([0, -1]), { scheme: 'inverse', numClasses: 2, ignoreIndex: 255 })).toThrow(re('classWeights: target label -1 at position [1] is outside [0, 2) (options.numClasses is 2) and is not options.ignoreIndex (255)'));
  });

  it('a target needs numClasses, an integer >= 1, and an integer ignoreIndex', () => {
    expect(() => classWeights(int([[0, 255], [1, 0]]), { scheme: 'inverse' })).toThrow(re('classWeights: options.numClasses is required with a target tensor (it has labels up to 255; a void label such as 255 goes in options.ignoreIndex)'));
    expect(() => classWeights(int([[0, 1]]), { scheme: 'inverse', numClasses: 0 })).toThrow(re('classWeights: options.numClasses must be an integer >= 1, got 0'));
    expect(() => classWeights(int([[0, 1]]), { scheme: 'inverse', numClasses: 2, ignoreIndex: 0.5 })).toThrow(re('classWeights: options.ignoreIndex must be an integer, got 0.5'));
    expect(() => classWeights(tensor([[1, 2]]), { scheme: 'inverse' })).toThrow(re('classWeights: counts must have shape [C], got shape [1, 2]'));
  });
});
