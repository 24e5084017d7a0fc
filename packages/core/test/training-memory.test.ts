/**
 * Memory over a long training loop: 1,000 steps of a small U-Net-like segmenter (every kernel of the
 * benchmark step: conv2d, relu, maxPool2d, nearest interpolate, cat, weighted cross-entropy, and
 * an in-place SGD update) on whichever backend the suite runs. After warm-up, the V8 heap after a
 * full GC and the external ArrayBuffer memory must not grow beyond a small tolerance, and the wasm
 * runtime's linear memory must not grow at all: its heap (tensor data, staging) reuses the blocks of
 * collected tensors. The heap gets a small budget here so that warm-up reaches its steady state (by
 * default it grows to 256 MiB before reclaiming).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import {
  cat, conv2d, crossEntropy, Generator, getBackend, interpolate, maxPool2d, noGrad, randint, randn, relu, tensor, type Tensor,
} from '../src/index.js';
import { configureSharedHeap, resolveResident, sharedHeap, wasmMemoryBytes } from '../src/kernels/wasm/index.js';

configureSharedHeap({ minBytes: 16 * 2 ** 20 });

// A full GC on demand inside this test process (the flag only has to be set before `gc` is fetched).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heap(): { used: number; buffers: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { used: m.heapUsed, buffers: m.arrayBuffers };
}

it('a 1,000-step training loop reaches a steady state: heap, ArrayBuffers and wasm memory stop growing', () => {
  const g = new Generator(7);
  const param = (shape: number[], fanIn: number): Tensor => {
    const t = randn(shape, { generator: g });
    noGrad(() => { const d = t.data as Float32Array; for (let i = 0; i < d.length; i++) d[i]! *= 1 / Math.sqrt(fanIn); });
    t.requiresGrad = true;
    return t;
  };
  const [c1, c2, c3] = [4, 8, 4];
  const w1 = param([c1, 3, 3, 3], 27), b1 = param([c1], 27);
  const w2 = param([c2, c1, 3, 3], 9 * c1), b2 = param([c2], 9 * c1);
  const w3 = param([c3, c2 + c1, 3, 3], 9 * (c2 + c1)), b3 = param([c3], 9 * (c2 + c1));
  const wh = param([2, c3, 1, 1], c3);
  const params = [w1, b1, w2, b2, w3, b3, wh];
  const x = randn([2, 3, 32, 32], { generator: g });
  const y = randint(0, 2, [2, 32, 32], { generator: g });
  const weight = tensor([1, 4]);

  const step = (): number => {
    for (const p of params) p.grad = null;
    const s1 = relu(conv2d(x, w1, b1, { padding: 1 }));
    const s2 = relu(conv2d(maxPool2d(s1, { kernelSize: 2 }), w2, b2, { padding: 1 }));
    const d1 = relu(conv2d(cat([interpolate(s2, { scaleFactor: 2 }), s1], 1), w3, b3, { padding: 1 }));
    const loss = crossEntropy(conv2d(d1, wh), y, { weight });
    loss.backward();
    noGrad(() => {
      for (const p of params) {
        const d = p.data as Float32Array, gr = p.grad!.data as Float32Array;
        for (let i = 0; i < d.length; i++) d[i]! -= 0.05 * gr[i]!;
      }
    });
    return loss.item();
  };

  let first = NaN;
  for (let i = 0; i < 100; i++) { const l = step(); if (i === 0) first = l; }
  const base = heap();
  const wasmBase = wasmMemoryBytes();
  const samples: { used: number; buffers: number }[] = [];
  let last = NaN;
  for (let i = 100; i < 1000; i++) {
    last = step();
    if (i % 150 === 149) samples.push(heap());
  }
  const end = heap();
  // Training does train (a check that the loop ran the real thing).
  expect(last).toBeLessThan(first);
  // No leak: a leak of even one 2×4×32×32 float32 activation per step would add 32 MB here.
  expect(end.used - base.used).toBeLessThan(2 * 2 ** 20);
  expect(end.buffers - base.buffers).toBeLessThan(2 * 2 ** 20);
  expect(Math.max(...samples.map((s) => s.used)) - base.used).toBeLessThan(3 * 2 ** 20);
  if (getBackend() === 'wasm') {
    expect(wasmBase).toBeGreaterThan(0);
    expect(wasmMemoryBytes()).toBe(wasmBase);
    // With residency the heap did reclaim (and reuse) blocks; without it, staging alone fits the budget.
    if (resolveResident()) expect(sharedHeap()!.reclaims).toBeGreaterThan(0);
  }
});
