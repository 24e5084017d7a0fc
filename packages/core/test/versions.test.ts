import { describe, expect, it } from 'vitest';
import { exp, markModified, mul, noGrad, tensor, versionOf } from '../src/index.js';
import { expectClose, f64, flat } from './helpers.js';

describe('version counters', () => {
  it('are shared by the tensors aliasing one data array, and bumped by each in-place helper', () => {
    const x = f64([[1, 2], [3, 4]]);
    const views = [x.reshape([4]), x.view([2, 2]), x.flatten(), x.unsqueeze(0), x.squeeze(), x.detach()];
    expect(x.version).toBe(0);
    x.add_(1);
    x.sub_(1);
    views[0]!.mul_(2);
    views[5]!.div_(2);
    views[2]!.clamp_({ min: -10 });
    x.fill_(3);
    x.zero_();
    x.copy_(f64([1, 2]));
    expect(x.version).toBe(8);
    for (const v of views) expect(v.version).toBe(8);
    // a copy does not share it
    expect(x.clone().version).toBe(0);
    // raw writes to .data are not counted; markModified counts them
    x.data[0] = 7;
    expect(versionOf(x)).toBe(8);
    markModified(x);
    expect(views[3]!.version).toBe(9);
  });
});

describe('saved tensors', () => {
  it('refuse a backward after an input was changed in place, naming the op, the input and the versions', () => {
    const w = f64([1, 2], { requiresGrad: true });
    const x = f64([3, 4]);
    const y = mul(x, w).sum(); // mul saves x for w's gradient
    x.add_(1);
    expect(() => y.backward()).toThrow(
      /backward: one of the tensors needed for gradient computation has been modified by an in-place operation: input 0 \(float64 of shape \[2\]\), saved by op 'mul', is at version 1; expected version 0/,
    );
  });

  it('refuse a backward after the saved output of exp was changed through a view', () => {
    const x = f64([0, 1], { requiresGrad: true });
    const y = exp(x);
    const loss = y.sum();
    noGrad(() => y.reshape([2, 1]).mul_(2));
    expect(() => loss.backward()).toThrow(/its output \(float64 of shape \[2\]\), saved by op 'exp', is at version 1; expected version 0/);
  });

  it('ignore changes to what the backward does not read', () => {
    // mul(x, w) with only w requiring grad reads x, not w: changing w leaves w's gradient right (dw = x).
    const w = f64([1, 2], { requiresGrad: true });
    const x = f64([3, 4]);
    const y = mul(x, w).sum();
    noGrad(() => w.add_(10));
    y.backward();
    expect(flat(w.grad!)).toEqual([3, 4]);
    // add reads nothing
    const a = f64([1], { requiresGrad: true });
    const b = f64([2]);
    const z = a.add(b);
    b.fill_(5);
    z.backward();
    expect(flat(a.grad!)).toEqual([1]);
  });

  it('pass a changed tensor the forward saw after the change (versions are taken at record time)', () => {
    const x = f64([1, 2]);
    x.mul_(3);
    const w = f64([1, 1], { requiresGrad: true });
    mul(x, w).sum().backward();
    expect(flat(w.grad!)).toEqual([3, 6]);
  });
});

describe('in-place helpers', () => {
  it('compute in the tensor, broadcasting the other operand (alpha as PyTorch)', () => {
    // x = [[1, 2], [3, 4]]; add_([10, 20], alpha 0.5) adds [5, 10] to each row; sub_ 1; mul_ by column; div_ 2
    const x = f64([[1, 2], [3, 4]]);
    expect(x.add_(f64([10, 20]), { alpha: 0.5 })).toBe(x);
    expectClose(x, [[6, 12], [8, 14]]);
    x.sub_(1).mul_(f64([[1], [-1]])).div_(2);
    expectClose(x, [[2.5, 5.5], [-3.5, -6.5]]);
    x.clamp_({ min: -4, max: 3 });
    expectClose(x, [[2.5, 3], [-3.5, -4]]);
    x.sub_(f64([1, 1]), { alpha: -2 });
    expectClose(x, [[4.5, 5], [-1.5, -2]]);
  });

  it('keep the tensor dtype: float64 into float32 rounds once; float into int32 is refused, as PyTorch', () => {
    const x = tensor([1]); // float32
    x.add_(f64([0.1]));
    expect(x.data[0]).toBe(Math.fround(1.1)); // 1 + 0.1 in float64, rounded to float32 once
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => i.add_(0.5)).toThrow(/add_: the result type float32 cannot be stored in the int32 tensor \(shape \[2\]\)/);
    expect(() => i.div_(2)).toThrow(/div_: true division cannot be stored in the int32 tensor/);
    i.add_(3);
    expect(flat(i)).toEqual([4, 5]);
  });

  it('copy_ broadcasts and converts (float to int32 truncates toward zero); fill_ and zero_', () => {
    const i = tensor([[0, 0], [0, 0]], { dtype: 'int32' });
    i.copy_(f64([2.7, -2.7]));
    expect(flat(i)).toEqual([2, -2, 2, -2]);
    const x = f64([1, 2, 3]);
    expect(flat(x.fill_(4))).toEqual([4, 4, 4]);
    expect(flat(x.zero_())).toEqual([0, 0, 0]);
    expect(() => x.copy_(f64([1, 2]))).toThrow(/copy_: src of shape \[2\] does not broadcast to the tensor's shape \[3\]/);
    expect(() => x.add_(f64([[1], [2]]))).toThrow(/add_: the other operand's shape \[2, 1\] does not broadcast to the tensor's \[3\]/);
  });

  it('refuse a tensor that requires grad under grad mode, and allow it under noGrad', () => {
    const w = f64([1, 2], { requiresGrad: true });
    expect(() => w.sub_(1)).toThrow(
      /sub_: the tensor \(float64 of shape \[2\]\) requires grad: a leaf that requires grad cannot be changed in place while grad mode is on; wrap the update in noGrad/,
    );
    const h = w.mul(2);
    expect(() => h.zero_()).toThrow(/zero_: the tensor .* requires grad: in-place ops are not recorded in the graph; use the out-of-place op/);
    expect(() => f64([0, 0]).copy_(w)).toThrow(/copy_: the other operand .* requires grad/);
    noGrad(() => w.sub_(1));
    expect(flat(w)).toEqual([0, 1]);
    expect(w.requiresGrad).toBe(true);
  });
});
