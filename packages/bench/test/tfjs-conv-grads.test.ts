import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerConvGradsAsForwardConvs, registerFilterGradVia3d } from '../src/tfjs-conv-grads.js';

// The conv-gradient kernels supplied to TF.js's wasm backend must give TF.js's own cpu-backend
// gradients, or the benchmark would compare against a TF.js that computes something else.

type Pad = 'same' | 'valid';
interface Case { x: number[]; w: number[]; pad: Pad }
const CASES: Case[] = [
  { x: [2, 5, 6, 3], w: [3, 3, 3, 4], pad: 'same' },
  { x: [2, 5, 6, 3], w: [3, 3, 3, 4], pad: 'valid' },
  { x: [1, 4, 4, 5], w: [1, 1, 5, 2], pad: 'valid' },
  { x: [1, 6, 5, 2], w: [2, 3, 2, 3], pad: 'same' }, // even kernel: asymmetric 'same' padding
];

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

function convGrads(c: Case): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(size(c.x), 1), c.x as [number, number, number, number]);
    const w = tf.tensor4d(values(size(c.w), 2), c.w as [number, number, number, number]);
    const y = tf.conv2d(x, w, 1, c.pad);
    const dy = tf.tensor(values(y.size, 3), y.shape);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad))([x, w], dy);
    return { dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    worst = Math.max(worst, Math.abs((actual[i] as number) - (expected[i] as number)) - 1e-4 * Math.abs(expected[i] as number));
  }
  expect(worst).toBeLessThanOrEqual(1e-5);
}

let reference: { dx: Float32Array; dw: Float32Array }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  reference = CASES.map(convGrads);
  const require = createRequire(import.meta.url);
  setWasmPaths(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('TF.js wasm conv gradients', () => {
  it('fails as shipped: no Conv2DBackpropFilter kernel', () => {
    expect(() => convGrads(CASES[0]!)).toThrow(/Conv2DBackpropFilter/);
  });

  it('filter gradient through Conv3DBackpropFilterV2 matches the cpu backend', () => {
    registerFilterGradVia3d();
    CASES.forEach((c, i) => {
      const got = convGrads(c);
      expectClose(got.dx, reference[i]!.dx);
      expectClose(got.dw, reference[i]!.dw);
    });
  });

  it('both gradients as forward convs match the cpu backend and free their intermediates', () => {
    registerConvGradsAsForwardConvs();
    const before = tf.memory().numTensors;
    CASES.forEach((c, i) => {
      const got = convGrads(c);
      expectClose(got.dx, reference[i]!.dx);
      expectClose(got.dw, reference[i]!.dw);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('forward-conv gradients refuse a stride other than 1', () => {
    const x = tf.zeros([1, 6, 6, 2]) as tf.Tensor4D;
    const w = tf.zeros([3, 3, 2, 2]) as tf.Tensor4D;
    expect(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same'))([x, w])).toThrow(/stride 1/);
  });
});
