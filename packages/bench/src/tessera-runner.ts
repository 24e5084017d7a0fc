/**
 * The workloads on Tessera, float32, NCHW, on the backend named by TESSERA_BACKEND (thread count
 * from TESSERA_THREADS, read by the wasm backend). Inputs come from the same seeded generator, in
 * the same order, as the TF.js runs. Each step reads its result back before the clock stops.
 */
import { conv2d, crossEntropy, Generator, getBackend, setBackend, tensor, type Tensor } from '@tessera/core';
import { ReferenceSegmenter, SGD } from '@tessera/nn';
import {
  binaryTargets, normalData, okResult, symmetricData, timeSteps, uniformData,
  type BenchResult, type ConfigSpec, type TimingOptions,
} from './harness.js';
import { CE, CONV, SEGSTEP, workloadFlops, type WorkloadName } from './workloads.js';

interface Prepared {
  step: () => number;
}

function prepareConv(g: Generator): Prepared {
  const { batch: n, cin, cout, size: s, kernel: k, padding } = CONV;
  const x = tensor(uniformData(n * cin * s * s, g), { shape: [n, cin, s, s], requiresGrad: true });
  const w = tensor(symmetricData(cout * cin * k * k, 1 / Math.sqrt(cin * k * k), g), { shape: [cout, cin, k, k], requiresGrad: true });
  const dy = tensor(normalData(n * cout * s * s, g), { shape: [n, cout, s, s] });
  return {
    step: () => {
      x.grad = null;
      w.grad = null;
      const y = conv2d(x, w, null, { padding });
      y.backward(dy);
      return gradValue(w);
    },
  };
}

/** One training step: zero grads, forward, weighted mean CE, backward (input needs none), SGD. */
function prepareSegstep(g: Generator): Prepared {
  const { batch: n, inChannels: c, size: s, classWeights, positiveFraction, lr } = SEGSTEP;
  const model = new ReferenceSegmenter({ generator: g }); // PyTorch's default init, float32
  const x = tensor(uniformData(n * c * s * s, g), { shape: [n, c, s, s] });
  const y = tensor(binaryTargets(n * s * s, positiveFraction, g), { shape: [n, s, s] });
  const weight = tensor(Float32Array.from(classWeights), { shape: [classWeights.length] });
  const optimizer = new SGD(model.parameters(), { lr });
  return {
    step: () => {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(x), y, { weight });
      loss.backward();
      optimizer.step();
      return loss.item();
    },
  };
}

/** Weighted mean CE forward and the gradient of the logits. */
function prepareCe(g: Generator): Prepared {
  const { batch: n, classes, size: s, classWeights, positiveFraction } = CE;
  const logits = tensor(uniformData(n * classes * s * s, g), { shape: [n, classes, s, s], requiresGrad: true });
  const y = tensor(binaryTargets(n * s * s, positiveFraction, g), { shape: [n, s, s] });
  const weight = tensor(Float32Array.from(classWeights), { shape: [classWeights.length] });
  return {
    step: () => {
      logits.grad = null;
      const loss = crossEntropy(logits, y, { weight });
      loss.backward();
      gradValue(logits);
      return loss.item();
    },
  };
}

function gradValue(t: Tensor): number {
  if (!t.grad) throw new Error('tessera: backward left no gradient');
  return t.grad.data[0] as number;
}

export async function runTessera(config: ConfigSpec, workload: WorkloadName, options: TimingOptions): Promise<BenchResult> {
  if (getBackend() !== config.backend) setBackend(config.backend);
  const g = new Generator(1234);
  const prepared = workload === 'segstep' ? prepareSegstep(g) : workload === 'conv' ? prepareConv(g) : prepareCe(g);
  let last = NaN;
  const samples = timeSteps(() => { last = prepared.step(); }, options);
  const info: Record<string, string | number | boolean> = { backend: getBackend() };
  const threads = process.env['TESSERA_THREADS'];
  if (threads) info['TESSERA_THREADS'] = threads;
  return okResult(config, workload, samples, workloadFlops(workload)?.step ?? null, last, info);
}
