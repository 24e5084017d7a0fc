/**
 * The workloads on TF.js 4.22 (`@tensorflow/tfjs`, whose bundle registers the gradients, with the
 * `@tensorflow/tfjs-backend-wasm` and `-cpu` backends). Layout is NHWC, the only one TF.js's wasm
 * backend takes; shapes and FLOPs are the same as Tessera's NCHW runs. Inputs come from the same
 * seeded generator as Tessera's. Each step runs inside `tf.tidy` and reads its result back.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { Generator } from '@tessera/core';
import {
  binaryTargets, nchwToNhwc, normalData, okResult, symmetricData, timeSteps, uniformData,
  type BenchResult, type ConfigSpec, type TimingOptions,
} from './harness.js';
import { registerConvGradsAsForwardConvs, registerFilterGradVia3d } from './tfjs-conv-grads.js';
import { CE, CONV, SEGMENTER_LAYERS, SEGSTEP, workloadFlops, type ConvLayer, type WorkloadName } from './workloads.js';

/** TF.js variants: `wasm` (as shipped + the missing filter-gradient kernel), `wasm-fwdconv`, `cpu`. */
export const TFJS_VARIANTS = ['wasm', 'wasm-fwdconv', 'cpu'] as const;
export type TfjsVariant = (typeof TFJS_VARIANTS)[number];

async function initBackend(variant: TfjsVariant): Promise<Record<string, string | number | boolean>> {
  tf.env().set('PROD', true);
  if (variant === 'cpu') {
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: could not select the cpu backend');
  } else {
    // The .wasm binaries ship inside the npm package: load them from node_modules.
    const require = createRequire(import.meta.url);
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    setWasmPaths(dist);
    if (!(await tf.setBackend('wasm'))) throw new Error(`tfjs: could not initialise the wasm backend from ${dist}`);
    if (variant === 'wasm') registerFilterGradVia3d();
    else registerConvGradsAsForwardConvs();
  }
  await tf.ready();
  const info: Record<string, string | number | boolean> = { tfjs: tf.version.tfjs, backend: tf.getBackend() };
  if (variant !== 'cpu') {
    info['simd'] = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') as boolean;
    info['multithread'] = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT') as boolean;
  }
  return info;
}

/** Weighted mean CE over the last axis: Σ w[y]·(−log softmax[y]) / Σ w[y]. */
function weightedCrossEntropy(logits: tf.Tensor, target: tf.Tensor, weight: tf.Tensor1D, classes: number): tf.Scalar {
  const logp = tf.logSoftmax(logits);
  const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(target, classes)), -1));
  const w = tf.gather(weight, target);
  return tf.div(tf.sum(tf.mul(w, nll)), tf.sum(w));
}

interface Layer { readonly spec: ConvLayer; readonly w: tf.Variable; readonly b: tf.Variable }

/** The reference segmenter in NHWC, PyTorch's default init (U(±1/√fan_in) for weights and biases). */
function buildSegmenter(g: Generator): Layer[] {
  return SEGMENTER_LAYERS.map((spec) => {
    const fanIn = spec.cin * spec.kernel * spec.kernel;
    const bound = 1 / Math.sqrt(fanIn);
    const wShape = [spec.kernel, spec.kernel, spec.cin, spec.cout];
    return {
      spec,
      w: tf.variable(tf.tensor(symmetricData(fanIn * spec.cout, bound, g), wShape), true, spec.name + '.weight'),
      b: tf.variable(tf.tensor(symmetricData(spec.cout, bound, g), [spec.cout]), true, spec.name + '.bias'),
    };
  });
}

function segmenterForward(layers: readonly Layer[], x: tf.Tensor4D): tf.Tensor4D {
  const conv = (i: number, input: tf.Tensor4D): tf.Tensor4D => {
    const l = layers[i];
    if (!l) throw new Error(`segmenter: no layer ${i}`);
    return tf.fused.conv2d({
      x: input, filter: l.w as tf.Tensor4D, strides: 1, pad: l.spec.kernel === 1 ? 'valid' : 'same',
      bias: l.b, activation: l.spec.relu ? 'relu' : 'linear',
    });
  };
  const up = (t: tf.Tensor4D): tf.Tensor4D => tf.image.resizeNearestNeighbor(t, [t.shape[1] * 2, t.shape[2] * 2]);
  const e1 = conv(1, conv(0, x));
  const e2 = conv(3, conv(2, tf.maxPool(e1, 2, 2, 'valid')));
  const bott = conv(4, tf.maxPool(e2, 2, 2, 'valid'));
  const d2 = conv(5, tf.concat([up(bott), e2], 3));
  const d1 = conv(6, tf.concat([up(d2), e1], 3));
  return conv(7, d1);
}

