// The op modules that Tensor's methods delegate to (imported as namespaces to keep tensor.ts short).
export * as arithmetic from './arithmetic.js';
export * as powOps from './pow.js';
export * as unaryMath from './unary-math.js';
export * as activations from './activations.js';
export * as clampOps from './clamp.js';
export * as maximumOps from './maximum.js';
export * as sumOps from './sum.js';
export * as maxOps from './max.js';
export * as reshapeOps from './reshape.js';
export * as permuteOps from './permute.js';
export * as expandOps from './expand.js';
export * as sliceOps from './slice.js';
export * as indexSelectOps from './index-select.js';
export * as gatherOps from './gather.js';
export * as matmulOps from './matmul.js';
export * as softmaxOps from './softmax.js';
export { cast } from './cast.js';
