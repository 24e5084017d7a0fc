/**
 * The workloads on Tessera, float32, NCHW: each `prepare` draws its inputs (and the model's
 * initial parameters) from a seeded generator and returns the step to time, plus those tensors by
 * name so that torch-inputs.ts can hand exactly the same numbers to the PyTorch twin
 * (torch_runner.py). A step returns the loss (or, for conv, a gradient value): the first step's
 * value is compared with PyTorch's, a check that both compute the same thing.
 */
import { conv2d, crossEntropy, Generator, tensor, type Tensor } from '@tessera/core';
import { Adam, ReferenceSegmenter, SGD } from '@tessera/nn';
import { binaryTargets, classTargets, normalData, symmetricData, uniformData } from './harness.js';
import { SmallSegmenter } from './small-segmenter.js';
import { CE, CE_MULTI, CE_MULTI_CLASSES, ceMultiWeights, CONV, SEGSTEP, SMALLSEG, type WorkloadName } from './workloads.js';

export interface Prepared {
  /** One timed step; returns the loss (conv: the first element of the weight gradient). */
  step: () => number;
  /** Inputs by name (x, y, weight, dy, …) as the PyTorch twin reads them. */
  inputs: Record<string, Tensor>;
  /** The model's initial parameters by their PyTorch state-dict names (empty without a model). */
  params: [string, Tensor][];
}

/** The seed of every workload's generator. */
export const SEED = 1234;

const f32 = (data: Float32Array, shape: number[], requiresGrad = false): Tensor => tensor(data, { shape, requiresGrad });

function gradValue(t: Tensor): number {
  if (!t.grad) throw new Error('tessera: backward left no gradient');
  return t.grad.data[0] as number;
}

/** conv2d forward, then the gradients of input and weight for a fixed upstream gradient. */
function prepareConv(g: Generator): Prepared {
  const { batch: n, cin, cout, size: s, kernel: k, padding } = CONV;
  const x = f32(uniformData(n * cin * s * s, g), [n, cin, s, s], true);
  const w = f32(symmetricData(cout * cin * k * k, 1 / Math.sqrt(cin * k * k), g), [cout, cin, k, k], true);
  const dy = f32(normalData(n * cout * s * s, g), [n, cout, s, s]);
  return {
    inputs: { x, w, dy },
    params: [],
    step: () => {
      x.grad = null;
      w.grad = null;
      conv2d(x, w, null, { padding }).backward(dy);
      return gradValue(w);
    },
  };
}

/** One training step: zero grads, forward, weighted mean CE, backward (input needs none), SGD. */
function prepareSegstep(g: Generator): Prepared {
  const { batch: n, inChannels: c, size: s, classWeights, positiveFraction, lr } = SEGSTEP;
  const model = new ReferenceSegmenter({ generator: g }); // PyTorch's default init, float32
  const x = f32(uniformData(n * c * s * s, g), [n, c, s, s]);
  const y = tensor(binaryTargets(n * s * s, positiveFraction, g), { shape: [n, s, s] });
  const weight = f32(Float32Array.from(classWeights), [classWeights.length]);
  const optimizer = new SGD(model.parameters(), { lr });
  return {
    inputs: { x, y, weight },
    params: model.namedParameters(),
    step: () => {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(x), y, { weight });
      loss.backward();
      optimizer.step();
      return loss.item();
    },
  };
}

/** Weighted mean CE forward and the gradient of the logits (ce: 2 classes; ce4, ce8: with ignored pixels). */
function prepareCe(g: Generator, workload: 'ce' | 'ce4' | 'ce8'): Prepared {
  let logits: Tensor, y: Tensor, weight: Tensor, ignoreIndex = -100;
  if (workload === 'ce') {
    const { batch: n, classes, size: s, classWeights, positiveFraction } = CE;
    logits = f32(uniformData(n * classes * s * s, g), [n, classes, s, s], true);
    y = tensor(binaryTargets(n * s * s, positiveFraction, g), { shape: [n, s, s] });
    weight = f32(Float32Array.from(classWeights), [classWeights.length]);
  } else {
    const { batch: n, size: s, ignoreFraction } = CE_MULTI;
    const classes = CE_MULTI_CLASSES[workload];
    ignoreIndex = CE_MULTI.ignoreIndex;
    logits = f32(uniformData(n * classes * s * s, g), [n, classes, s, s], true);
    y = tensor(classTargets(n * s * s, Array(classes).fill(1 / classes), ignoreFraction, ignoreIndex, g), { shape: [n, s, s] });
    weight = f32(Float32Array.from(ceMultiWeights(classes)), [classes]);
  }
  return {
    inputs: { logits, y, weight },
    params: [],
    step: () => {
      logits.grad = null;
      const loss = crossEntropy(logits, y, { weight, ignoreIndex });
      loss.backward();
      gradValue(logits);
      return loss.item();
    },
  };
}

/** smallseg: zero grads, forward (batch norm in training mode), weighted CE with ignored pixels, backward, Adam. */
function prepareSmallseg(g: Generator): Prepared {
  const { batch: n, inChannels: c, size: s, classes, classWeights, classFractions, ignoreIndex, ignoreFraction, lr } = SMALLSEG;
  const model = new SmallSegmenter(c, classes, g);
  const x = f32(uniformData(n * c * s * s, g), [n, c, s, s]);
  const y = tensor(classTargets(n * s * s, classFractions, ignoreFraction, ignoreIndex, g), { shape: [n, s, s] });
  const weight = f32(Float32Array.from(classWeights), [classes]);
  const optimizer = new Adam(model.parameters(), { lr });
  return {
    inputs: { x, y, weight },
    params: model.namedParameters(),
    step: () => {
      optimizer.zeroGrad();
      const loss = crossEntropy(model.forward(x), y, { weight, ignoreIndex });
      loss.backward();
      optimizer.step();
      return loss.item();
    },
  };
}

/** The workload's inputs and step, from a generator seeded with SEED. */
export function prepareWorkload(workload: WorkloadName): Prepared {
  const g = new Generator(SEED);
  switch (workload) {
    case 'segstep': return prepareSegstep(g);
    case 'conv': return prepareConv(g);
    case 'smallseg': return prepareSmallseg(g);
    case 'ce': case 'ce4': case 'ce8': return prepareCe(g, workload);
  }
}
