/**
 * Anomaly detection, as `torch.autograd.detect_anomaly`: while it is on, every op's forward result
 * and every gradient a backward step returns is checked for NaN and ±Infinity, and the first one
 * found throws an Error naming the op, the direction (forward, or backward and which input's
 * gradient) and where the op was created (its stack, the user's frames first). Each node also keeps
 * a checksum of its saved tensors, so a raw write to `.data` (which the version counters do not see)
 * is caught at backward, naming the op. Off by default; the hot path then pays one boolean test.
 *
 * @example
 * detectAnomaly(() => loss.backward()); // torch.autograd.set_detect_anomaly(True) / detect_anomaly()
 */
import { checkBool, checkFunction } from '../args.js';
import { isFloatDType, type TypedArray } from '../dtype.js';
import { formatShape, stridesOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { flags } from './grad-mode.js';
import type { GradNode } from './node.js';

/** Turns anomaly mode on or off for everything that follows, as `torch.autograd.set_detect_anomaly`. */
export function setDetectAnomaly(on: boolean): void {
  checkBool('setDetectAnomaly', 'on', on);
  flags.anomaly = on;
}

export function isAnomalyEnabled(): boolean {
  return flags.anomaly;
}

/** Runs `fn` (forward, backward, or both) with anomaly mode on, restoring the previous mode after. */
export function detectAnomaly<T>(fn: () => T): T {
  checkFunction('detectAnomaly', 'fn', fn);
  const prev = flags.anomaly;
  flags.anomaly = true;
  try {
    return fn();
  } finally {
    flags.anomaly = prev;
  }
}

/** This folder's URL path (…/src/): frames under it are Tessera's, the others the user's. */
const coreSrc = new URL('../', import.meta.url).pathname;

/** The current stack, the user's frames first, then Tessera's (anomaly mode only: it costs a stack walk). */
export function captureStack(): string {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 64;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const frames = stack.split('\n').slice(1).map((l) => l.trim()).filter((l) => l.startsWith('at '));
  const own = (f: string): boolean => f.includes(coreSrc);
  const user = frames.filter((f) => !own(f));
  const tessera = frames.filter(own);
  return [...user.map((f) => `    ${f}`), ...(tessera.length > 0 ? ['    (in Tessera:)', ...tessera.map((f) => `      ${f}`)] : [])].join('\n');
}

/** The index of the first NaN or ±Infinity in a float array, or −1. */
function firstNonFinite(d: TypedArray): number {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) return i;
  return -1;
}

function where(t: Tensor, i: number): string {
  const at = stridesOf(t.shape).map((s, d) => Math.floor(i / s) % t.shape[d]!);
  return `${t.data[i]} at index [${at.join(', ')}]`;
}

/** The node whose backward is running (anomaly mode only), to attribute the ops its backward runs. */
let running: GradNode | null = null;

/** Runs a node's backward step `fn` with `node` as the one whose ops are being checked. */
export function inBackwardOf<T>(node: GradNode, fn: () => T): T {
  const prev = running;
  running = node;
  try {
    return fn();
  } finally {
    running = prev;
  }
}

/** Throws when a forward result holds NaN/Infinity, saying whether an input already did. */
export function checkForward(out: Tensor, op: string, inputs: readonly Tensor[]): void {
  if (!isFloatDType(out.dtype)) return;
  const i = firstNonFinite(out.data);
  if (i < 0) return;
  const bad = inputs.findIndex((x) => isFloatDType(x.dtype) && firstNonFinite(x.data) >= 0);
  if (running !== null) {
    throw new Error(
      `anomaly: the backward of op '${running.op}' produced ${where(out, i)} (in its step '${op}', ${out.dtype} of shape ` +
        `${formatShape(out.shape)}) in the backward pass ${bad < 0 ? 'from finite values' : '(an operand already held a NaN/Infinity)'}. ` +
        `Op '${running.op}' was created at:\n${running.stack ?? '    (unknown: it was recorded while anomaly mode was off)'}`,
    );
  }
  const cause = bad < 0
    ? 'from finite inputs'
    : `(its input ${bad} already holds ${where(inputs[bad]!, firstNonFinite(inputs[bad]!.data))}: it came from outside anomaly mode or from a leaf)`;
  throw new Error(
    `anomaly: op '${op}' produced ${where(out, i)} of its output (${out.dtype} of shape ${formatShape(out.shape)}) ` +
      `in the forward pass ${cause}. The op was called at:\n${captureStack()}`,
  );
}

/** Throws when the gradient a backward step returned for input `k` holds NaN/Infinity. */
export function checkBackward(node: GradNode, k: number, g: Tensor, upstream: readonly (Tensor | null)[]): void {
  const i = firstNonFinite(g.data);
  if (i < 0) return;
  const input = node.inputs[k]!;
  const upBad = upstream.some((u) => u !== null && firstNonFinite(u.data) >= 0);
  throw new Error(
    `anomaly: op '${node.op}' returned ${where(g, i)} in the gradient for its input ${k} ` +
      `(${input.dtype} of shape ${formatShape(input.shape)}) in the backward pass` +
      `${upBad ? ' (its upstream gradient already held a NaN/Infinity)' : ' from a finite upstream gradient'}. ` +
      `The op was created at:\n${node.stack ?? '    (unknown: it was recorded while anomaly mode was off)'}`,
  );
}

/** A 32-bit hash of a tensor's bytes (FNV-1a over 32-bit words). */
export function checksum(t: Tensor): number {
  const d = t.data;
  const words = new Int32Array(d.buffer, d.byteOffset, d.byteLength >> 2);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 0x01000193);
  return h;
}

/** Throws when a saved tensor's contents changed since the forward though its version did not. */
export function checkChecksums(node: GradNode): void {
  const sums = node.checksums;
  if (!sums || !node.saved) return;
  for (let k = 0; k < sums.length; k++) {
    if (checksum(node.saved[k]!) !== sums[k]) {
      throw new Error(
        `anomaly: ${node.describeSaved(k)}, saved by op '${node.op}' for its backward, was changed after the forward ` +
          `without an in-place op (a raw write to .data?): its contents differ from when it was saved, so its ` +
          `gradient would be wrong. The op was created at:\n${node.stack ?? '    (unknown)'}`,
      );
    }
  }
}
