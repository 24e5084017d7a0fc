/**
 * Reverse-mode autograd (the files of engine/): grad mode, the nodes `record` attaches to op outputs,
 * version counters for in-place changes, the backward walk, `backward` and `grad`, anomaly mode.
 * Ops import from here.
 */
export { flags, isGradEnabled, noGrad, enableGrad, withGradMode } from './engine/grad-mode.js';
export { versionOf, markModified } from './engine/versions.js';
export {
  record, recordMulti, GradNode, isPlainGrad,
  type OpName, type CustomOpName, type BackwardFn, type MultiBackwardFn, type RecordOptions,
} from './engine/node.js';
export { unbroadcast } from './engine/accumulate.js';
export { backward, grad, type BackwardOptions, type GradOptions } from './engine/backward.js';
export { setDetectAnomaly, isAnomalyEnabled, detectAnomaly } from './engine/anomaly.js';
