/**
 * Hooks for a profiler that times ops (the bench's `--profile`): off by default, when they cost one
 * null check per op and per backward node. `record` reports each op whose forward finished (whether
 * or not it records a node), the engine each node whose backward starts and ends.
 */
import { describeValue } from './args.js';

export interface OpTimer {
  /** The forward of `op` finished (called by record, also for ops run inside a backward). */
  forwardDone(op: string): void;
  /** The engine starts (`start` true) or finishes the backward of a node of `op`. */
  backwardNode(op: string, start: boolean): void;
}

let timer: OpTimer | null = null;

/** The active timer, or null. */
export function opTimer(): OpTimer | null {
  return timer;
}

/** Installs a timer (null: none); returns the previous one. */
export function setOpTimer(t: OpTimer | null): OpTimer | null {
  const fns = t as Partial<Record<keyof OpTimer, unknown>> | null;
  if (t !== null && (typeof fns?.forwardDone !== 'function' || typeof fns.backwardNode !== 'function')) {
    throw new Error(`setOpTimer: timer must be null or an object with forwardDone and backwardNode functions, got ${describeValue(t)}`);
  }
  const prev = timer;
  timer = t;
  return prev;
}
