import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, cast, mul, Tensor, tensor } from '../src/index.js';
import { gradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, flat, RUNS } from './helpers.js';

describe('Tensor', () => {
  it('holds a contiguous row-major typed array with a shape and a dtype', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.shape).toEqual([2, 3]);
    expect(Object.isFrozen(t.shape)).toBe(true);
    expect(t.size).toBe(6);
    expect(t.numel()).toBe(6);
    expect(t.ndim).toBe(2);
    expect(flat(t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.requiresGrad).toBe(false);
    expect(t.grad).toBeNull();
    expect(t.isLeaf).toBe(true);
  });

  it('toArray nests by shape; a 0-d tensor gives a number', () => {
    expect(tensor([[1, 2], [3, 4]]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(f64(2.5).toArray()).toBe(2.5);
    expect(tensor([[], []]).toArray()).toEqual([[], []]);
    expect(Tensor.empty([2, 0, 3]).toArray()).toEqual([[], []]);
  });

  it('item() reads a one-element tensor and names the shape otherwise', () => {
    expect(f64([[3.25]]).item()).toBe(3.25);
    expect(() => f64([1, 2]).item()).toThrow(/item: only a one-element tensor can be converted to a number; shape is \[2\]/);
  });

  it('to(dtype) converts: int32 truncates toward zero, float32 rounds', () => {
    const x = f64([1.7, -1.7, 2.5]);
    const i = x.to('int32');
    expect(i.dtype).toBe('int32');
    expect(flat(i)).toEqual([1, -1, 2]);
    expect(flat(x.to('float32'))).toEqual([Math.fround(1.7), Math.fround(-1.7), 2.5]);
    expect(flat(tensor([3], { dtype: 'int32' }).to('float64'))).toEqual([3]);
    expect(cast(x, 'float64')).not.toBe(x);
  });

  it('to(dtype) between floats is differentiable (the gradient comes back in the input dtype)', () => {
    fc.assert(
      fc.property(shapedTensorArb({ maxRank: 3 }, { requiresGrad: true }), (x) =>
        // float64 → float64 is a recorded copy; through float32 the values round to 2^-24, so the step
        // is 1e-3 (rounding error ≈ 4·2^-24 / 1e-3 ≈ 2.4e-4 in the difference quotient; x·x has no
        // truncation error)
        gradcheck((t) => t.to('float64').mul(t), [x], { name: 'cast' }) &&
        gradcheck((t) => t.to('float32').to('float64').mul(t), [x], { name: 'cast via float32', eps: 1e-3, atol: 1e-3 })),
      { numRuns: RUNS },
    );
    const w = tensor([1, 2], { requiresGrad: true });
    mul(w.to('float64'), f64([3, 4])).sum().backward();
    expect(w.grad!.dtype).toBe('float32');
    expect(flat(w.grad!)).toEqual([3, 4]);
    expect(f64([1], { requiresGrad: true }).to('int32').requiresGrad).toBe(false);
  });

  it('clone() copies the data and stays in the graph', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const y = x.clone();
    expect(y.data).not.toBe(x.data);
    expect(flat(y)).toEqual([1, 2]);
    y.data[0] = 9;
    expect(x.data[0]).toBe(1);
    mul(y, 3).sum().backward();
    expect(flat(x.grad!)).toEqual([3, 3]);
    // an int32 clone
    const i = tensor([1], { dtype: 'int32' }).clone();
    expect(i.dtype).toBe('int32');
  });

  it('detach() shares the data and leaves the graph', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const y = mul(x, 2);
    const d = y.detach();
    expect(d.data).toBe(y.data);
    expect(d.requiresGrad).toBe(false);
    expect(d.gradFn).toBeNull();
    expect(add(d, 1).requiresGrad).toBe(false);
  });

  it('requiresGrad can be set on float leaves only, and not turned off on a non-leaf', () => {
    const x = f64([1]);
    expect(x.requiresGrad_()).toBe(x);
    expect(x.requiresGrad).toBe(true);
    x.requiresGrad = false;
    expect(x.requiresGrad).toBe(false);
    const y = mul(f64([1], { requiresGrad: true }), 2);
    expect(() => { y.requiresGrad = false; }).toThrow(/requiresGrad: cannot turn off requiresGrad on a non-leaf tensor; use detach\(\)/);
    expect(() => tensor([1], { dtype: 'int32' }).requiresGrad_(true)).toThrow(/only float tensors can require gradients; this tensor is int32/);
  });

  it('the constructor checks the shape against the data', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/Tensor: data has 5 elements but shape \[2, 3\] needs 6/);
    expect(() => new Tensor(new Float32Array(0), [2, -1])).toThrow(/Tensor: shape \[2, -1\] has an invalid dim -1/);
    expect(() => new Tensor(new Float32Array(3), [1.5, 2])).toThrow(/invalid dim 1.5/);
    expect(new Tensor(new Int32Array(1), []).dtype).toBe('int32');
  });

  it('Tensor.empty allocates zeros of a dtype', () => {
    const e = Tensor.empty([2, 2], 'float64');
    expect(e.dtype).toBe('float64');
    expect(flat(e)).toEqual([0, 0, 0, 0]);
  });

  it("toString is PyTorch's repr (tensor-print.once.test.ts compares it with PyTorch's strings)", () => {
    expect(f64([[1, 2]], { requiresGrad: true }).toString()).toBe('tensor([[1., 2.]], dtype=float64, requires_grad=True)');
    expect(tensor(new Float32Array(1001)).toString()).toBe('tensor([0., 0., 0.,  ..., 0., 0., 0.])');
  });

  it('methods are aliases of the functional ops', () => {
    const a = f64([[1, -2], [3, 4]]);
    // (a + 1)·a − log(exp(a)) = a²: [[1, 4], [9, 16]]; |·| keeps it; row sums [5, 25]
    expectClose(a.add(1).mul(a).sub(a.exp().log()).abs().sum(1), [5, 25]);
  });
});
