/**
 * Worker thread of the wasm kernel pool (pool.ts). Plain JS so it runs unchanged whether the caller
 * is compiled TypeScript, tsx or vitest. It instantiates the compiled module (sent by the parent)
 * on the parent's shared memory, then loops: sleep in Atomics.wait until the job generation
 * changes, claim items with an atomic counter and run them, count each finished item in DONE.
 * Control word indices mirror pool.ts.
 */
import { workerData } from 'node:worker_threads';

const GEN = 0, NEXT = 1, DONE = 2, ITEMS = 3, FN = 4, DESC = 5, ERROR = 6, STOP = 7;

const { module, memory, ctrl: ctrlAddress, functions, scratch } = workerData;
const { exports } = new WebAssembly.Instance(module, { env: { memory } });
const fns = functions.map((name) => exports[name]);
const ctrl = new Int32Array(memory.buffer, ctrlAddress, 8);

let seen = Atomics.load(ctrl, GEN);
for (;;) {
  // Claim until the job is exhausted (a worker that starts mid-job joins it).
  for (let i = Atomics.add(ctrl, NEXT, 1); i < Atomics.load(ctrl, ITEMS); i = Atomics.add(ctrl, NEXT, 1)) {
    try {
      fns[Atomics.load(ctrl, FN)](Atomics.load(ctrl, DESC), i, scratch);
    } catch {
      Atomics.store(ctrl, ERROR, 1);
    }
    if (Atomics.add(ctrl, DONE, 1) + 1 === Atomics.load(ctrl, ITEMS)) Atomics.notify(ctrl, DONE);
  }
  Atomics.wait(ctrl, GEN, seen);
  seen = Atomics.load(ctrl, GEN);
  if (Atomics.load(ctrl, STOP) !== 0) break;
}
