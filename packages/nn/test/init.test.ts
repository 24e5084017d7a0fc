import { Generator, zeros, type Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Conv2d, ConvTranspose2d, Linear, init } from '../src/index.js';

function stats(t: Tensor): { min: number; max: number; mean: number; std: number } {
  const d = Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  return { min: Math.min(...d), max: Math.max(...d), mean, std };
}

/** All values inside ±bound, the extremes near it, and the spread of U(−b, b): std b/√3. */
function expectUniform(t: Tensor, bound: number): void {
  const s = stats(t);
  expect(s.min).toBeGreaterThanOrEqual(-bound);
  expect(s.max).toBeLessThanOrEqual(bound);
  expect(s.max).toBeGreaterThan(0.9 * bound);
  expect(s.min).toBeLessThan(-0.9 * bound);
  expect(Math.abs(s.mean)).toBeLessThan(0.1 * bound);
  expect(s.std / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
}

describe('PyTorch default initialisation', () => {
  it('Linear: weight and bias ~ U(±1/√fan_in)', () => {
    // kaimingUniform(a = √5): gain √(2/(1+5)) = 1/√3, bound = gain·√(3/fan_in) = 1/√fan_in.
    const fc = new Linear(50, 60, { generator: new Generator(1) });
    expectUniform(fc.weight, 1 / Math.sqrt(50));
    expect(stats(fc.bias!).max).toBeLessThanOrEqual(1 / Math.sqrt(50));
    expect(stats(fc.bias!).min).toBeGreaterThanOrEqual(-1 / Math.sqrt(50));
  });

  it('Conv2d: fan_in = in/groups · kH · kW; ConvTranspose2d: fan_in = out/groups · kH · kW (as PyTorch)', () => {
    const conv = new Conv2d(8, 32, 3, { generator: new Generator(2) });
    expectUniform(conv.weight, 1 / Math.sqrt(72));
    const grouped = new Conv2d(8, 32, 3, { groups: 4, generator: new Generator(2) });
    expect(grouped.weight.shape).toEqual([32, 2, 3, 3]);
    expectUniform(grouped.weight, 1 / Math.sqrt(18));
    const up = new ConvTranspose2d(32, 8, 3, { generator: new Generator(3) });
    expect(up.weight.shape).toEqual([32, 8, 3, 3]);
    expectUniform(up.weight, 1 / Math.sqrt(72));
    expect(stats(up.bias!).max).toBeLessThanOrEqual(1 / Math.sqrt(72));
  });

  it('float64 layers and reproducible draws', () => {
    const a = new Conv2d(2, 3, 3, { dtype: 'float64', generator: new Generator(5) });
    const b = new Conv2d(2, 3, 3, { dtype: 'float64', generator: new Generator(5) });
    expect(a.weight.dtype).toBe('float64');
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(Array.from(a.bias!.data)).toEqual(Array.from(b.bias!.data));
  });
});

describe('init functions', () => {
  it('kaimingUniform defaults to a = 0, fan_in, leaky_relu: bound √2 · √(3/fan_in)', () => {
    const w = init.kaimingUniform(zeros([64, 48]), { generator: new Generator(7) });
    expectUniform(w, Math.SQRT2 * Math.sqrt(3 / 48));
  });

  it('kaimingNormal: std = gain/√fan (fan_out, relu here)', () => {
    const w = init.kaimingNormal(zeros([40, 10, 3, 3], { dtype: 'float64' }), { mode: 'fan_out', nonlinearity: 'relu', generator: new Generator(8) });
    const s = stats(w);
    expect(s.std / (Math.SQRT2 / Math.sqrt(360))).toBeCloseTo(1, 1);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
  });

  it('xavierUniform: bound = gain · √(6/(fan_in + fan_out)); xavierNormal: std = gain · √(2/(fan_in + fan_out))', () => {
    expectUniform(init.xavierUniform(zeros([30, 70]), { gain: 2, generator: new Generator(9) }), 2 * Math.sqrt(6 / 100));
    const s = stats(init.xavierNormal(zeros([200, 100], { dtype: 'float64' }), { generator: new Generator(10) }));
    expect(s.std / Math.sqrt(2 / 300)).toBeCloseTo(1, 1);
  });

  it('calculateGain matches torch.nn.init.calculate_gain', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('conv2d')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
    expect(init.calculateGain('relu')).toBe(Math.SQRT2);
    expect(init.calculateGain('leaky_relu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(init.calculateGain('leaky_relu', Math.sqrt(5))).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
  });

  it('constant fills, and fans need a 2-D weight', () => {
    expect(Array.from(init.ones(zeros([3])).data)).toEqual([1, 1, 1]);
    expect(Array.from(init.zeros(init.ones(zeros([2]))).data)).toEqual([0, 0]);
    expect(Array.from(init.constant(zeros([2]), 0.5).data)).toEqual([0.5, 0.5]);
    expect(init.calculateFans(zeros([5, 4, 3, 2]))).toEqual([24, 30]);
    expect(() => init.kaimingUniform(zeros([5]))).toThrow(/at least 2 dims, got shape \[5\]/);
    expect(() => init.kaimingUniform(zeros([5, 0]))).toThrow(/empty tensor of shape \[5, 0\]/);
  });
});
