/**
 * Oracles for the cases where PyTorch returns: the expected shape and values (NaN only matches NaN,
 * an infinity only itself, finite values to float32 precision), written from PyTorch 1.13's answers.
 */
import fc from 'fast-check';
import { Tensor, tensor, type DType } from '@tessera/core';
import { returns, type FuzzCase, type Oracle } from './harness.js';

const close = (a: number, b: number): boolean =>
  Number.isNaN(b) ? Number.isNaN(a) : Number.isFinite(b) ? Math.abs(a - b) <= 1e-6 + 1e-5 * Math.abs(b) : a === b;

/** The output must be a tensor of `shape` with `values` (and `dtype`, when given). */
export function tensorEquals(shape: readonly number[], values: readonly number[], dtype?: DType): Oracle {
  return (out) => {
    if (!(out instanceof Tensor)) throw new Error(`expected a tensor, got ${String(out)}`);
    if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`expected shape [${shape.join(', ')}], got [${out.shape.join(', ')}]`);
    }
    if (dtype !== undefined && out.dtype !== dtype) throw new Error(`expected dtype ${dtype}, got ${out.dtype}`);
    const got = Array.from(out.data);
    const bad = values.findIndex((v, i) => !close(got[i]!, v));
    if (bad >= 0) throw new Error(`element ${bad} is ${got[bad]}, PyTorch gives ${values[bad]} (all: ${got.slice(0, 8).join(', ')})`);
  };
}

/** An empty float32 tensor of `shape` (some dim 0). */
export const empty = (shape: readonly number[]): Tensor => tensor([]).reshape([...shape]);

/** Special values for elementwise checks. */
export const SPECIAL = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, -0, 1e-30, -1e30, 0.5, -2];

/**
 * Elementwise op on special values against a scalar reference: both the float32 result and the
 * reference of each value as PyTorch computes it (`ref`), for inputs drawn from SPECIAL.
 */
export function elementwise(op: string, f: (x: Tensor) => unknown, ref: (v: number) => number): fc.Arbitrary<FuzzCase> {
  return fc.array(fc.constantFrom(...SPECIAL), { minLength: 1, maxLength: 6 }).map((vs) => {
    const x = Float32Array.from(vs);
    return returns(op, `[${vs.join(', ')}]`, () => f(tensor(Array.from(x))), tensorEquals([vs.length], Array.from(x, (e) => Math.fround(ref(e)))));
  });
}

/** A binary elementwise op on special values (broadcast [n] with [1]). */
export function elementwise2(op: string, f: (a: Tensor, b: Tensor) => unknown, ref: (a: number, b: number) => number): fc.Arbitrary<FuzzCase> {
  return fc.tuple(fc.array(fc.constantFrom(...SPECIAL), { minLength: 1, maxLength: 5 }), fc.constantFrom(...SPECIAL)).map(([as, b]) => {
    const a32 = Float32Array.from(as);
    const b32 = Math.fround(b);
    return returns(op, `[${as.join(', ')}] with ${b}`, () => f(tensor(Array.from(a32)), tensor([b32])), tensorEquals([as.length], Array.from(a32, (v) => Math.fround(ref(v, b32)))));
  });
}

/** Calls on zero-size tensors: the output shape PyTorch gives (values are empty or as listed). */
export function emptyCase(op: string, what: string, call: () => unknown, shape: readonly number[], values: readonly number[] = []): fc.Arbitrary<FuzzCase> {
  return fc.constant(returns(op, what, call, tensorEquals(shape, values)));
}
