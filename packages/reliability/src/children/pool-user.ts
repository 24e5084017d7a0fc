/**
 * Child of the worker-pool tests: a process that uses the wasm backend's worker pool, then ends in
 * the way argv[2] names. It prints `threads <n>` (the OS threads of this process, from
 * /proc/self/status) at the points the test compares.
 *
 *   done          a pooled matmul, then the script ends (the idle workers must not keep it alive)
 *   dispose       a pooled GEMM on its own runtime, then dispose(): the thread count must drop back
 *   throw         a pooled matmul, then an uncaught Error
 *   reject        a pooled matmul, then an unhandled rejection
 *   worker-error  a pool whose workers die at start-up (an uncaught LinkError in each worker): the
 *                 caller must run every item itself and the process end by itself
 *   item-trap     a pool whose workers trap on every item they claim: the job must throw, naming the pool
 */
import { readFileSync, writeSync } from 'node:fs';
import { matmul, randn, Generator } from '@tessera/core';
import { WorkerPool } from '../../../core/src/kernels/wasm/pool.js';
import { createWasmKernels } from '../../../core/src/kernels/wasm/index.js';
import { WA, type WasmModule } from '../../../core/src/kernels/wasm/webassembly.js';

const say = (s: string): void => void writeSync(1, `${s}\n`);
const threads = (): number => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);

/**
 * A hand-assembled module on an imported shared memory: `count(desc, item, scratch)` stores 1 at
 * desc + 4·item; `boom` traps (unreachable). With `extraImport`, it also imports a function nobody
 * provides, so instantiating it fails.
 */
function tinyModule(extraImport: boolean): WasmModule {
  const memImport = [0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x03, 0x01, 0x80, 0x80, 0x04];
  const fnImport = [0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00]; // env.f : type 0
  const imports = extraImport ? [0x02, ...memImport, ...fnImport] : [0x01, ...memImport];
  const base = extraImport ? 1 : 0; // imported functions come first in the index space
  const count = [0x00, 0x20, 0x00, 0x20, 0x01, 0x41, 0x02, 0x74, 0x6a, 0x41, 0x01, 0x36, 0x02, 0x00, 0x0b];
  const code = [0x02, 0x03, 0x00, 0x00, 0x0b, count.length, ...count];
  const exports = [0x02, 0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x00, base, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, base + 1];
  const section = (id: number, body: number[]): number[] => [id, body.length, ...body];
  return new WA.Module(new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(2, imports),
    ...section(3, [0x02, 0x00, 0x00]),
    ...section(7, exports),
    ...section(10, code),
  ]));
}

async function main(mode: string): Promise<void> {
  if (mode === 'worker-error' || mode === 'item-trap') {
    const memory = new WA.Memory({ initial: 1, maximum: 65536, shared: true });
    const mine = new WA.Instance(tinyModule(false), { env: { memory } }).exports as Record<string, (d: number, i: number, s: number) => void>;
    const workersModule = tinyModule(mode === 'worker-error');
    const pool = new WorkerPool({ module: workersModule, memory, ctrl: 1024, desc: 4096, functions: ['boom', 'count'], scratch: () => 0, threads: 3 });
    const items = 4000;
    const error = new Int32Array(memory.buffer, 1024, 8);
    const local = (d: number, i: number, s: number): void => {
      // item-trap: hold item 0 until a worker has trapped on an item of its own (ERROR, pool.ts), at most 20 s
      if (mode === 'item-trap' && i === 0) for (const t = Date.now(); Atomics.load(error, 6) === 0 && Date.now() - t < 20_000;);
      mine['count']!(d, i, s);
    };
    say(`threads ${threads()}`);
    pool.run(mode === 'worker-error' ? 1 : 0, items, local);
    const slots = new Int32Array(memory.buffer, 4096, items);
    say(`items ${slots.reduce((a, b) => a + b, 0)}`);
    return;
  }
  say(`threads ${threads()}`);
  const k = createWasmKernels({ threads: 3, minParallelFlops: 0 });
  const a = randn([128, 128], { generator: new Generator(1) });
  const c = new Float32Array(128 * 128);
  k.gemm(a.data as Float32Array, a.data as Float32Array, c, { m: 128, n: 128, k: 128 });
  if (mode !== 'dispose') matmul(a, a); // and the process-wide backend's pool, as ops use it
  say(`threads ${threads()}`);
  if (mode === 'dispose') {
    await k.dispose();
    say(`threads ${threads()}`);
  } else if (mode === 'throw') {
    setTimeout(() => {
      throw new Error('pool-user: thrown after a pooled job');
    });
  } else if (mode === 'reject') {
    void Promise.reject(new Error('pool-user: rejected after a pooled job'));
  }
}

void main(process.argv[2] ?? 'done').then(() => say('end of script'));
