/**
 * Argument checks of the layers, on core's (checkOptions, checkNumber, …): every constructor
 * refuses what PyTorch's refuses, and values of the wrong type, naming the layer and the argument.
 */
import { checkBool, checkOptions, describeValue, Generator, type FloatDType } from '@tessera/core';

/** The options object of a layer: known keys, a float `dtype`, a Generator, booleans among `bools`. */
export function checkLayerOptions(name: string, options: unknown, keys: readonly string[], bools: readonly string[] = []): void {
  checkOptions(name, options, keys);
  const o = (options ?? {}) as Record<string, unknown>;
  if (keys.includes('dtype')) checkFloatDType(name, o['dtype']);
  if (keys.includes('generator')) checkGenerator(name, o['generator']);
  for (const b of bools) checkBool(name, b, o[b]);
}

export function checkFloatDType(name: string, v: unknown): asserts v is FloatDType | undefined {
  if (v !== undefined && v !== 'float32' && v !== 'float64') throw new Error(`${name}: dtype must be float32 or float64, got ${describeValue(v)}`);
}

export function checkGenerator(name: string, v: unknown): asserts v is Generator | undefined {
  if (v !== undefined && !(v instanceof Generator)) throw new Error(`${name}: generator must be a Generator, got ${describeValue(v)}`);
}

/** A number or a pair of integers >= `min` (kernelSize, stride, padding, dilation), as a pair. */
export function size2(name: string, arg: string, v: unknown, min: number): [number, number] {
  const p: readonly unknown[] = typeof v === 'number' ? [v, v] : Array.isArray(v) ? v : [];
  if (p.length !== 2 || !p.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= min)) {
    throw new Error(`${name}: ${arg} must be an integer >= ${min} or a pair of them, got ${describeValue(v)}`);
  }
  return [p[0] as number, p[1] as number];
}
