import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leakyRelu, relu, sigmoid, tanh, tensor } from '../src/index.js';
import { gradcheck, shapedTensorArb } from '../src/testing/index.js';
import { expectClose, f64, RUNS } from './helpers.js';

const awayFromZero = shapedTensorArb({}, { requiresGrad: true, avoid: [0] });
const anyArb = shapedTensorArb({}, { requiresGrad: true, min: -4, max: 4 });

describe('relu, leakyRelu, sigmoid, tanh: gradients (gradcheck over random shapes)', () => {
  it('relu (away from the kink at 0)', () => {
    fc.assert(fc.property(awayFromZero, (x) => gradcheck(relu, [x], { name: 'relu' })), { numRuns: RUNS });
  });
  it('leakyRelu with random slopes (away from 0)', () => {
    fc.assert(
      fc.property(awayFromZero, fc.double({ min: -1, max: 1, noNaN: true }), (x, negativeSlope) =>
        gradcheck((t) => leakyRelu(t, { negativeSlope }), [x], { name: 'leakyRelu' })),
      { numRuns: RUNS },
    );
  });
  it('sigmoid', () => {
    fc.assert(fc.property(anyArb, (x) => gradcheck(sigmoid, [x], { name: 'sigmoid' })), { numRuns: RUNS });
  });
  it('tanh', () => {
    fc.assert(fc.property(anyArb, (x) => gradcheck(tanh, [x], { name: 'tanh' })), { numRuns: RUNS });
  });
});

describe('relu, leakyRelu, sigmoid, tanh: values', () => {
  it('relu and its gradient (0 at 0, as PyTorch)', () => {
    const x = f64([-2, 0, 0.5, 3], { requiresGrad: true });
    const y = relu(x);
    expectClose(y, [0, 0, 0.5, 3]);
    y.backward(f64([10, 20, 30, 40]));
    expectClose(x.grad!, [0, 0, 30, 40]);
  });

  it('leakyRelu: default slope 0.01 exactly in float64, custom slope, gradient slope at x ≤ 0', () => {
    // −2 · 0.01 = −0.02 (exactly the float64 product, not a float32-rounded slope)
    const x = f64([-2, 0, 3], { requiresGrad: true });
    const y = leakyRelu(x);
    expect(Array.from(y.data)).toEqual([-2 * 0.01, 0, 3]);
    y.backward(f64([1, 1, 1]));
    expectClose(x.grad!, [0.01, 0.01, 1]);
    // slope 0.2: [−2·0.2, 0, 3]
    expectClose(leakyRelu(f64([-2, 0, 3]), { negativeSlope: 0.2 }), [-0.4, 0, 3]);
    expect(leakyRelu(tensor([-1])).dtype).toBe('float32');
  });

  it('sigmoid: 1/(1+e^−x), stable for large |x|', () => {
    // σ(0) = 1/2; σ(ln 3) = 1/(1 + 1/3) = 3/4; σ(−ln 3) = 1/4; σ(±1000) = 1, 0 (no NaN from e^1000)
    expectClose(sigmoid(f64([0, Math.log(3), -Math.log(3), 1000, -1000])), [0.5, 0.75, 0.25, 1, 0], { atol: 1e-15 });
    // σ'(x) = σ(1−σ): at ln 3 → 3/4 · 1/4 = 3/16
    const x = f64([Math.log(3)], { requiresGrad: true });
    sigmoid(x).sum().backward();
    expectClose(x.grad!, [3 / 16]);
  });

  it('tanh: values and 1 − tanh² gradient', () => {
    // tanh(0) = 0; tanh(ln 2) = (2 − 1/2)/(2 + 1/2) = 3/5; tanh(±50) = ±1
    const x = f64([0, Math.LN2, 50, -50], { requiresGrad: true });
    const y = tanh(x);
    expectClose(y, [0, 0.6, 1, -1], { atol: 1e-15 });
    y.sum().backward();
    // 1 − 0² = 1; 1 − 9/25 = 16/25; 1 − 1 = 0
    expectClose(x.grad!, [1, 0.64, 0, 0], { atol: 1e-15 });
  });

  it('are methods on Tensor', () => {
    expectClose(f64([-1, 1]).leakyRelu(0.5).relu(), [0, 1]);
    expectClose(f64([0]).sigmoid().tanh(), [Math.tanh(0.5)]);
  });
});

describe('relu, leakyRelu, sigmoid, tanh: errors', () => {
  it('refuse int32 input, naming the op', () => {
    const i = tensor([1, -1], { dtype: 'int32' });
    expect(() => relu(i)).toThrow(/relu: input must be a float tensor \(float32 or float64\), got int32 of shape \[2\]/);
    expect(() => leakyRelu(i)).toThrow(/leakyRelu: input must be a float tensor/);
    expect(() => sigmoid(i)).toThrow(/sigmoid: input must be a float tensor/);
    expect(() => tanh(i)).toThrow(/tanh: input must be a float tensor/);
  });
});
