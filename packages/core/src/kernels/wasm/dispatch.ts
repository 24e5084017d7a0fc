/**
 * The one dispatch path of every wasm kernel family (as tfjs's binaryKernelFunc): `withFallback`
 * sends calls the wasm code does not cover (dtype, size, options) to the js kernel of the same
 * name; `withOperands` gives the wasm code a byte address for each operand. An array that lives in
 * the wasm memory (wasm-resident, see heap.ts) is used where it is; any other is staged: inputs are
 * copied in before the call, outputs copied back after it. Scratch regions follow the operands.
 */
import type { TypedArray } from '../../dtype.js';
import { jsKernels } from '../js.js';
import type { KernelName, Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** How a kernel uses an array: reads it, writes every element, or reads and writes it (accumulates into it). */
export type Access = 'in' | 'out' | 'inout';

export interface Operand {
  /** The array, or null for an absent operand (address 0). */
  data: TypedArray | null;
  access: Access;
  /** Elements the kernel touches, from the start (default: all). */
  length?: number;
}

export const input = (data: TypedArray | null, length?: number): Operand => (length === undefined ? { data, access: 'in' } : { data, access: 'in', length });
export const output = (data: TypedArray | null, length?: number): Operand => (length === undefined ? { data, access: 'out' } : { data, access: 'out', length });
export const inout = (data: TypedArray | null, length?: number): Operand => (length === undefined ? { data, access: 'inout' } : { data, access: 'inout', length });

/** Whether every array given is float32 (nulls allowed). */
export const allF32 = (...arrays: readonly (TypedArray | null | undefined)[]): boolean =>
  arrays.every((a) => a === null || a === undefined || a instanceof Float32Array);

/** The kernel `name` that runs `run` where `eligible` holds and the js kernel elsewhere. */
export function withFallback<K extends KernelName>(
  name: K, eligible: (...args: Parameters<Kernels[K]>) => boolean, run: Kernels[K],
): Kernels[K] {
  const js = jsKernels[name] as (...args: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>;
  const wasm = run as (...args: Parameters<Kernels[K]>) => ReturnType<Kernels[K]>;
  return ((...args: Parameters<Kernels[K]>) => (eligible(...args) ? wasm(...args) : js(...args))) as Kernels[K];
}

/**
 * Runs `body` with the byte addresses of the operands (0 for null ones), then of `scratch` regions
 * of the given float counts (16-byte aligned, contents undefined), and returns what it returns.
 * Addresses are valid during the call only.
 */
export function withOperands<R>(rt: WasmRuntime, operands: readonly Operand[], scratch: readonly number[], body: (at: number[]) => R): R {
  // Where each operand lives (0: absent, -1: not in wasm memory) and the bytes to stage for it.
  const own = operands.map((o) => (o.data === null ? 0 : rt.addressOf(o.data)));
  const bytes = operands.map((o, i) => (o.data === null || own[i]! >= 0 ? 0 : (o.length ?? o.data.length) * o.data.BYTES_PER_ELEMENT));
  // One borrowed block holds the staged operands and the scratch regions, each 16-byte aligned.
  const sizes = [...bytes, ...scratch.map((n) => 4 * n)];
  const offsets: number[] = [];
  let total = 0;
  for (const b of sizes) { offsets.push(total); total += (b + 15) & ~15; }
  const block = rt.heap.borrow(total);
  const region = offsets.map((o) => block + o);
  const at = operands.map((o, i) => {
    if (own[i]! >= 0) return own[i]!;
    const data = o.data as TypedArray;
    if (o.access !== 'out') new Uint8Array(rt.memory.buffer, region[i], bytes[i]).set(new Uint8Array(data.buffer, data.byteOffset, bytes[i]));
    return region[i]!;
  });
  try {
    const result = body([...at, ...region.slice(operands.length)]);
    operands.forEach((o, i) => {
      if (o.data === null || o.access === 'in' || own[i]! >= 0) return;
      new Uint8Array(o.data.buffer, o.data.byteOffset, bytes[i]).set(new Uint8Array(rt.memory.buffer, at[i], bytes[i]));
    });
    return result;
  } finally {
    rt.heap.give(block, total);
  }
}
