/**
 * The convolution by kernel geometry and its two gradient ops, each an op with its own backward, so
 * gradients of conv2d, conv2dRelu and convTranspose2d can be differentiated again (createGraph) to
 * any order. With y = conv(x, W) and T = ⟨g, conv(x, W)⟩ (T is linear in each of x, W and g):
 *   conv2dInputGrad(g, W) = ∂T/∂x        its backward, for upstream u:  ∂/∂g = conv(u, W),   ∂/∂W = conv2dWeightGrad(u, g)
 *   conv2dWeightGrad(x, g) = ∂T/∂W       its backward, for upstream u:  ∂/∂x = conv2dInputGrad(g, u),   ∂/∂g = conv(x, u)
 *   conv(x, W) + b                       its backward: conv2dInputGrad(g, W), conv2dWeightGrad(x, g), Σ_{n,i,j} g
 * Each is one call of the fused kernels conv2dForward / conv2dBackward (for speed; PyTorch's
 * convolution_backward). Without grad mode conv2d's backward stays one fused conv2dBackward call.
 *
 * @example
 * const [gx] = grad(conv2d(x, w).square().sum(), [x], { createGraph: true }); // gx is conv2dInputGrad(…)
 */
import { allocateEmpty, type FloatArray } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import type { Conv2dGeometry } from '../kernels/types.js';
import { Tensor } from '../tensor.js';

/** What the backward of a convolution (or of convTranspose2d) reads: the weight for dx, the input for dW. */
export function conv2dSaved(x: Tensor, weight: Tensor): Tensor[] {
  return [...(x.requiresGrad ? [weight] : []), ...(weight.requiresGrad ? [x] : [])];
}

/** conv2d(x, weight) + bias with the kernel geometry `g` (arguments already checked), recorded as conv2d. */
export function conv2dWithGeometry(x: Tensor, weight: Tensor, bias: Tensor | null, g: Conv2dGeometry): Tensor {
  const out = allocateEmpty(x.dtype, g.n * g.cOut * g.outH * g.outW) as FloatArray;
  kernels().conv2dForward(x.data as FloatArray, weight.data as FloatArray, bias ? (bias.data as FloatArray) : null, g, out);
  const y = new Tensor(out, [g.n, g.cOut, g.outH, g.outW]);
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, 'conv2d', inputs, (grad, needs) => conv2dGrads(grad, x, weight, bias !== null, g, needs), {
    saved: conv2dSaved(x, weight),
  });
}

/**
 * The gradients of a convolution's inputs [x, weight, bias?] from gz, the gradient of its output:
 * one fused kernel call (with `reluMask`, of gz·[reluMask > 0] — relu's backward fused in), or,
 * under grad mode, the differentiable ops of this file.
 */
export function conv2dGrads(
  gz: Tensor, x: Tensor, weight: Tensor, hasBias: boolean, g: Conv2dGeometry, needs: readonly boolean[], reluMask: Tensor | null = null,
): (Tensor | null)[] {
  const gc = gz.dtype === x.dtype ? gz : gz.to(x.dtype);
  if (isGradEnabled()) {
    if (reluMask) throw new Error('conv2dGrads: a fused relu mask is for the backward without grad mode only');
    const grads = [
      needs[0] ? conv2dInputGrad(gc, weight, g) : null,
      needs[1] ? conv2dWeightGrad(x, gc, g) : null,
      hasBias && needs[2] ? gc.sum([0, 2, 3]) : null,
    ];
    return grads.slice(0, hasBias ? 3 : 2);
  }
  const dx = needs[0] ? (allocateEmpty(x.dtype, x.size) as FloatArray) : null;
  const dw = needs[1] ? (allocateEmpty(x.dtype, weight.size) as FloatArray) : null;
  const db = hasBias && needs[2] ? (allocateEmpty(x.dtype, g.cOut) as FloatArray) : null;
  const mask = reluMask ? { reluMask: reluMask.data as FloatArray } : {};
  kernels().conv2dBackward(gc.data as FloatArray, x.data as FloatArray, weight.data as FloatArray, g, dx, dw, db, mask);
  const grads = [dx && new Tensor(dx, x.shape), dw && new Tensor(dw, weight.shape), db && new Tensor(db, [g.cOut])];
  return grads.slice(0, hasBias ? 3 : 2);
}

/** ∂⟨gz, conv(x, W)⟩/∂x: the input gradient of the convolution `g` (shape [n, c, h, w]). */
export function conv2dInputGrad(gz: Tensor, weight: Tensor, g: Conv2dGeometry): Tensor {
  const dx = allocateEmpty(gz.dtype, g.n * g.c * g.h * g.w) as FloatArray;
  // The kernel does not read its x argument when it computes dx only.
  kernels().conv2dBackward(gz.data as FloatArray, dx, weight.data as FloatArray, g, dx, null, null);
  return record(new Tensor(dx, [g.n, g.c, g.h, g.w]), 'conv2dInputGrad', [gz, weight], (u, needs) => [
    needs[0] ? conv2dWithGeometry(u, weight, null, g) : null,
    needs[1] ? conv2dWeightGrad(u, gz, g) : null,
  ], { saved: conv2dSaved(gz, weight) });
}

/** ∂⟨gz, conv(x, W)⟩/∂W: the weight gradient of the convolution `g` (shape [cOut, c/groups, kH, kW]). */
export function conv2dWeightGrad(x: Tensor, gz: Tensor, g: Conv2dGeometry): Tensor {
  const shape = [g.cOut, g.c / g.groups, g.kH, g.kW];
  const dw = allocateEmpty(x.dtype, shape.reduce((a, b) => a * b, 1)) as FloatArray;
  // The kernel does not read its weight argument when it computes dW only.
  kernels().conv2dBackward(gz.data as FloatArray, x.data as FloatArray, dw, g, null, dw, null);
  return record(new Tensor(dw, shape), 'conv2dWeightGrad', [x, gz], (u, needs) => [
    needs[0] ? conv2dInputGrad(gz, u, g) : null,
    needs[1] ? conv2dWithGeometry(x, u, null, g) : null,
  ], { saved: [...(x.requiresGrad ? [gz] : []), ...(gz.requiresGrad ? [x] : [])] });
}
