// @tessera/core/testing: tools for testing ops, Tessera's own and users'.
export { gradcheck, GradcheckError, type GradcheckOptions } from './gradcheck.js';
export {
  shapeArb,
  tensorArb,
  shapedTensorArb,
  broadcastableShapesArb,
  type ShapeOptions,
  type TensorArbOptions,
} from './arbitraries.js';
