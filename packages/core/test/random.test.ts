import { describe, expect, it } from 'vitest';
import { defaultGenerator, Generator, manualSeed, rand } from '../src/index.js';

describe('Generator', () => {
  it('draws the documented xoshiro128** stream (exact first values)', () => {
    // Expected values from an independent Python implementation of the algorithm random.ts documents:
    // four splitmix32 outputs of the seed (x += 0x9e3779b9; z = (z ^ z>>>16)·0x85ebca6b;
    // z = (z ^ z>>>13)·0xc2b2ae35; z ^ z>>>16) seed xoshiro128** (result = rotl(s1·5, 7)·9).
    // A change of algorithm, seeding or float construction changes these numbers.
    const g = new Generator(42);
    expect([g.nextUint32(), g.nextUint32(), g.nextUint32(), g.nextUint32()]).toEqual([
      2837322924, 544945897, 479756282, 3500138142,
    ]);
    // uniform = ((u1 >>> 5)·2^26 + (u2 >>> 6)) / 2^53, from two draws: exact in float64
    const h = new Generator(42);
    expect([h.uniform(), h.uniform(), h.uniform()]).toEqual([0.6606157208001621, 0.1117019639532224, 0.0791056456144914]);
    const z = new Generator(0);
    expect([z.uniform(), z.uniform(), z.uniform()]).toEqual([0.8868539502021594, 0.012474988946590604, 0.032522145755498943]);
  });

  it('draws normals by Box–Muller from two uniforms, keeping the second value', () => {
    // seed 7: u, v = the first two uniforms; r = sqrt(−2 ln u); r·cos(2πv), then r·sin(2πv)
    // (Python's libm gives -1.6177301980272665 and 0.5378571766297454; allow the last ulps of cos/sin)
    const g = new Generator(7);
    expect(g.normal()).toBeCloseTo(-1.6177301980272665, 14);
    expect(g.normal()).toBeCloseTo(0.5378571766297454, 14);
  });

  it('gives the same numbers for the same seed, from two generators and after re-seeding', () => {
    const a = new Generator(123);
    const b = new Generator(123);
    const xs = Array.from({ length: 50 }, () => a.normal());
    const ys = Array.from({ length: 50 }, () => b.normal());
    expect(xs).toEqual(ys);
    a.manualSeed(123);
    expect(Array.from({ length: 50 }, () => a.normal())).toEqual(xs);
  });

  it('gives different numbers for different seeds (also seeds beyond 32 bits and negative ones)', () => {
    const draw = (seed: number): number[] => {
      const g = new Generator(seed);
      return Array.from({ length: 4 }, () => g.uniform());
    };
    expect(draw(1)).not.toEqual(draw(2));
    expect(draw(0)).not.toEqual(draw(2 ** 32)); // the high word takes part in seeding
    expect(draw(-1)).not.toEqual(draw(1));
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const g = new Generator(5);
    const n = 10_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const u = g.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      s += u;
      s2 += u * u;
    }
    const mean = s / n;
    // standard error of the mean: sqrt(1/12 / 10^4) ≈ 0.0029; allow 5 of them
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.015);
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.005);
  });

  it('draws normals with mean ≈ 0 and variance ≈ 1 over 10k samples', () => {
    const g = new Generator(11);
    const n = 10_000;
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    for (let i = 0; i < n; i++) {
      const x = g.normal();
      s += x;
      s2 += x * x;
      s4 += x ** 4;
    }
    // se(mean) = 0.01, se(var) = sqrt(2/n) ≈ 0.014, kurtosis 3 with se ≈ sqrt(24/n) ≈ 0.05: 5 se each
    expect(Math.abs(s / n)).toBeLessThan(0.05);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.07);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.25);
  });

  it('draws integers in [low, high), hitting both ends', () => {
    const g = new Generator(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const v = g.integer(-2, 3);
      expect(Number.isInteger(v) && v >= -2 && v < 3).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
    expect(() => g.integer(3, 3)).toThrow(/Generator.integer: high \(3\) must be greater than low \(3\)/);
  });

  it('resumes a stream exactly from getState / setState, including a pending normal', () => {
    const g = new Generator(9);
    g.normal(); // leaves the second Box–Muller value pending
    const state = g.getState();
    const next = [g.normal(), g.uniform(), g.normal(), g.nextUint32()];
    const h = new Generator(1).setState(state);
    expect([h.normal(), h.uniform(), h.normal(), h.nextUint32()]).toEqual(next);
    expect(() => h.setState([1, 2, 3])).toThrow(/Generator.setState: expected 5 numbers, got 3/);
  });

  it('refuses a non-finite seed', () => {
    expect(() => new Generator(Number.NaN)).toThrow(/Generator.manualSeed: seed must be a finite number, got NaN/);
  });
});

describe('the default generator', () => {
  it('is seeded by manualSeed, as torch.manual_seed', () => {
    manualSeed(2024);
    const a = Array.from(rand([5], { dtype: 'float64' }).data);
    manualSeed(2024);
    const b = Array.from(rand([5], { dtype: 'float64' }).data);
    expect(a).toEqual(b);
    expect(manualSeed(2024)).toBe(defaultGenerator);
    expect(Array.from(rand([5], { dtype: 'float64' }).data)).toEqual(
      Array.from({ length: 5 }, ((g) => () => g.uniform())(new Generator(2024))),
    );
  });
});
