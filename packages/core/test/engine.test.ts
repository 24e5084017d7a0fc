import { describe, expect, it } from 'vitest';
import {
  add, backward, enableGrad, isGradEnabled, mul, noGrad, ones, record, tensor, Tensor, unbroadcast, zeros,
} from '../src/index.js';
import { expectClose, f64, flat } from './helpers.js';

describe('backward', () => {
  it('walks a graph of 100,000 chained adds without overflowing the stack', () => {
    const x = f64([1, 2], { requiresGrad: true });
    let y = x;
    for (let i = 0; i < 100_000; i++) y = add(y, 1);
    // y = x + 100000, so dy/dx = 1 per element; the values show every add ran
    expect(flat(y)).toEqual([100_001, 100_002]);
    y.sum().backward();
    expect(flat(x.grad!)).toEqual([1, 1]);
  });

  it('accumulates leaf gradients across two backward calls', () => {
    const x = f64([1, 2, 3], { requiresGrad: true });
    // d sum(3x)/dx = 3, twice: 6; then d sum(x²)/dx = 2x added on top: 6 + [2, 4, 6]
    mul(x, 3).sum().backward();
    mul(x, 3).sum().backward();
    expect(flat(x.grad!)).toEqual([6, 6, 6]);
    mul(x, x).sum().backward();
    expect(flat(x.grad!)).toEqual([8, 10, 12]);
  });

  it('gives x·x the gradient 2x (the same tensor used twice)', () => {
    const x = f64([-1.5, 0.5, 4], { requiresGrad: true });
    mul(x, x).sum().backward();
    expect(flat(x.grad!)).toEqual([-3, 1, 8]);
  });

  it('sums the gradients of a diamond (one intermediate with two consumers)', () => {
    const x = f64([2], { requiresGrad: true });
    const h = mul(x, 3); // h = 3x
    const y = add(mul(h, h), h); // y = 9x² + 3x, dy/dx = 18x + 3 = 39 at x = 2
    y.backward(f64([1]));
    expect(flat(x.grad!)).toEqual([39]);
  });

  it('owns the leaf .grad: later accumulation does not write into the gradient of another tensor', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const g = f64([5, 7]);
    x.backward(g); // a leaf root: the seed is copied, not aliased
    x.backward(g);
    expect(flat(x.grad!)).toEqual([10, 14]);
    expect(flat(g)).toEqual([5, 7]);
  });

  it('casts the seed to the output dtype (float32 grad into a float64 output), as PyTorch', () => {
    const x = f64([1, 2], { requiresGrad: true });
    x.backward(tensor([1, 1]));
    expect(x.grad!.dtype).toBe('float64');
    const y = mul(x, 2);
    y.backward(tensor([1, 1]));
    expect(x.grad!.dtype).toBe('float64');
    expect(flat(x.grad!)).toEqual([3, 3]);
  });

  it('lets a leaf keep a gradient its backward step created (no copy), but never one that is shared', () => {
    // A step that allocates a gradient for one leaf: the leaf keeps that very buffer.
    const x = f64([1, 2], { requiresGrad: true });
    const made: Tensor[] = [];
    record(x.detach().mul(3), 'mul', [x], (grad) => { const t = grad.mul(3); made.push(t); return [t]; }, { saved: [] }).backward(f64([1, 1]));
    expect(flat(x.grad!)).toEqual([3, 3]);
    expect(x.grad!.data).toBe(made[0]!.data);
    // A step returning one fresh buffer for two leaves: each gets its own copy, and accumulating
    // into one later leaves the other alone.
    const a = f64([1, 2], { requiresGrad: true }), b = f64([1, 2], { requiresGrad: true });
    const both = (): Tensor => record(a.detach().add(b.detach()), 'add', [a, b], (grad) => { const t = grad.mul(2); return [t, t]; }, { saved: [] });
    both().backward(f64([1, 1]));
    expect(a.grad!.data).not.toBe(b.grad!.data);
    both().backward(f64([1, 1]));
    expect([flat(a.grad!), flat(b.grad!)]).toEqual([[4, 4], [4, 4]]);
    // The upstream gradient itself (add's backward passes it through) is never a leaf's .grad.
    const up = f64([5, 7]);
    const c = f64([1, 1], { requiresGrad: true });
    add(c, f64([0, 0])).backward(up);
    expect(c.grad!.data).not.toBe(up.data);
  });

  it('gives an input of another dtype its gradient in its own dtype', () => {
    const w = tensor([1, 2], { requiresGrad: true }); // float32
    const x = f64([3, 4]);
    const y = mul(w, x); // float64 by promotion
    expect(y.dtype).toBe('float64');
    y.sum().backward();
    expect(w.grad!.dtype).toBe('float32');
    expect(flat(w.grad!)).toEqual([3, 4]);
  });

  it('refuses backward on a non-scalar without a gradient, naming the shape', () => {
    const y = mul(f64([[1, 2], [3, 4]], { requiresGrad: true }), 2);
    expect(() => y.backward()).toThrow(/backward: a gradient can be created implicitly only for a scalar output; got shape \[2, 2\]/);
  });

  it('refuses a gradient of the wrong shape or dtype, and a tensor that does not require grad', () => {
    const y = mul(f64([1, 2], { requiresGrad: true }), 2);
    expect(() => y.backward(f64([1, 2, 3]))).toThrow(/backward: grad has shape \[3\], but the tensor has shape \[2\]/);
    expect(() => y.backward(tensor([1, 1], { dtype: 'int32' }))).toThrow(/backward: grad must be a float tensor, got int32/);
    expect(() => f64([1]).backward()).toThrow(/backward: the tensor \(float64 of shape \[1\]\) does not require grad/);
  });

  it('frees the graph after backward: a second backward throws naming the op; retainGraph allows it', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const y = mul(x, x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/backward through the graph a second time \(op 'sum'\).*retainGraph/);

    // A second root sharing a freed intermediate: the fresh ops run, then the freed 'mul' is named.
    const h = mul(x, x);
    h.sum().backward();
    expect(() => h.mean().backward()).toThrow(/second time \(op 'mul'\)/);

    const z = f64([1, 2], { requiresGrad: true });
    const w = mul(z, z).sum();
    w.backward(undefined, { retainGraph: true });
    w.backward(undefined, { retainGraph: true });
    w.backward();
    expect(flat(z.grad!)).toEqual([6, 12]); // 3 × 2z
    expect(() => w.backward()).toThrow(/second time \(op 'sum'\)/);
  });

  it('names the op when its backward returns a gradient of the wrong shape', () => {
    // A deliberately broken op: the identity whose backward returns the gradient transposed.
    const brokenTranspose = (x: Tensor): Tensor =>
      record(x.clone().detach(), 'permute', [x], (grad) => [grad.reshape([...grad.shape].reverse())], { saved: [] });
    const x = f64([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expect(() => brokenTranspose(x).sum().backward()).toThrow(
      /permute backward: gradient for input 0 has shape \[3, 2\], but the input has shape \[2, 3\]/,
    );
  });

  it('names the op when its backward returns the wrong number of gradients or an int32 gradient', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const twoGrads = record(x.clone().detach(), 'exp', [x], (grad) => [grad, grad], { saved: [] });
    expect(() => twoGrads.sum().backward()).toThrow(/exp backward: returned 2 gradients for 1 inputs/);
    const intGrad = record(x.clone().detach(), 'log', [x], (grad) => [grad.to('int32')], { saved: [] });
    expect(() => intGrad.sum().backward()).toThrow(/log backward: gradient for input 0 has dtype int32/);
  });

  it('sums a broadcast gradient down to the input shape, in one place for every op', () => {
    // An op that returns grad expanded to [2, 3] for an input of shape [3]: the engine sums dim 0.
    const x = f64([1, 2, 3], { requiresGrad: true });
    const y = record(x.clone().detach(), 'expand', [x], (grad) => [grad.expand([2, 3])], { saved: [] });
    y.backward(f64([1, 10, 100]));
    expect(flat(x.grad!)).toEqual([2, 20, 200]);
  });

  it('skips inputs that do not require grad and null gradients', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const c = f64([3, 4]);
    const y = mul(x, c);
    y.sum().backward();
    expect(c.grad).toBeNull();
    expect(flat(x.grad!)).toEqual([3, 4]);
  });
});

