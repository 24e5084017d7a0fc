import { Generator, conv2d, convTranspose2d, gelu, groupNorm, l1Loss, layerNorm, mseLoss, ones, rand, smoothL1Loss, softplus, tensor, zeros, type Tensor } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import {
  AvgPool2d, BatchNorm2d, Conv2d, ConvTranspose2d, Dropout, GELU, GroupNorm, Identity, L1Loss, LayerNorm, LeakyReLU, Linear, MaxPool2d, MSELoss, ReLU, Sequential, SmoothL1Loss, Softplus, Upsample,
} from '../src/index.js';

const g = () => new Generator(11);

describe('layer reprs', () => {
  it('print as PyTorch 1.13 prints the same layers', () => {
    // Each expected string was printed by PyTorch 1.13 for the equivalent nn layer.
    const cases: [string, string][] = [
      [new Conv2d(3, 16, 3, { padding: 1 }).toString(), 'Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))'],
      [new Conv2d(3, 16, [3, 5], { stride: 2, dilation: 2, bias: false }).toString(), 'Conv2d(3, 16, kernel_size=(3, 5), stride=(2, 2), dilation=(2, 2), bias=False)'],
      [new ConvTranspose2d(4, 2, 2, { stride: 2 }).toString(), 'ConvTranspose2d(4, 2, kernel_size=(2, 2), stride=(2, 2))'],
      [new ConvTranspose2d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1 }).toString(), 'ConvTranspose2d(4, 2, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))'],
      [new BatchNorm2d(16).toString(), 'BatchNorm2d(16, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)'],
      [new BatchNorm2d(8, { momentum: null, affine: false, trackRunningStats: false }).toString(), 'BatchNorm2d(8, eps=1e-05, momentum=None, affine=False, track_running_stats=False)'],
      [new ReLU().toString(), 'ReLU()'],
      [new LeakyReLU().toString(), 'LeakyReLU(negative_slope=0.01)'],
      [new LayerNorm(4).toString(), 'LayerNorm((4,), eps=1e-05, elementwise_affine=True)'],
      [new LayerNorm([3, 4], { eps: 1e-3, elementwiseAffine: false }).toString(), 'LayerNorm((3, 4), eps=0.001, elementwise_affine=False)'],
      [new GroupNorm(2, 4).toString(), 'GroupNorm(2, 4, eps=1e-05, affine=True)'],
      [new GroupNorm(1, 6, { eps: 0.01, affine: false }).toString(), 'GroupNorm(1, 6, eps=0.01, affine=False)'],
      [new MSELoss().toString(), 'MSELoss()'],
      [new SmoothL1Loss({ beta: 0.5 }).toString(), 'SmoothL1Loss()'],
      [new GELU().toString(), "GELU(approximate='none')"],
      [new GELU({ approximate: 'tanh' }).toString(), "GELU(approximate='tanh')"],
      [new Softplus().toString(), 'Softplus(beta=1, threshold=20)'],
      [new Softplus({ beta: 0.5 }).toString(), 'Softplus(beta=0.5, threshold=20)'],
      [new MaxPool2d(2).toString(), 'MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)'],
      [new MaxPool2d(3, { stride: 1, padding: 1 }).toString(), 'MaxPool2d(kernel_size=3, stride=1, padding=1, dilation=1, ceil_mode=False)'],
      [new Upsample({ scaleFactor: 2 }).toString(), 'Upsample(scale_factor=2.0, mode=nearest)'],
      [new Upsample({ scaleFactor: 2, mode: 'bilinear', alignCorners: false }).toString(), 'Upsample(scale_factor=2.0, mode=bilinear)'],
      [new Dropout().toString(), 'Dropout(p=0.5, inplace=False)'],
      [new Dropout(0.1).toString(), 'Dropout(p=0.1, inplace=False)'],
      [new Identity().toString(), 'Identity()'],
      [new Linear(4, 2, { bias: false }).toString(), 'Linear(in_features=4, out_features=2, bias=False)'],
    ];
    for (const [got, want] of cases) expect(got).toBe(want);
  });
});

