import { Generator, Tensor, ones, relu, tensor, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { Identity, LeakyReLU, Linear, Module, ModuleList, Parameter, ReLU, Sequential, isInt64 } from '../src/index.js';

class Net extends Module {
  enc = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 3, { bias: false }));
  blocks = new ModuleList([new Linear(3, 3), new LeakyReLU(0.2)]);
  head = new Linear(3, 1);
  forward(x: Tensor): Tensor {
    return this.head.forward(this.blocks.at(1).forward(this.blocks.at(0).forward(this.enc.forward(x))));
  }
}

/** Own parameter, persistent / non-persistent / int64 buffers, then a child. */
class WithBuffers extends Module {
  scale = new Parameter(ones([2]));
  child = new Linear(2, 2);
  constructor() {
    super();
    this.registerBuffer('running_mean', zeros([2]));
    this.registerBuffer('cache', zeros([2]), { persistent: false });
    this.registerBuffer('count', tensor(0, { dtype: 'int32' }), { int64: true });
    this.registerBuffer('absent', null);
  }
  forward(x: Tensor): Tensor {
    return this.child.forward(x.mul(this.scale));
  }
}

describe('Module registration', () => {
  it('names parameters with PyTorch dotted names, in definition order', () => {
    const net = new Net();
    // PyTorch 1.13 prints these names for the same architecture (nn.Sequential / nn.ModuleList).
    expect(net.namedParameters().map(([n]) => n)).toEqual(['enc.0.weight', 'enc.0.bias', 'enc.2.weight', 'blocks.0.weight', 'blocks.0.bias', 'head.weight', 'head.bias']);
    expect(net.numParameters()).toBe(34); // 6 + 3 + 9 + 9 + 3 + 3 + 1
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'enc', 'enc.0', 'enc.1', 'enc.2', 'blocks', 'blocks.0', 'blocks.1', 'head']);
    expect(net.forward(ones([5, 2])).shape).toEqual([5, 1]);
  });

  it('prints like PyTorch', () => {
    // Pasted from PyTorch 1.13's print(net) for the same architecture.
    expect(new Net().toString()).toBe(`Net(
  (enc): Sequential(
    (0): Linear(in_features=2, out_features=3, bias=True)
    (1): ReLU()
    (2): Linear(in_features=3, out_features=3, bias=False)
  )
  (blocks): ModuleList(
    (0): Linear(in_features=3, out_features=3, bias=True)
    (1): LeakyReLU(negative_slope=0.2)
  )
  (head): Linear(in_features=3, out_features=1, bias=True)
)`);
    expect(new Sequential().toString()).toBe('Sequential()');
    expect(new Identity().toString()).toBe('Identity()');
  });

  it('registers arrays of modules, leaf tensors that require grad, and shares a parameter once', () => {
    class M extends Module {
      w = tensor([1, 2], { requiresGrad: true });
      notAParam = tensor([3]);
      layers = [new Linear(1, 1), new Linear(1, 1)];
      tied = this.layers[0]!;
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    const m = new M();
    expect(m.namedParameters().map(([n]) => n)).toEqual(['w', 'layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']);
    // The state dict lists a shared module under each name, as PyTorch's state_dict does.
    expect([...m.stateDict().keys()]).toContain('tied.weight');
    expect(m.toString()).toContain('(layers.1): Linear(in_features=1, out_features=1, bias=True)');
  });

  it('keeps frozen parameters (trainableOnly counts only those that require grad)', () => {
    const fc = new Linear(3, 2);
    fc.bias!.requiresGrad = false;
    expect(fc.parameters()).toHaveLength(2);
    expect(fc.numParameters()).toBe(8);
    expect(fc.numParameters({ trainableOnly: true })).toBe(6);
  });

  it('train() / eval() reach every submodule; zeroGrad drops gradients', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    relu(net.forward(ones([1, 2]))).sum().backward();
    expect(net.parameters().some((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('to(dtype) converts parameters and float buffers', () => {
    const m = new WithBuffers().to('float64');
    expect(m.parameters().map((p) => p.dtype)).toEqual(['float64', 'float64', 'float64']);
    expect(m.getBuffer('running_mean')!.dtype).toBe('float64');
    expect(m.getBuffer('count')!.dtype).toBe('int32');
    expect(m.parameters().every((p) => p instanceof Parameter && p.requiresGrad && p.isLeaf)).toBe(true);
  });

  it('rejects bad buffer names', () => {
    const m = new WithBuffers();
    expect(() => m.registerBuffer('a.b', null)).toThrow(/contain no '\.'/);
    expect(() => m.registerBuffer('scale', null)).toThrow(/"scale" is already a field of WithBuffers/);
    expect(() => m.getBuffer('nope')).toThrow(/WithBuffers has no buffer "nope"/);
  });
});

describe('stateDict / loadStateDict', () => {
  it('lists own parameters, persistent buffers, then children; int64 buffers stay tagged', () => {
    const sd = new WithBuffers().stateDict();
    expect([...sd.keys()]).toEqual(['scale', 'running_mean', 'count', 'child.weight', 'child.bias']);
    expect(isInt64(sd.get('count')!)).toBe(true);
    expect(sd.get('scale')!.requiresGrad).toBe(false);
  });

  it('copies values in place into a fresh model', () => {
    const a = new Net();
    const b = new Net();
    const before = b.parameters().map((p) => p.data);
    b.loadStateDict(a.stateDict());
    b.parameters().forEach((p, i) => {
      expect(p.data).toBe(before[i]); // same arrays: an optimiser built before keeps working
      expect(Array.from(p.data)).toEqual(Array.from(a.parameters()[i]!.data));
    });
  });

  it('strict loading names missing and unexpected keys, and copies nothing on failure', () => {
    const a = new Net();
    const b = new Net();
    const original = Array.from(b.head.weight.data);
    const sd = a.stateDict();
    sd.delete('enc.0.bias');
    sd.set('extra.weight', zeros([1]));
    expect(() => b.loadStateDict(sd)).toThrow(/Missing key\(s\) in state_dict: "enc\.0\.bias"\.[\s\S]*Unexpected key\(s\) in state_dict: "extra\.weight"/);
    expect(Array.from(b.head.weight.data)).toEqual(original);
    expect(b.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ['enc.0.bias'], unexpectedKeys: ['extra.weight'] });
    expect(Array.from(b.head.weight.data)).toEqual(Array.from(a.head.weight.data));
  });

  it('a shape mismatch throws naming the key even when not strict; plain objects load too', () => {
    const net = new Net();
    const sd = Object.fromEntries(net.stateDict());
    sd['head.weight'] = zeros([2, 3]);
    expect(() => net.loadStateDict(sd, { strict: false })).toThrow(/size mismatch for "head\.weight": copying a param with shape \[2, 3\] from checkpoint, the shape in current model is \[1, 3\]/);
  });

  it('same seed, same initial weights; different generator streams differ', () => {
    const w1 = new Linear(4, 3, { generator: new Generator(7) }).weight.data;
    const w2 = new Linear(4, 3, { generator: new Generator(7) }).weight.data;
    const w3 = new Linear(4, 3, { generator: new Generator(8) }).weight.data;
    expect(Array.from(w1)).toEqual(Array.from(w2));
    expect(Array.from(w1)).not.toEqual(Array.from(w3));
  });
});

describe('Parameter printing', () => {
  it("prints as PyTorch's: 'Parameter containing:' above the tensor's repr, also through console.log (util.inspect)", async () => {
    // PyTorch 1.13: print(nn.Parameter(torch.tensor([1., 2.5]))) → Parameter containing:\ntensor([1.0000, 2.5000], requires_grad=True)
    const p = new Parameter(tensor([1, 2.5]));
    expect(String(p)).toBe('Parameter containing:\ntensor([1.0000, 2.5000], requires_grad=True)');
    const { inspect } = await import('node:util');
    expect(inspect(p)).toBe(String(p));
  });
});
