// @tessera/core/testing: tools for testing ops, Tessera's own and users'.
import '../methods.js'; // Tensor's op methods, as the main entry installs them
export { gradcheck, GradcheckError, type GradcheckOptions } from './gradcheck.js';
export { gradgradcheck, type GradgradcheckOptions } from './gradgradcheck.js';
export {
  shapeArb,
  tensorArb,
  shapedTensorArb,
  broadcastableShapesArb,
  type ShapeOptions,
  type TensorArbOptions,
} from './arbitraries.js';
