// @tessera/core: tensors, ops with their gradients, reverse-mode autograd.
import './methods.js'; // Tensor's op methods (a.add(b), x.backward()), installed on its prototype
export { Tensor, type TensorLike, type NestedArray } from './tensor.js';
export { type DType, type FloatDType, type TypedArray, type FloatArray, isFloatDType, promoteTypes } from './dtype.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export { randperm, type RandpermOptions } from './randperm.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, arange, rand, randn, uniform, randint,
  type TensorOptions, type RandomOptions,
} from './creation.js';
export {
  backward, grad, noGrad, enableGrad, isGradEnabled, record, recordMulti, unbroadcast, markModified, versionOf,
  setDetectAnomaly, isAnomalyEnabled, detectAnomaly, GradNode,
  type OpName, type CustomOpName, type BackwardFn, type MultiBackwardFn, type RecordOptions, type BackwardOptions, type GradOptions,
} from './engine.js';
export { valueAndGrad, vjp, jvp, hvp, type FunctionalOptions } from './autograd/functional.js';
export { customOp, type CustomOpDefinition, type FunctionCtx } from './autograd/custom-op.js';
export { setOpTimer, type OpTimer } from './profiler.js';
export { kernels, setBackend, getBackend, listBackends, registerBackend, type Kernels } from './kernels/index.js';
export { configureWasm, wasmThreads, type WasmRuntimeOptions } from './kernels/wasm/index.js';
export { broadcastShapes, sizeOf, formatShape, normalizeDim, shapesEqual, type Shape } from './shape.js';
export { checkOptions, checkBool, checkNumber, checkDType, checkShape, describeValue, MAX_ELEMENTS, type NumberRule } from './args.js';

export { add, sub, mul, div, neg } from './ops/arithmetic.js';
export { pow } from './ops/pow.js';
export { exp, log, sqrt, abs } from './ops/unary-math.js';
export { log1p, expm1 } from './ops/log1p.js';
export { sin, cos } from './ops/trig.js';
export { erf } from './ops/erf.js';
export { relu, leakyRelu, sigmoid, tanh, type LeakyReluOptions } from './ops/activations.js';
export { softplus, type SoftplusOptions } from './ops/softplus.js';
export { gelu, type GeluOptions } from './ops/gelu.js';
export { clamp, type ClampOptions } from './ops/clamp.js';
export { where } from './ops/where.js';
export { maximum, minimum } from './ops/maximum.js';
export { eq, ne, lt, le, gt, ge } from './ops/compare.js';
export { sum, mean, type ReduceOptions } from './ops/sum.js';
export { max, min, argmax, argmin, type MaxOptions } from './ops/max.js';
export { logsumexp, type LogsumexpOptions } from './ops/logsumexp.js';
export { cumsum } from './ops/cumsum.js';
export { reshape, flatten, squeeze, unsqueeze } from './ops/reshape.js';
export { permute, transpose } from './ops/permute.js';
export { expand } from './ops/expand.js';
export { narrow, slice, type SliceOptions } from './ops/slice.js';
export { indexSelect } from './ops/index-select.js';
export { gather } from './ops/gather.js';
export { flip } from './ops/flip.js';
export { roll } from './ops/roll.js';
export { oneHot, type OneHotOptions } from './ops/one-hot.js';
export { cat, stack } from './ops/cat.js';
export { pad, type PadOptions } from './ops/pad.js';
export { matmul } from './ops/matmul.js';
export { softmax, logSoftmax } from './ops/softmax.js';
export { cast } from './ops/cast.js';
export { conv2d, type Conv2dOptions } from './ops/conv2d.js';
export { conv2dRelu } from './ops/conv2d-relu.js';
export { convTranspose2d, type ConvTranspose2dOptions } from './ops/conv-transpose2d.js';
export { maxPool2d, type MaxPool2dOptions } from './ops/max-pool2d.js';
export { avgPool2d, type AvgPool2dOptions } from './ops/avg-pool2d.js';
export { interpolate, type InterpolateOptions } from './ops/interpolate.js';
export { batchNorm, type BatchNormOptions } from './ops/batch-norm.js';
export { layerNorm, type LayerNormOptions } from './ops/layer-norm.js';
export { groupNorm, type GroupNormOptions } from './ops/group-norm.js';
export { batchNormRelu } from './ops/batch-norm-relu.js';
export { dropout, type DropoutOptions } from './ops/dropout.js';
export { crossEntropy, type CrossEntropyOptions } from './ops/cross-entropy.js';
export { nllLoss, type NllLossOptions } from './ops/nll-loss.js';
export { binaryCrossEntropyWithLogits, type BinaryCrossEntropyOptions } from './ops/binary-cross-entropy.js';
export { mseLoss, l1Loss, smoothL1Loss, type RegressionLossOptions, type SmoothL1LossOptions } from './ops/regression-loss.js';
export { checkReduction, type Reduction } from './ops/loss-args.js';
export { classWeights, type ClassWeightScheme, type ClassWeightsOptions } from './losses/class-weights.js';
export { focalLoss, type FocalLossOptions } from './losses/focal-loss.js';
export { diceLoss, type DiceLossOptions } from './losses/dice-loss.js';
