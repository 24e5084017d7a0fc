/**
 * TF.js 4.22's wasm backend ships no `Conv2DBackpropFilter` kernel, so a conv training step fails
 * as shipped ("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"). Two ways to
 * supply it, both registered only in the child process that benchmarks that variant:
 *
 * - `registerFilterGradVia3d` (variant `tfjs-wasm`, "as shipped"): the missing kernel reshapes
 *   x and dy to 5-D (depth 1) and calls the backend's own `Conv3DBackpropFilterV2` kernel. The
 *   shipped `Conv2DBackpropInput` kernel is used unchanged. This is the route WORKLOADS.md's
 *   TF.js wasm figures were measured with.
 * - `registerConvGradsAsForwardConvs` (variant `tfjs-wasm-fwdconv`): both conv gradients are
 *   written as forward convolutions, which the wasm backend runs with XNNPACK:
 *     dx = conv2d(dy, W'),  W'[a, b, co, ci] = W[kH−1−a, kW−1−b, ci, co],  padding kH−1−top etc.
 *     dW = transpose(conv2d(xᵀ, dyᵀ), [1, 2, 0, 3]),  xᵀ = x as [C_in, H, W, N],
 *          dyᵀ = dy as [H_out, W_out, N, C_out], padding = the forward padding.
 *   Stride 1 and dilation 1 only (all the workloads' convs); anything else throws.
 *   This is the fastest TF.js wasm configuration we found; it is not what TF.js ships.
 *
 * Kernels call other kernels of the same backend directly (as TF.js's own kernels do) and free
 * their intermediates with `backend.disposeData`.
 */
import * as tf from '@tensorflow/tfjs';

interface KernelArgs { inputs: Record<string, tf.TensorInfo>; backend: tf.KernelBackend; attrs?: Record<string, unknown> }
type Info = tf.TensorInfo;

function kernelOf(name: string): tf.KernelFunc {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`tfjs-conv-grads: the wasm backend has no '${name}' kernel`);
  return k.kernelFunc;
}

function call(name: string, backend: tf.KernelBackend, inputs: Record<string, Info>, attrs: Record<string, unknown>): Info {
  const args: KernelArgs = { inputs, backend, attrs };
  const out = kernelOf(name)(args as unknown as Parameters<tf.KernelFunc>[0]);
  if (Array.isArray(out)) throw new Error(`tfjs-conv-grads: kernel '${name}' returned several outputs`);
  return out;
}

function free(backend: tf.KernelBackend, ...infos: Info[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

function replaceKernel(name: string, kernelFunc: (args: KernelArgs) => Info): void {
  if (tf.getKernel(name, 'wasm')) tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

interface ConvGradAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
}

function shape4(s: readonly number[]): [number, number, number, number] {
  if (s.length !== 4) throw new Error(`tfjs-conv-grads: expected a rank-4 shape, got [${s.join(', ')}]`);
  return [s[0] as number, s[1] as number, s[2] as number, s[3] as number];
}

/** Variant `tfjs-wasm`: the missing filter gradient through the shipped Conv3DBackpropFilterV2. */
export function registerFilterGradVia3d(): void {
  replaceKernel('Conv2DBackpropFilter', ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    const a = attrs as unknown as ConvGradAttrs;
    if (a.pad !== 'same' && a.pad !== 'valid') throw new Error(`tfjs-conv-grads: 3-D route takes pad 'same' or 'valid', got ${JSON.stringify(a.pad)}`);
    const s = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
    const filterShape = shape4(a.filterShape ?? []);
    const [n, h, w, c] = shape4(x.shape);
    const [, ho, wo, co] = shape4(dy.shape);
    const x5 = call('Reshape', backend, { x }, { shape: [n, 1, h, w, c] });
    const dy5 = call('Reshape', backend, { x: dy }, { shape: [n, 1, ho, wo, co] });
    const dw5 = call('Conv3DBackpropFilterV2', backend, { x: x5, dy: dy5 }, { strides: [1, s[0], s[1]], pad: a.pad, filterShape: [1, ...filterShape] });
    const dw = call('Reshape', backend, { x: dw5 }, { shape: filterShape });
    free(backend, x5, dy5, dw5);
    return dw;
  });
}

function padInfo(inputShape: [number, number, number, number], filterShape: [number, number, number, number], a: ConvGradAttrs) {
  if (a.dataFormat !== 'NHWC') throw new Error(`tfjs-conv-grads: only NHWC, got ${a.dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, a.strides, 1, a.pad, a.dimRoundingMode);
  if (info.strideHeight !== 1 || info.strideWidth !== 1) {
    throw new Error(`tfjs-conv-grads: forward-conv gradients need stride 1, got ${info.strideHeight}×${info.strideWidth}`);
  }
  return { ...info.padInfo, kH: info.filterHeight, kW: info.filterWidth };
}

/** Variant `tfjs-wasm-fwdconv`: both conv gradients as XNNPACK forward convolutions. */
export function registerConvGradsAsForwardConvs(): void {
  replaceKernel('Conv2DBackpropInput', ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const a = attrs as unknown as ConvGradAttrs;
    const p = padInfo(shape4(a.inputShape ?? []), shape4(filter.shape), a);
    const flipped = call('Reverse', backend, { x: filter }, { dims: [0, 1] });
    const wT = call('Transpose', backend, { x: flipped }, { perm: [0, 1, 3, 2] });
    const pad = [[0, 0], [p.kH - 1 - p.top, p.kH - 1 - p.bottom], [p.kW - 1 - p.left, p.kW - 1 - p.right], [0, 0]];
    const dx = call('Conv2D', backend, { x: dy, filter: wT }, { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 });
    free(backend, flipped, wT);
    return dx;
  });
  replaceKernel('Conv2DBackpropFilter', ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: Info; dy: Info };
    const a = attrs as unknown as ConvGradAttrs;
    const p = padInfo(shape4(x.shape), shape4(a.filterShape ?? []), a);
    const xT = call('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
    const dyT = call('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });
    const pad = [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]];
    const r = call('Conv2D', backend, { x: xT, filter: dyT }, { strides: 1, pad, dataFormat: 'NHWC', dilations: 1 });
    const dw = call('Transpose', backend, { x: r }, { perm: [1, 2, 0, 3] });
    free(backend, xT, dyT, r);
    return dw;
  });
}
