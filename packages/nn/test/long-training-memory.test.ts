/**
 * Memory over 5,000 training steps of a small nn model in one process (conv, batch norm, relu,
 * pooling, upsampling, class-weighted cross-entropy, Adam with weight decay, zeroGrad, train/eval
 * switches and an evaluation every 250 steps), on whichever backend the suite runs. After 1,000
 * warm-up steps, the V8 heap after a full GC, the ArrayBuffer memory and the wasm linear memory are
 * sampled every 500 steps; none may grow. The samples are printed (docs/reliability.md quotes them).
 * The wasm heap (tensor data lives there) gets a small budget so that warm-up reaches its steady
 * state; by default it grows to 256 MiB before it reclaims the blocks of collected tensors.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { crossEntropy, Generator, getBackend, noGrad, rand, randint, tensor } from '@tessera/core';
import { expect, it } from 'vitest';
import { configureSharedHeap, wasmMemoryBytes } from '../../core/src/kernels/wasm/index.js';
import { Adam, BatchNorm2d, Conv2d, MaxPool2d, ReLU, Sequential, Upsample } from '../src/index.js';

configureSharedHeap({ minBytes: 16 * 2 ** 20 });
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Sample {
  step: number;
  rss: number;
  heapUsed: number;
  arrayBuffers: number;
  wasm: number;
}

function sample(step: number): Sample {
  gc();
  gc();
  const m = process.memoryUsage();
  return { step, rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, wasm: wasmMemoryBytes() };
}

const MB = 2 ** 20;
/** 5,000 in the suite; TESSERA_MEMORY_STEPS=n (pnpm reliability runs 20,000) for a longer watch. */
const STEPS = Number(process.env['TESSERA_MEMORY_STEPS'] ?? 5000);

it(`${STEPS.toLocaleString('en')} training steps of a small model: heap, ArrayBuffers and wasm memory stay flat after warm-up`, () => {
  const g = new Generator(5);
  const model = new Sequential(
    new Conv2d(3, 8, 3, { padding: 1, generator: g }), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
    new Conv2d(8, 8, 3, { padding: 1, generator: g }), new ReLU(), new Upsample({ scaleFactor: 2 }), new Conv2d(8, 2, 1, { generator: g }),
  );
  const optim = new Adam(model.parameters(), { lr: 1e-3, weightDecay: 1e-4 });
  const x = rand([4, 3, 8, 8], { generator: g });
  const y = randint(0, 2, [4, 8, 8], { generator: g });
  const weight = tensor([1, 3]);
  const step = (): number => {
    optim.zeroGrad();
    const loss = crossEntropy(model.forward(x), y, { weight });
    loss.backward();
    optim.step();
    return loss.item();
  };
  const evaluate = (): number => {
    model.eval();
    const v = noGrad(() => crossEntropy(model.forward(x), y).item());
    model.train();
    return v;
  };

  const samples: Sample[] = [];
  let first = NaN;
  let last = NaN;
  for (let i = 1; i <= STEPS; i++) {
    last = step();
    if (i === 1) first = last;
    if (i % 250 === 0) expect(Number.isFinite(evaluate())).toBe(true);
    if (i >= 1000 && i % 500 === 0) samples.push(sample(i));
  }
  const base = samples[0]!;
  const rows = samples.map((s) => `${s.step}: rss ${(s.rss / MB).toFixed(0)} MB (not judged), heap ${(s.heapUsed / MB).toFixed(2)} MB, ArrayBuffers ${(s.arrayBuffers / MB).toFixed(2)} MB, wasm ${(s.wasm / MB).toFixed(2)} MB`);
  console.log(`long training (${getBackend()}), after a full GC:\n${rows.join('\n')}`);
  expect(last).toBeLessThan(first); // it does train
  // A leak of one 4×8×8×8 float32 activation per step would add 40 MB over the 4,000 sampled steps.
  for (const s of samples) {
    expect(s.heapUsed - base.heapUsed, `heap at step ${s.step}`).toBeLessThan(2 * MB);
    expect(s.arrayBuffers - base.arrayBuffers, `ArrayBuffers at step ${s.step}`).toBeLessThan(2 * MB);
    expect(s.wasm, `wasm memory at step ${s.step}`).toBe(base.wasm);
  }
  const end = samples[samples.length - 1]!;
  expect(end.heapUsed - base.heapUsed).toBeLessThan(MB);
  if (getBackend() === 'wasm') expect(base.wasm).toBeGreaterThan(0);
}, Math.max(60_000, STEPS * 40)); // 40 ms a step on a loaded machine: the thorough 20,000 steps outlast vitest's 60 s default
