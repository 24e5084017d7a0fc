/**
 * configureWasm and createWasmKernels check their options where they are given: a misspelt key or a
 * value of the wrong kind is an Error naming the function and the option, not a surprise at the
 * first kernel call (or a silently ignored key).
 */
import { describe, expect, it } from 'vitest';
import { configureWasm, type WasmRuntimeOptions } from '../src/index.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';

const bad: [string, unknown, RegExp][] = [
  ['a misspelt key', { thread: 2 }, /unknown option 'thread'/],
  ['threads 0', { threads: 0 }, /threads must be an integer/],
  ['threads 1.5', { threads: 1.5 }, /threads must be an integer/],
  ['threads as a string', { threads: '2' }, /threads must be an integer/],
  ['threads above 256', { threads: 1000 }, /threads must be an integer/],
  ['a negative minParallelFlops', { minParallelFlops: -1 }, /minParallelFlops must be/],
  ['a NaN minParallelFlops', { minParallelFlops: Number.NaN }, /minParallelFlops must be/],
  ['minItemExtent 0', { minItemExtent: 0 }, /minItemExtent must be an integer/],
  ['relaxed as a string', { relaxed: 'yes' }, /relaxed must be true or false/],
  ['an unknown winograd mode', { winograd: 'sometimes' }, /winograd must be one of auto, always, never, got "sometimes"/],
  ['heap not an object', { heap: 3 }, /heap: options must be an object/],
  ['a misspelt heap key', { heap: { minbytes: 1 } }, /unknown option 'minbytes'/],
  ['a zero heap.maxBytes', { heap: { maxBytes: 0 } }, /heap\.maxBytes must be/],
  ['options not an object', 2, /options must be an object, got 2/],
  ['no options', undefined, /options must be an object, got undefined/],
];

describe('wasm runtime options', () => {
  for (const [what, options, message] of bad) {
    it(`configureWasm refuses ${what}`, () => {
      expect(() => configureWasm(options as WasmRuntimeOptions)).toThrow(new RegExp(`^configureWasm: .*${message.source}`));
    });
  }

  it('createWasmKernels refuses them too, before starting threads', () => {
    expect(() => createWasmKernels({ threads: 2, winograd: 'fast' } as unknown as WasmRuntimeOptions)).toThrow(/^createWasmKernels: winograd must be one of/);
    expect(() => createWasmKernels({ threads: -2 })).toThrow(/^createWasmKernels: threads must be an integer/);
  });

  it('accepts every documented option, leaving an unstarted runtime to take them', () => {
    expect(() => configureWasm({ threads: 1, minParallelFlops: Infinity, minItemExtent: 64, relaxed: false, winograd: 'never', heap: { minBytes: 2 ** 24, maxBytes: 2 ** 28 } })).not.toThrow();
  });
});
