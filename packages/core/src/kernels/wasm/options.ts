/**
 * The check of WasmRuntimeOptions, made where the options are given (configureWasm, createWasmKernels)
 * rather than at the first kernel call, which may be far away (the first op of a training run):
 * `configureWasm({ thread: 2 })` (a misspelt key) or `{ threads: '2' }` names the option at fault.
 *
 * @example
 * checkWasmOptions('configureWasm', { threads: 0 }); // Error: configureWasm: threads must be an integer in [1, 256], got 0
 */
import { checkBool, checkNumber, checkOptions, describeValue } from '../../args.js';

const KEYS = ['threads', 'minParallelFlops', 'minItemExtent', 'relaxed', 'winograd', 'heap'] as const;
const WINOGRAD = ['auto', 'always', 'never'] as const;

/** Throws an Error naming `op` and the option at fault when `options` is not valid WasmRuntimeOptions. */
export function checkWasmOptions(op: string, options: unknown): void {
  if (options === undefined) throw new Error(`${op}: options must be an object, got undefined`);
  checkOptions(op, options, KEYS);
  const o = options as Record<string, unknown>;
  checkNumber(op, 'threads', o.threads, { min: 1, max: 256, integer: true });
  checkNumber(op, 'minParallelFlops', o.minParallelFlops, { min: 0, infinite: true });
  checkNumber(op, 'minItemExtent', o.minItemExtent, { min: 1, integer: true });
  checkBool(op, 'relaxed', o.relaxed);
  if (o.winograd !== undefined && !(WINOGRAD as readonly unknown[]).includes(o.winograd)) {
    throw new Error(`${op}: winograd must be one of ${WINOGRAD.join(', ')}, got ${describeValue(o.winograd)}`);
  }
  if (o.heap === undefined) return;
  checkOptions(`${op}: heap`, o.heap, ['minBytes', 'maxBytes']);
  const heap = o.heap as Record<string, unknown>;
  checkNumber(op, 'heap.minBytes', heap.minBytes, { min: 0 });
  checkNumber(op, 'heap.maxBytes', heap.maxBytes, { min: 0, above: true });
}
