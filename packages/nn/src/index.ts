// @tessera/nn: modules, layers, initialisation, optimisers, checkpoints, segmenters and metrics.
export { Module, type RegisterBufferOptions } from './module.js';
export { Parameter, isParameterLike, markInt64, isInt64 } from './parameter.js';
export { type StateDict, type StateDictLike, type LoadStateDictOptions, type LoadStateDictResult } from './state-dict.js';
export * as init from './init.js';

export { Linear, resetWeightAndBias, type LayerOptions, type LinearOptions } from './layers/linear.js';
export { Conv2d, ConvTranspose2d, type Size2, type Conv2dLayerOptions, type ConvTranspose2dLayerOptions } from './layers/conv.js';
export { BatchNorm2d, type BatchNorm2dOptions } from './layers/batch-norm.js';
export { LayerNorm, GroupNorm, type LayerNormLayerOptions, type GroupNormLayerOptions } from './layers/norm.js';
export { ReLU, LeakyReLU, GELU, Softplus } from './layers/activation.js';
export { MaxPool2d, AvgPool2d, type MaxPool2dLayerOptions, type AvgPool2dLayerOptions } from './layers/pooling.js';
export { Upsample, Dropout, type UpsampleOptions, type DropoutLayerOptions } from './layers/upsample.js';
export { Sequential, ModuleList, Identity } from './layers/sequential.js';
export { MSELoss, L1Loss, SmoothL1Loss } from './layers/loss.js';
export { type Nonlinearity, type FanMode, type KaimingOptions, type XavierOptions, type InitOptions } from './init.js';

export { Optimizer, type BaseGroup, type ParamsInput, type ParamState, type OptimizerStateDict } from './optim/optimizer.js';
export { SGD, type SGDOptions } from './optim/sgd.js';
export { Adam, AdamW, type AdamOptions } from './optim/adam.js';
export {
  LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR,
  type HasParamGroups, type SchedulerOptions, type SchedulerStateDict,
} from './optim/lr-scheduler.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './optim/clip-grad.js';

export { serialize, deserialize, type SafetensorsDType, type SafetensorsContent, type SerializeOptions } from './serialization/safetensors.js';
export { save, load, loadFile, writeFileAtomic } from '#checkpoint';
export { toBlob, fromBlob } from './serialization/blob.js';

export { FCEF } from './models/fc-ef.js';
export { FCSiamDiff } from './models/fc-siam-diff.js';
export { UNet } from './models/unet.js';
export { ReferenceSegmenter, type ReferenceSegmenterOptions } from './models/reference-segmenter.js';
export { UNetLayers, type SegmenterOptions, type ResolvedOptions as ResolvedSegmenterOptions } from './models/unet-parts.js';

export { ConfusionMatrix, nanMean, type ConfusionMatrixOptions } from './metrics/confusion-matrix.js';
export { BinaryPRCurve, type BinaryPRCurveOptions, type PRPoint } from './metrics/pr-curve.js';
