/**
 * Argument checks shared by the classification losses (crossEntropy, nllLoss, focalLoss, diceLoss):
 * the (N, C, d1..dk) / (C) layout of the input, index targets, per-class weights and the reduction.
 * Every error names the op, the argument and the shapes or values at fault.
 */
import type { FloatArray } from '../dtype.js';
import { isFloatDType } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import type { LossReduction } from '../kernels/types.js';
import { formatShape, shapesEqual, sizeOf, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor, requireFloat } from './util.js';

export type Reduction = LossReduction;

/** The input viewed as [n, c, spatial], and the shape of one class index per position. */
export interface ClassLayout {
  n: number;
  c: number;
  spatial: number;
  /** (N, d1..dk), or () for an unbatched (C) input: the shape of index targets and of 'none' losses. */
  positions: number[];
  /** 1, or 0 for an unbatched (C) input. */
  classDim: number;
}

export function classLayout(op: string, input: Tensor): ClassLayout {
  requireFloat(op, 'input', input);
  if (input.ndim === 0) {
    throw new Error(`${op}: input must have shape (N, C, d1..dk) or (C) with classes along dim 1 (or 0), got a 0-d tensor`);
  }
  const unbatched = input.ndim === 1;
  const c = unbatched ? input.shape[0]! : input.shape[1]!;
  if (c === 0) throw new Error(`${op}: input of shape ${formatShape(input.shape)} has no classes (C = 0)`);
  const n = unbatched ? 1 : input.shape[0]!;
  const rest = input.shape.slice(2);
  const positions = unbatched ? [] : [n, ...rest];
  return { n, c, spatial: sizeOf(rest), positions, classDim: unbatched ? 0 : 1 };
}

export function checkReduction(op: string, reduction: unknown): asserts reduction is Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new Error(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(reduction)}`);
  }
}

export function checkIgnoreIndex(op: string, ignoreIndex: unknown): asserts ignoreIndex is number {
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new Error(`${op}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  }
}

/** The C weights as a float array, or null; throws unless weight is a float tensor of shape [C]. */
export function classWeightData(op: string, weight: Tensor | undefined, c: number, arg = 'weight'): FloatArray | null {
  if (weight === undefined) return null;
  assertTensor(op, arg, weight);
  if (!isFloatDType(weight.dtype) || weight.ndim !== 1 || weight.shape[0] !== c) {
    throw new Error(
      `${op}: ${arg} must be a float tensor of shape [${c}] (one value per class, C = ${c}), ` +
        `got ${weight.dtype} of shape ${formatShape(weight.shape)}`,
    );
  }
  return weight.data as FloatArray;
}

/** Index targets: int32 of shape `layout.positions`, each in [0, C) or equal to ignoreIndex. */
export function checkIndexTargets(op: string, input: Tensor, target: Tensor, layout: ClassLayout, ignoreIndex: number): Int32Array {
  assertTensor(op, 'target', target);
  const expected = formatShape(layout.positions);
  if (target.dtype !== 'int32') {
    throw new Error(
      `${op}: class-index targets must be int32 of shape ${expected}, got ${target.dtype} of shape ` +
        `${formatShape(target.shape)} (input shape ${formatShape(input.shape)})`,
    );
  }
  if (!shapesEqual(target.shape, layout.positions)) {
    throw new Error(
      `${op}: target shape ${formatShape(target.shape)} does not match input shape ${formatShape(input.shape)}; ` +
        `class-index targets must have shape ${expected} (the input's shape without the class dim)`,
    );
  }
  const t = target.data as Int32Array;
  const c = layout.c;
  const i = kernels().firstInvalidTarget(t, { c, ignoreIndex });
  if (i >= 0) {
    const v = t[i]!;
    const at = stridesOf(target.shape).map((s, d) => Math.floor(i / s) % target.shape[d]!);
    throw new Error(
      `${op}: target value ${v} at position [${at.join(', ')}] is out of range: classes are 0..${c - 1} ` +
        `(C = ${c}) and ignoreIndex is ${ignoreIndex}`,
    );
  }
  return t;
}
