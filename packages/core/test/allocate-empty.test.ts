/**
 * Ops that take `allocateEmpty` for an output promise to write every element of it. Here every such
 * block arrives full of NaN (int32: a sentinel), served by the active backend as usual (on wasm, a
 * resident block, so the wasm kernels see the poison too), and a training step through those ops
 * must give the same bits as with zero-filled memory. An element an op forgot to write would carry
 * the NaN into the loss or a gradient.
 */
import { afterEach, expect, it } from 'vitest';
import {
  avgPool2d, batchNorm, cat, conv2d, conv2dRelu, crossEntropy, gather, Generator, getBackend, interpolate, logSoftmax,
  maxPool2d, permute, randint, randn, relu, setBackend, softmax, tensor, type Tensor,
} from '../src/index.js';
import { setStorageProvider } from '../src/dtype.js';
import { wasmStorage } from '../src/kernels/wasm/index.js';

afterEach(() => setBackend(getBackend())); // reinstalls the backend's own provider

function poison(): void {
  const served = getBackend() === 'wasm' ? wasmStorage : null;
  setStorageProvider((dtype, size, zero) => {
    if (zero) return served ? served(dtype, size, true) : null;
    const a = served?.(dtype, size, false) ?? (dtype === 'float32' ? new Float32Array(size) : new Int32Array(size));
    return a.fill(dtype === 'float32' ? NaN : -123_456_789);
  });
}

/** Loss and every gradient of one step through the ops that write whole outputs. */
function step(): number[][] {
  const g = new Generator(3);
  const leaf = (shape: number[]): Tensor => { const t = randn(shape, { generator: g }); t.requiresGrad = true; return t; };
  const x = leaf([2, 3, 8, 8]), w1 = leaf([4, 3, 3, 3]), b1 = leaf([4]), w2 = leaf([4, 8, 3, 3]), wh = leaf([5, 4, 1, 1]);
  const gamma = leaf([4]), beta = leaf([4]);
  const y = randint(0, 5, [2, 8, 8], { generator: g });
  const yIgnored = cat([y.narrow(1, 0, 6), tensor(new Int32Array(2 * 2 * 8).fill(-100), { shape: [2, 2, 8] })], 1);
  const s1 = conv2dRelu(x, w1, b1, { padding: 1 });
  const down = avgPool2d(s1, { kernelSize: 2 });
  const up = interpolate(down, { scaleFactor: 2, mode: 'bilinear', alignCorners: false });
  const joined = cat([up, interpolate(maxPool2d(s1, { kernelSize: 2 }), { scaleFactor: 2 })], 1);
  const d = batchNorm(conv2d(joined, w2, null, { padding: 1 }), null, null, { weight: gamma, bias: beta, training: true });
  const logits = conv2d(relu(d).add(s1.exp().mul(0.01)), wh);
  const ce = crossEntropy(logits, yIgnored, { weight: tensor([1, 2, 3, 4, 5]), ignoreIndex: -100 });
  const p = softmax(permute(logits, [0, 2, 3, 1]), -1);
  const picked = gather(logSoftmax(logits, 1), 1, y.unsqueeze(1));
  const loss = ce.add(p.narrow(3, 0, 1).mean()).sub(picked.mean().mul(0.1));
  loss.backward();
  return [[loss.item()], ...[x, w1, b1, w2, wh, gamma, beta].map((t) => Array.from(t.grad!.data))];
}

it('ops write every element of the outputs they allocate uninitialised (the same bits as over zeroed memory)', () => {
  const clean = step();
  poison();
  const poisoned = step();
  expect(clean.flat().every(Number.isFinite)).toBe(true);
  expect(poisoned).toEqual(clean);
});