describe('record and grad mode', () => {
  it('noGrad records nothing and restores the mode, also after a throw', () => {
    const x = f64([1, 2], { requiresGrad: true });
    const y = noGrad(() => mul(x, x));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
    expect(isGradEnabled()).toBe(true);
    expect(() => noGrad(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    const z = noGrad(() => enableGrad(() => mul(x, x)));
    expect(z.gradFn?.op).toBe('mul');
  });

  it('records only when an input requires grad', () => {
    expect(mul(f64([1]), f64([2])).gradFn).toBeNull();
    const y = mul(f64([1], { requiresGrad: true }), f64([2]));
    expect(y.gradFn?.op).toBe('mul');
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
  });

  it('runs backward closures with recording off', () => {
    const x = f64([1, 2], { requiresGrad: true });
    let seen: boolean | null = null;
    const y = record(x.clone().detach(), 'neg', [x], (grad) => {
      seen = isGradEnabled();
      return [grad];
    }, { saved: [] });
    y.sum().backward();
    expect(seen).toBe(false);
    expect(isGradEnabled()).toBe(true);
  });

  it('refuses requiresGrad on int32 tensors', () => {
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      /tensor: requiresGrad needs a float dtype, got int32/,
    );
    expect(() => zeros([2], { dtype: 'int32' }).requiresGrad_()).toThrow(/int32/);
  });
});

describe('unbroadcast', () => {
  it('sums leading and size-1 dims', () => {
    // g has shape [2, 2, 3]; to [2, 1, 3]: sum dim 1 → [[1+4, 2+5, 3+6], [7+10, 8+11, 9+12]]
    const g = f64([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]]]);
    expectClose(unbroadcast('add', 0, g, [2, 1, 3]), [[[5, 7, 9]], [[17, 19, 21]]]);
    // to [3]: sum dims 0 and 1 → [1+4+7+10, 2+5+8+11, 3+6+9+12]
    expectClose(unbroadcast('add', 0, g, [3]), [22, 26, 30]);
    // to []: everything
    expectClose(unbroadcast('add', 0, g, []), 78);
  });

  it('throws naming the op, the input and both shapes when the shapes do not broadcast', () => {
    expect(() => unbroadcast('mul', 1, ones([2, 3]), [2])).toThrow(
      /mul backward: gradient for input 1 has shape \[2, 3\], but the input has shape \[2\]/,
    );
  });
});

describe('backward (function form)', () => {
  it('is the same as the method', () => {
    const x = f64([2, 3], { requiresGrad: true });
    backward(mul(x, x).sum());
    expect(flat(x.grad!)).toEqual([4, 6]);
  });
});