describe('GELU and Softplus', () => {
  it('apply core gelu / softplus with their options', () => {
    const x = tensor([-2, -0.5, 0, 1, 30], { dtype: 'float64' });
    expect(Array.from(new GELU().forward(x).data)).toEqual(Array.from(gelu(x).data));
    expect(Array.from(new GELU({ approximate: 'tanh' }).forward(x).data)).toEqual(Array.from(gelu(x, { approximate: 'tanh' }).data));
    expect(Array.from(new Softplus({ beta: 2, threshold: 10 }).forward(x).data)).toEqual(Array.from(softplus(x, { beta: 2, threshold: 10 }).data));
    expect(new Softplus().namedParameters()).toEqual([]);
  });
});

describe('LayerNorm and GroupNorm', () => {
  it('apply core layerNorm / groupNorm with PyTorch-named parameters that get gradients', () => {
    const x = rand([2, 4, 3], { generator: g(), dtype: 'float64' });
    const ln = new LayerNorm([4, 3], { dtype: 'float64', eps: 1e-3 });
    expect(ln.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [4, 3]], ['bias', [4, 3]]]);
    expect(Array.from(ln.forward(x).data)).toEqual(Array.from(layerNorm(x, [4, 3], { eps: 1e-3 }).data));
    const gn = new GroupNorm(2, 4, { dtype: 'float64' });
    expect(gn.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [4]], ['bias', [4]]]);
    const y = gn.forward(x);
    expect(Array.from(y.data)).toEqual(Array.from(groupNorm(x, 2).data));
    y.mul(y).sum().backward();
    expect(gn.weight!.grad!.shape).toEqual([4]);
    expect(new LayerNorm(3, { elementwiseAffine: false }).namedParameters()).toEqual([]);
  });
  it('name the fault in bad sizes', () => {
    expect(() => new GroupNorm(3, 4)).toThrow(/GroupNorm: numChannels \(4\) must be divisible by numGroups \(3\)/);
    expect(() => new LayerNorm([])).toThrow(/LayerNorm: normalizedShape must be positive integers, got \[\]/);
  });
});

describe('MSELoss, L1Loss and SmoothL1Loss', () => {
  it('apply core mseLoss / l1Loss / smoothL1Loss with their options', () => {
    const x = tensor([[0.5, -2], [3, 0.25]], { dtype: 'float64', requiresGrad: true });
    const y = tensor([0, 1], { dtype: 'float64' });
    expect(new MSELoss().forward(x, y).item()).toBe(mseLoss(x, y).item());
    expect(Array.from(new L1Loss({ reduction: 'none' }).forward(x, y).data)).toEqual(Array.from(l1Loss(x, y, { reduction: 'none' }).data));
    const loss = new SmoothL1Loss({ beta: 0.5, reduction: 'sum' }).forward(x, y);
    expect(loss.item()).toBe(smoothL1Loss(x, y, { beta: 0.5, reduction: 'sum' }).item());
    loss.backward();
    // d = x − y = [[0.5, −3], [3, −0.75]]: |d| ≥ β everywhere, so the gradient is sign(d)
    expect(Array.from(x.grad!.data)).toEqual([1, -1, 1, -1]);
    expect(new MSELoss().namedParameters()).toEqual([]);
  });
});