function runSegstep(g: Generator): { step: () => number } {
  const { batch: n, inChannels: c, size: s, classes, classWeights, positiveFraction, lr } = SEGSTEP;
  const layers = buildSegmenter(g);
  const x = tf.tensor4d(nchwToNhwc(uniformData(n * c * s * s, g), n, c, s, s), [n, s, s, c]);
  const y = tf.tensor3d(binaryTargets(n * s * s, positiveFraction, g), [n, s, s], 'int32');
  const weight = tf.tensor1d([...classWeights]);
  const optimizer = tf.train.sgd(lr);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  return {
    step: () => tf.tidy(() => {
      // Gradients are computed afresh each step (nothing to zero); the input needs none.
      const loss = optimizer.minimize(() => weightedCrossEntropy(segmenterForward(layers, x), y, weight, classes), true, vars);
      if (!loss) throw new Error('segstep: minimize returned no loss');
      return loss.dataSync()[0] as number;
    }),
  };
}

function runConv(g: Generator): { step: () => number } {
  const { batch: n, cin, cout, size: s, kernel: k } = CONV;
  const x = tf.tensor4d(nchwToNhwc(uniformData(n * cin * s * s, g), n, cin, s, s), [n, s, s, cin]);
  const w = tf.tensor4d(symmetricData(k * k * cin * cout, 1 / Math.sqrt(cin * k * k), g), [k, k, cin, cout]);
  const dy = tf.tensor4d(nchwToNhwc(normalData(n * cout * s * s, g), n, cout, s, s), [n, s, s, cout]);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'));
  return {
    step: () => tf.tidy(() => {
      const [dx, dw] = grads([x, w], dy);
      if (!dx || !dw) throw new Error('conv: missing gradient');
      dx.dataSync();
      return dw.dataSync()[0] as number;
    }),
  };
}

function runCe(g: Generator): { step: () => number } {
  const { batch: n, classes, size: s, classWeights, positiveFraction } = CE;
  const logits = tf.tensor4d(nchwToNhwc(uniformData(n * classes * s * s, g), n, classes, s, s), [n, s, s, classes]);
  const y = tf.tensor3d(binaryTargets(n * s * s, positiveFraction, g), [n, s, s], 'int32');
  const weight = tf.tensor1d([...classWeights]);
  const f = tf.valueAndGrad((l: tf.Tensor) => weightedCrossEntropy(l, y, weight, classes));
  return {
    step: () => tf.tidy(() => {
      const { value, grad } = f(logits);
      grad.dataSync();
      return value.dataSync()[0] as number;
    }),
  };
}

export async function runTfjs(config: ConfigSpec, workload: WorkloadName, options: TimingOptions): Promise<BenchResult> {
  const variant = config.backend as TfjsVariant;
  if (!TFJS_VARIANTS.includes(variant)) throw new Error(`tfjs: unknown variant '${config.backend}'`);
  const info = await initBackend(variant);
  const g = new Generator(1234);
  if (workload !== 'segstep' && workload !== 'conv' && workload !== 'ce') throw new Error(`tfjs: no ${workload} workload (only segstep, conv, ce)`);
  const { step } = workload === 'segstep' ? runSegstep(g) : workload === 'conv' ? runConv(g) : runCe(g);
  const tensorsBefore = tf.memory().numTensors;
  const samples = timeSteps(step, options);
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) info['leakedTensors'] = leaked;
  const note = variant === 'wasm' && workload !== 'ce'
    ? 'conv weight gradient via the shipped Conv3DBackpropFilterV2 kernel (wasm has no Conv2DBackpropFilter)'
    : variant === 'wasm-fwdconv' && workload !== 'ce'
      ? 'both conv gradients rewritten as XNNPACK forward convs (not as shipped)'
      : null;
  return okResult(config, workload, samples, workloadFlops(workload)?.step ?? null, info, note);
}
