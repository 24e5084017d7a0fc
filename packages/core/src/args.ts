/**
 * Checks of the arguments every public function takes, with one message style: the function, the
 * argument and the value at fault. JavaScript lets anything through a parameter typed `number`;
 * PyTorch's argument parser raises TypeError on an unknown keyword or a value of the wrong type,
 * so these do too instead of computing with a string or an object (which gives NaN or garbage).
 *
 * @example
 * checkOptions('conv2d', options, ['stride', 'padding', 'dilation', 'groups']);
 * // PyTorch: F.conv2d(x, w, strides=2) → TypeError: conv2d() got an unexpected keyword argument 'strides'
 */
import { DTYPES, type DType } from './dtype.js';

/** The largest element count a tensor may have (Tessera indexes elements with int32). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Whether `v` is an array (without narrowing a typed parameter, as Array.isArray does to any[]). */
export const isList = (v: unknown): boolean => Array.isArray(v);

/** A short description of a value for an error message. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `[${v.slice(0, 6).map(describeValue).join(', ')}${v.length > 6 ? ', …' : ''}]`;
  const name = (v as { constructor?: { name?: string } }).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * `options` must be undefined or a plain object whose keys are all in `known`.
 * Keys whose value is undefined are accepted (a spread of optional fields leaves them).
 */
export function checkOptions(op: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new Error(`${op}: options must be an object, got ${describeValue(options)}`);
  }
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined && !known.includes(k)) throw new Error(`${op}: unknown option '${k}' (known: ${known.join(', ')})`);
  }
}

/** A boolean option, or undefined. */
export function checkBool(op: string, name: string, v: unknown): asserts v is boolean | undefined {
  if (v !== undefined && typeof v !== 'boolean') throw new Error(`${op}: ${name} must be true or false, got ${describeValue(v)}`);
}

export interface NumberRule {
  min?: number;
  max?: number;
  /** Exclude `min` itself. */
  above?: boolean;
  integer?: boolean;
  /** Allow ±Infinity (NaN never passes). */
  infinite?: boolean;
}

/** A number argument or option (undefined passes when `optional`); the rule is said in the message. */
export function checkNumber(op: string, name: string, v: unknown, rule: NumberRule = {}, optional = true): asserts v is number {
  if (v === undefined && optional) return;
  const { min = -Infinity, max = Infinity, above = false, integer = false, infinite = false } = rule;
  const ok = typeof v === 'number' && !Number.isNaN(v) && (infinite || Number.isFinite(v)) && (!integer || Number.isInteger(v)) &&
    (above ? v > min : v >= min) && v <= max;
  if (!ok) {
    const kind = integer ? 'an integer' : infinite ? 'a number' : 'a finite number';
    const range = min > -Infinity && max < Infinity ? ` in ${above ? '(' : '['}${min}, ${max}]` : min > -Infinity ? ` ${above ? '>' : '>='} ${min}` : max < Infinity ? ` <= ${max}` : '';
    throw new Error(`${op}: ${name} must be ${kind}${range}, got ${describeValue(v)}`);
  }
}

/** A dtype name. */
export function checkDType(op: string, name: string, v: unknown, optional = true): asserts v is DType | undefined {
  if (v === undefined && optional) return;
  if (!(DTYPES as readonly unknown[]).includes(v)) throw new Error(`${op}: ${name} must be one of ${DTYPES.join(', ')}, got ${describeValue(v)}`);
}

/** A function argument. */
export function checkFunction(op: string, name: string, v: unknown): asserts v is (...args: never[]) => unknown {
  if (typeof v !== 'function') throw new Error(`${op}: ${name} must be a function, got ${describeValue(v)}`);
}

/**
 * A shape: a list of integer sizes >= 0 whose product a tensor can hold. Returns the element count.
 * PyTorch: torch.zeros(-1) → RuntimeError: Trying to create tensor with negative dimension -1.
 */
export function checkShape(op: string, name: string, shape: unknown): number {
  if (!Array.isArray(shape)) throw new Error(`${op}: ${name} must be a list of sizes, got ${describeValue(shape)}`);
  let n = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) throw new Error(`${op}: ${name} ${describeValue(shape)} has an invalid size ${describeValue(d)} (sizes are integers >= 0)`);
    n *= d;
  }
  checkElements(op, name, n, shape as number[]);
  return n;
}

/** Throws when a tensor of `n` elements (for `name`, of `shape`) cannot exist. */
export function checkElements(op: string, name: string, n: number, shape?: readonly number[]): void {
  if (n > MAX_ELEMENTS) {
    throw new Error(`${op}: ${name} gives ${shape ? `shape [${shape.join(', ')}], ` : ''}${n.toExponential(2)} elements, more than a tensor can hold (2^31 − 1)`);
  }
}
