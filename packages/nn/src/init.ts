/**
 * Weight initialisation, as `torch.nn.init`: each function fills a tensor in place (no graph, its
 * version bumped) from a seedable generator (default: core's default generator) and returns it.
 *
 *   fan_in = size(1) · receptive field, fan_out = size(0) · receptive field (receptive field = ∏ size(2:))
 *   kaimingUniform: U(−b, b), b = gain · √(3 / fan),  gain = calculateGain(nonlinearity, a)
 *   kaimingNormal:  N(0, std²), std = gain / √fan
 *   xavierUniform:  U(−b, b), b = gain · √(6 / (fan_in + fan_out))
 *   xavierNormal:   N(0, std²), std = gain · √(2 / (fan_in + fan_out))
 *
 * PyTorch's default for Linear and Conv weights is kaimingUniform with a = √5, which gives
 * b = √(2 / (1 + 5)) · √(3 / fan_in) = 1 / √fan_in; their biases are U(−1/√fan_in, 1/√fan_in).
 *
 * @example
 * init.kaimingUniform(w, { a: Math.sqrt(5), generator: new Generator(0) }); // torch.nn.init.kaiming_uniform_(w, a=math.sqrt(5))
 */
import { checkNumber, checkOptions, defaultGenerator, describeValue, formatShape, markModified, noGrad, Tensor, type Generator } from '@tessera/core';

export type Nonlinearity =
  | 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d'
  | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';
export type FanMode = 'fan_in' | 'fan_out';

export interface InitOptions {
  generator?: Generator | undefined;
}
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier after this layer (leaky_relu only; default 0). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}
export interface XavierOptions extends InitOptions {
  gain?: number;
}

/** The recommended gain for a nonlinearity, as `torch.nn.init.calculate_gain`. */
const NONLINEARITIES: readonly string[] = [
  'linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu',
];

export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  if (!NONLINEARITIES.includes(nonlinearity)) throw new Error(`calculateGain: unsupported nonlinearity ${describeValue(nonlinearity)} (known: ${NONLINEARITIES.join(', ')})`);
  checkNumber('calculateGain', 'param', param, { infinite: true });
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu': {
      const slope = param ?? 0.01;
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}

/** [fan_in, fan_out] of a weight of rank ≥ 2, as `torch.nn.init._calculate_fan_in_and_fan_out`. */
export function calculateFans(t: Tensor, fn = 'calculateFans'): [number, number] {
  target(fn, t);
  if (t.ndim < 2) throw new Error(`${fn}: fan in and fan out need a tensor with at least 2 dims, got shape ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [t.shape[1]! * receptive, t.shape[0]! * receptive];
}

/** The tensor an init function fills: a Tensor, float when the values are random. */
function target(fn: string, t: unknown, float = false): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new Error(`${fn}: tensor must be a Tensor, got ${describeValue(t)}`);
  if (float && t.dtype === 'int32') throw new Error(`${fn}: tensor must be a float tensor, got int32 (shape ${formatShape(t.shape)})`);
}

function fill(t: Tensor, draw: (g: Generator) => number, generator: Generator | undefined): Tensor {
  const g = generator ?? defaultGenerator;
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = draw(g);
  markModified(t); // an in-place change, as torch.nn.init's
  return t;
}

/** U(low, high), as `uniform_`. */
export function uniform(t: Tensor, low = 0, high = 1, options: InitOptions = {}): Tensor {
  target('uniform', t, true);
  checkNumber('uniform', 'low', low, {}, false);
  checkNumber('uniform', 'high', high, { min: low }, false);
  return fill(t, (g) => low + (high - low) * g.uniform(), options.generator);
}

/** N(mean, std²), as `normal_`. */
export function normal(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  target('normal', t, true);
  checkNumber('normal', 'mean', mean, {}, false);
  checkNumber('normal', 'std', std, { min: 0 }, false);
  return fill(t, (g) => mean + std * g.normal(), options.generator);
}

export function constant(t: Tensor, value: number, fn = 'constant'): Tensor {
  target(fn, t);
  if (typeof value !== 'number') throw new Error(`${fn}: value must be a number, got ${describeValue(value)}`);
  return noGrad(() => t.fill_(value));
}

export function zeros(t: Tensor): Tensor {
  return constant(t, 0, 'zeros');
}

export function ones(t: Tensor): Tensor {
  return constant(t, 1, 'ones');
}

function kaimingStd(fn: string, t: Tensor, options: KaimingOptions): number {
  target(fn, t, true);
  checkOptions(fn, options, ['a', 'mode', 'nonlinearity', 'generator']);
  checkNumber(fn, 'a', options.a);
  if (options.mode !== undefined && options.mode !== 'fan_in' && options.mode !== 'fan_out') throw new Error(`${fn}: mode must be 'fan_in' or 'fan_out', got ${describeValue(options.mode)}`);
  const [fanIn, fanOut] = calculateFans(t, fn);
  const fan = (options.mode ?? 'fan_in') === 'fan_in' ? fanIn : fanOut;
  if (fan === 0) throw new Error(`${fn}: cannot initialise an empty tensor of shape ${formatShape(t.shape)}`);
  return calculateGain(options.nonlinearity ?? 'leaky_relu', options.a ?? 0) / Math.sqrt(fan);
}

/** He uniform, as `kaiming_uniform_` (defaults a = 0, mode 'fan_in', nonlinearity 'leaky_relu'). */
export function kaimingUniform(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform', t, options);
  return uniform(t, -bound, bound, options);
}

/** He normal, as `kaiming_normal_`. */
export function kaimingNormal(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal(t, 0, kaimingStd('kaimingNormal', t, options), options);
}

/** Glorot uniform, as `xavier_uniform_`. */
export function xavierUniform(t: Tensor, options: XavierOptions = {}): Tensor {
  target('xavierUniform', t, true);
  checkOptions('xavierUniform', options, ['gain', 'generator']);
  checkNumber('xavierUniform', 'gain', options.gain);
  const [fanIn, fanOut] = calculateFans(t, 'xavierUniform');
  const bound = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -bound, bound, options);
}

/** Glorot normal, as `xavier_normal_`. */
export function xavierNormal(t: Tensor, options: XavierOptions = {}): Tensor {
  target('xavierNormal', t, true);
  checkOptions('xavierNormal', options, ['gain', 'generator']);
  checkNumber('xavierNormal', 'gain', options.gain);
  const [fanIn, fanOut] = calculateFans(t, 'xavierNormal');
  return normal(t, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options);
}