describe('Linear', () => {
  it('computes x · Wᵀ + b over the last dim, with gradients for W and b', () => {
    const fc = new Linear(2, 1, { dtype: 'float64' });
    fc.weight.data.set([2, -1]);
    fc.bias!.data.set([0.5]);
    const y = fc.forward(tensor([[[1, 3]], [[2, 0]]], { dtype: 'float64' })); // shape [2, 1, 2]
    expect(y.shape).toEqual([2, 1, 1]);
    expect(Array.from(y.data)).toEqual([2 - 3 + 0.5, 4 + 0.5]);
    y.sum().backward();
    expect(Array.from(fc.weight.grad!.data)).toEqual([3, 3]);
    expect(Array.from(fc.bias!.grad!.data)).toEqual([2]);
    expect(() => fc.forward(ones([3, 4], { dtype: 'float64' }))).toThrow(/Linear: input of shape \[3, 4\] must end in inFeatures = 2/);
    expect(() => new Linear(-1, 2)).toThrow(/inFeatures must be a non-negative integer, got -1/);
  });
});

describe('Conv2d and ConvTranspose2d', () => {
  it('apply core conv2d / convTranspose2d with their weights, bias and options', () => {
    const x = rand([2, 4, 6, 6], { generator: g() });
    const conv = new Conv2d(4, 6, 3, { stride: 2, padding: 1, groups: 2, generator: g() });
    expect(conv.weight.shape).toEqual([6, 2, 3, 3]);
    const y = conv.forward(x);
    expect(y.shape).toEqual([2, 6, 3, 3]);
    expect(Array.from(y.data)).toEqual(Array.from(conv2d(x, conv.weight, conv.bias, { stride: 2, padding: 1, groups: 2 }).data));
    const up = new ConvTranspose2d(4, 3, 2, { stride: 2, generator: g() });
    const z = up.forward(x);
    expect(z.shape).toEqual([2, 3, 12, 12]);
    expect(Array.from(z.data)).toEqual(Array.from(convTranspose2d(x, up.weight, up.bias, { stride: 2 }).data));
    const same = new Conv2d(4, 2, 3, { padding: 'same', bias: false });
    expect(same.forward(x).shape).toEqual([2, 2, 6, 6]);
    expect(same.namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('rejects channels that groups do not divide, naming the layer', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new ConvTranspose2d(4, 3, 3, { groups: 2 })).toThrow(/ConvTranspose2d: outChannels \(3\) must be divisible by groups \(2\)/);
    expect(() => new Conv2d(0, 4, 3)).toThrow(/inChannels must be a positive integer, got 0/);
  });
});

describe('BatchNorm2d', () => {
  it('training: normalises with batch statistics and updates the running ones (unbiased variance)', () => {
    // One channel, values 1, 2, 3, 4: mean 2.5, biased variance 1.25, unbiased 5/3.
    // running_mean = 0.9·0 + 0.1·2.5 = 0.25; running_var = 0.9·1 + 0.1·5/3 = 1.0666…
    const bn = new BatchNorm2d(1, { dtype: 'float64' });
    const x = tensor([1, 2, 3, 4], { dtype: 'float64', shape: [4, 1, 1, 1] });
    const y = bn.forward(x);
    [1, 2, 3, 4].forEach((v, i) => expect(y.data[i]).toBeCloseTo((v - 2.5) / Math.sqrt(1.25 + 1e-5), 12));
    expect(bn.runningMean!.data[0]).toBeCloseTo(0.25, 15);
    expect(bn.runningVar!.data[0]).toBeCloseTo(0.9 + 0.1 * (5 / 3), 15);
    expect(bn.numBatchesTracked).toBe(1);
    // eval: uses the running statistics.
    bn.eval();
    expect(bn.forward(x).data[0]).toBeCloseTo((1 - 0.25) / Math.sqrt(0.9 + 0.1 * (5 / 3) + 1e-5), 12);
    expect(bn.numBatchesTracked).toBe(1);
    expect([...bn.stateDict().keys()]).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
  });

  it('momentum null keeps a cumulative average (factor 1/num_batches_tracked)', () => {
    const bn = new BatchNorm2d(1, { momentum: null, dtype: 'float64' });
    bn.forward(tensor([1, 3], { dtype: 'float64', shape: [2, 1, 1, 1] })); // mean 2: factor 1 → 2
    bn.forward(tensor([5, 7], { dtype: 'float64', shape: [2, 1, 1, 1] })); // mean 6: factor 1/2 → 4
    expect(bn.runningMean!.data[0]).toBeCloseTo(4, 15);
    expect(bn.numBatchesTracked).toBe(2);
    bn.resetRunningStats();
    expect([bn.runningMean!.data[0], bn.runningVar!.data[0], bn.numBatchesTracked]).toEqual([0, 1, 0]);
  });

  it('without running statistics or affine parameters: batch statistics always, fewer state entries', () => {
    const bn = new BatchNorm2d(2, { trackRunningStats: false, affine: false }).eval();
    expect(bn.stateDict().size).toBe(0);
    expect(bn.parameters()).toEqual([]);
    const y = bn.forward(rand([3, 2, 2, 2], { generator: g() }));
    let mean = 0;
    for (let i = 0; i < 4; i++) mean += y.data[i]!; // image 0, channel 0 …
    for (let n = 1; n < 3; n++) for (let i = 0; i < 4; i++) mean += y.data[n * 8 + i]!; // … and images 1, 2
    expect(mean / 12).toBeCloseTo(0, 5);
    expect(() => bn.forward(zeros([1, 3, 2, 2]))).toThrow(/BatchNorm2d: input has 3 channels \(shape \[1, 3, 2, 2\]\), expected numFeatures = 2/);
    expect(() => bn.forward(zeros([2, 2]))).toThrow(/expected 4-D input/);
  });
});

describe('containers, activations, pooling, upsampling, dropout', () => {
  it('Sequential runs its modules in order', () => {
    const net = new Sequential(new Identity(), new LeakyReLU(0.5), new MaxPool2d(2), new Upsample({ scaleFactor: 2 }), new AvgPool2d(2), new ReLU());
    const y = net.forward(tensor([[[[-4, 2], [1, -2]]]]));
    // leaky: [-2, 2, 1, -1] → max-pool 2 → 2 → nearest ×2 → 2×2 of 2 → avg-pool 2 → 2 → relu → 2
    expect(y.shape).toEqual([1, 1, 1, 1]);
    expect(y.item()).toBe(2);
    expect(net.length).toBe(6);
    expect(() => net.at(6)).toThrow(/index 6 is out of range for 6 modules/);
    expect(() => new Upsample({})).toThrow(/exactly one of size and scaleFactor/);
  });

  it('Sequential runs a Conv2d → ReLU pair as one fused conv2dRelu, with the values of the two in turn', () => {
    const conv = new Conv2d(3, 4, 3, { padding: 1, generator: g() });
    const x = rand([2, 3, 6, 6], { generator: g() });
    const fused = new Sequential(conv, new ReLU()).forward(x);
    const apart = new ReLU().forward(conv.forward(x));
    expect(fused.gradFn?.op).toBe('conv2dRelu');
    expect(fused.data).toEqual(apart.data);
    // A subclass, or a forward replaced on the instance, is run as it is.
    class Shifted extends ReLU {
      override forward(t: Tensor): Tensor { return super.forward(t).add(1); }
    }
    expect(new Sequential(conv, new Shifted()).forward(x).data).toEqual(apart.add(1).data);
    const patched = new ReLU();
    patched.forward = (t) => t;
    expect(new Sequential(conv, patched).forward(x).data).toEqual(conv.forward(x).data);
  });

  it('Dropout is active in training mode only and reproducible with a generator', () => {
    const x = ones([1000]);
    const d = new Dropout(0.25, { generator: new Generator(4) });
    const y = d.forward(x);
    const kept = Array.from(y.data).filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(kept.length).toBeGreaterThan(700);
    expect(kept.length).toBeLessThan(800);
    const again = new Dropout(0.25, { generator: new Generator(4) }).forward(x);
    expect(Array.from(again.data)).toEqual(Array.from(y.data));
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(() => new Dropout(1.5)).toThrow(/Dropout: probability p has to be between 0 and 1, got 1.5/);
  });
});
