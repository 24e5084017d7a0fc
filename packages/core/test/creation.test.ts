import { describe, expect, it } from 'vitest';
import {
  arange, full, Generator, ones, onesLike, rand, randint, randn, tensor, uniform, zeros, zerosLike,
} from '../src/index.js';
import { flat } from './helpers.js';

describe('tensor()', () => {
  it('infers the shape of nested arrays; float32 by default', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(flat(t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tensor(5).shape).toEqual([]);
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[[1]], [[2]]]).shape).toEqual([2, 1, 1]);
  });

  it('takes a dtype, booleans as 0/1, and requiresGrad', () => {
    const i = tensor([1.9, -1.9], { dtype: 'int32' });
    expect(i.dtype).toBe('int32');
    expect(flat(i)).toEqual([1, -1]);
    expect(flat(tensor([true, false]))).toEqual([1, 0]);
    const d = tensor([0.1], { dtype: 'float64', requiresGrad: true });
    expect(d.data[0]).toBe(0.1);
    expect(d.requiresGrad).toBe(true);
  });

  it('takes a flat typed array or number array with a shape, copying the data', () => {
    const src = new Float64Array([1, 2, 3, 4]);
    const t = tensor(src, { shape: [2, 2] });
    expect(t.dtype).toBe('float64'); // the typed array's dtype
    expect(t.shape).toEqual([2, 2]);
    src[0] = 9;
    expect(t.data[0]).toBe(1);
    expect(tensor(new Int32Array([1, 2])).shape).toEqual([2]);
    expect(tensor(new Int32Array([1, 2]), { dtype: 'float32' }).dtype).toBe('float32');
    expect(tensor([1, 2, 3, 4, 5, 6], { shape: [3, 2] }).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('names the fault in ragged arrays and wrong sizes', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: data is a ragged nested array at depth 1 \(expected shape \[2, 2\]\)/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(/tensor: data is a ragged nested array at depth 1/);
    expect(() => tensor([1, [2]] as never)).toThrow(/tensor: data is a ragged nested array \(expected shape \[2\]\)/);
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow(/tensor: 3 values do not fill shape \[2, 2\] \(4 elements\)/);
    expect(() => tensor(new Float32Array(5), { shape: [2, 2] })).toThrow(/tensor: 5 values do not fill shape \[2, 2\]/);
  });
});

describe('zeros, ones, full, zerosLike, onesLike', () => {
  it('fill a shape with a value in a dtype', () => {
    expect(flat(zeros([2, 2]))).toEqual([0, 0, 0, 0]);
    expect(flat(ones([3]))).toEqual([1, 1, 1]);
    const f = full([2, 1], 7.5, { dtype: 'float64', requiresGrad: true });
    expect(f.shape).toEqual([2, 1]);
    expect(flat(f)).toEqual([7.5, 7.5]);
    expect(f.requiresGrad).toBe(true);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([0, 3]).size).toBe(0);
  });

  it('the *Like variants copy shape and dtype, with overrides', () => {
    const i = tensor([[1, 2]], { dtype: 'int32' });
    expect(zerosLike(i).dtype).toBe('int32');
    expect(zerosLike(i).shape).toEqual([1, 2]);
    expect(flat(onesLike(i))).toEqual([1, 1]);
    expect(onesLike(i, { dtype: 'float64' }).dtype).toBe('float64');
  });
});

describe('arange', () => {
  it('counts from start below end by step, as torch.arange', () => {
    // [0, 5): 0..4, int32 (all arguments integers)
    const a = arange(5);
    expect(a.dtype).toBe('int32');
    expect(flat(a)).toEqual([0, 1, 2, 3, 4]);
    expect(flat(arange(2, 8, 3))).toEqual([2, 5]);
    expect(flat(arange(3, 0, -1))).toEqual([3, 2, 1]);
    // a float step: ceil((1 − 0)/0.25) = 4 values, float32
    const f = arange(0, 1, 0.25);
    expect(f.dtype).toBe('float32');
    expect(flat(f)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(arange(0, 3, 1, { dtype: 'float64' }).dtype).toBe('float64');
    // As torch.arange: an end below the start with a positive step is an error, not an empty tensor.
    expect(() => arange(5, 2)).toThrow(/arange: end 2 and start 5 are inconsistent with the sign of step 1/);
    expect(arange(5, 5).size).toBe(0);
  });

  it('refuses a zero or non-finite step', () => {
    expect(() => arange(0, 5, 0)).toThrow(/arange: step must be non-zero, got 0/);
    expect(() => arange(0, 5, Infinity)).toThrow(/arange: step must be a finite number, got Infinity/);
  });
});

describe('rand, randn, uniform, randint', () => {
  it('draw from the generator given, reproducibly', () => {
    const a = rand([3, 2], { generator: new Generator(1), dtype: 'float64' });
    const b = rand([3, 2], { generator: new Generator(1), dtype: 'float64' });
    expect(a.shape).toEqual([3, 2]);
    expect(flat(a)).toEqual(flat(b));
    // rand takes the generator's uniforms in order
    const g = new Generator(1);
    expect(flat(a)).toEqual(Array.from({ length: 6 }, () => g.uniform()));
    const n1 = randn([4], { generator: new Generator(2), dtype: 'float64' });
    const h = new Generator(2);
    expect(flat(n1)).toEqual(Array.from({ length: 4 }, () => h.normal()));
    expect(randn([2], { generator: new Generator(2) }).dtype).toBe('float32');
    expect(rand([1], { requiresGrad: true }).requiresGrad).toBe(true);
  });

  it('uniform draws in [low, high)', () => {
    const u = uniform([1000], -3, -1, { generator: new Generator(4), dtype: 'float64' });
    expect(u.data.every((v) => v >= -3 && v < -1)).toBe(true);
    const mean = flat(u).reduce((s, v) => s + v, 0) / u.size;
    expect(Math.abs(mean + 2)).toBeLessThan(0.1);
  });

  it('randint draws int32 in [low, high), reaching both ends', () => {
    const r = randint(-1, 2, [500], { generator: new Generator(6) });
    expect(r.dtype).toBe('int32');
    expect(new Set(r.data)).toEqual(new Set([-1, 0, 1]));
    expect(() => randint(2, 2, [1])).toThrow(/randint: need low < high, got low=2, high=2/);
    expect(() => randint(0, 1.5, [1])).toThrow(/randint: high must be an integer <= 2147483648, got 1.5/);
  });

  it('refuse int32 for float draws', () => {
    expect(() => rand([1], { dtype: 'int32' })).toThrow(/rand: dtype must be float32 or float64, got int32/);
    expect(() => randn([1], { dtype: 'int32' })).toThrow(/randn: dtype must be float32 or float64, got int32/);
  });
});
