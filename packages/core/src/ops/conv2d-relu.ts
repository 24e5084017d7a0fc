/**
 * conv2dRelu(input, weight, bias?, options): relu(conv2d(input, weight, bias, options)) in one op,
 * fused for speed: the convolution kernel clamps each output as it writes it, and the backward
 * masks the upstream gradient while the convolution's backward stages it (no relu pass, no
 * pre-activation tensor, no separate relu backward). Arguments and options are conv2d's.
 *
 *   y = max(z, 0),  z = conv2d(x, w, b)          ∂L/∂z = grad · [y > 0]   (0 at z = 0, as relu)
 *   then conv2d's gradients of x, w, b from ∂L/∂z.
 * [y > 0] is [z > 0]: y = z where z > 0 and 0 elsewhere. Results equal the unfused composition bit
 * for bit on both backends (the same convolution kernel, the same select as the relu kernels).
 *
 * Under grad mode (a backward with createGraph) the mask is applied as a product with the
 * constant [y > 0] and conv2d's gradients are taken as conv2d takes them, so gradients of
 * gradients exist wherever they exist for conv2d.
 *
 * @example
 * const y = conv2dRelu(randn([8, 3, 32, 32]), randn([16, 3, 3, 3]), zeros([16]), { padding: 1 });
 * y.shape // [8, 16, 32, 32]; PyTorch: F.relu(F.conv2d(x, w, b, padding=1))
 */
import { allocateEmpty, type FloatArray } from '../dtype.js';
import { isGradEnabled, record } from '../engine.js';
import { kernels } from '../kernels/index.js';
import { Tensor } from '../tensor.js';
import { mul } from './arithmetic.js';
import { gt } from './compare.js';
import { withBatch } from './conv-args.js';
import { conv2dGeometry, type Conv2dOptions } from './conv2d.js';
import { conv2dGrads, conv2dSaved } from './conv2d-grads.js';

export function conv2dRelu(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  return withBatch('conv2dRelu', input, (x) => conv2dRelu4(x, weight, bias ?? null, options));
}

function conv2dRelu4(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions): Tensor {
  const g = conv2dGeometry('conv2dRelu', x, weight, bias, options);
  const out = allocateEmpty(x.dtype, g.n * g.cOut * g.outH * g.outW) as FloatArray;
  kernels().conv2dForward(x.data as FloatArray, weight.data as FloatArray, bias ? (bias.data as FloatArray) : null, g, out, { relu: true });
  const y = new Tensor(out, [g.n, g.cOut, g.outH, g.outW]);
  const mask = new Tensor(out, y.shape); // y's values, outside the graph
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return record(y, 'conv2dRelu', inputs, (grad, needs) => {
    if (!isGradEnabled()) return conv2dGrads(grad, x, weight, bias !== null, g, needs, mask);
    return conv2dGrads(mul(grad, gt(mask, 0).to(grad.dtype)), x, weight, bias !== null, g, needs);
  }, { saved: [...conv2dSaved(x, weight), mask] });
}
