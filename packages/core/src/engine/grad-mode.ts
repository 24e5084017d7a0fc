/**
 * Grad mode, as PyTorch's: when it is on (the default), ops whose inputs require a gradient record a
 * node for backward; `noGrad` and `enableGrad` switch it for the duration of a function. The flags
 * live in one object the hot path reads: `record` costs one boolean test when grad mode is off, and
 * one more (anomaly mode) when it is on.
 */

import { checkFunction } from '../args.js';

/** The engine's switches. Read them; change them only through the functions of this folder. */
export const flags = { grad: true, anomaly: false };

export function isGradEnabled(): boolean {
  return flags.grad;
}

/** Runs `fn` with grad mode set to `on`, restoring the previous mode afterwards (also on a throw). */
export function withGradMode<T>(on: boolean, fn: () => T): T {
  const prev = flags.grad;
  flags.grad = on;
  try {
    return fn();
  } finally {
    flags.grad = prev;
  }
}

/** Runs `fn` without recording a graph, as `torch.no_grad()`. */
export function noGrad<T>(fn: () => T): T {
  checkFunction('noGrad', 'fn', fn);
  return withGradMode(false, fn);
}

/** Runs `fn` with recording on, as `torch.enable_grad()`. */
export function enableGrad<T>(fn: () => T): T {
  checkFunction('enableGrad', 'fn', fn);
  return withGradMode(true, fn);
}
