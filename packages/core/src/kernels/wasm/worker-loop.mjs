/**
 * The loop of a wasm kernel thread (pool.ts), shared by the Node worker (worker.mjs) and the Web
 * Worker (worker-web.mjs). Plain JS so it runs unchanged whether the caller is compiled TypeScript,
 * tsx, vitest or a bundle. It instantiates the compiled module on the caller's shared memory, then
 * loops: claim items of the current job and run them, counting each in DONE; then sleep in
 * Atomics.wait until the job generation changes. It never returns. Control word indices and the
 * claim protocol mirror pool.ts.
 */
const GEN = 0, NEXT = 1, DONE = 2, ITEMS = 3, FN = 4, DESC = 5, ERROR = 6, STOP = 7;

/** Runs the kernel thread over { module, memory, ctrl, functions, scratch } (KernelThreadData). */
export function serve({ module, memory, ctrl: ctrlAddress, functions, scratch }) {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const fns = functions.map((name) => exports[name]);
  const ctrl = new Int32Array(memory.buffer, ctrlAddress, 8);

  /** Next item of the job tagged `tag`, or -1 (see claim() in pool.ts). */
  const claim = (tag) => {
    for (;;) {
      const v = Atomics.load(ctrl, NEXT);
      if (v >>> 20 !== tag) return -1;
      const i = v & 0xfffff;
      if (i >= Atomics.load(ctrl, ITEMS)) return -1;
      if (Atomics.compareExchange(ctrl, NEXT, v, v + 1) === v) return i;
    }
  };

  for (;;) {
    const gen = Atomics.load(ctrl, GEN);
    if (Atomics.load(ctrl, STOP) !== 0) break;
    // A worker that starts (or wakes) mid-job joins it.
    const tag = gen & 0x7ff;
    for (let i = claim(tag); i >= 0; i = claim(tag)) {
      try {
        fns[Atomics.load(ctrl, FN)](Atomics.load(ctrl, DESC), i, scratch);
      } catch {
        Atomics.store(ctrl, ERROR, 1);
      }
      if (Atomics.add(ctrl, DONE, 1) + 1 === Atomics.load(ctrl, ITEMS)) Atomics.notify(ctrl, DONE);
    }
    Atomics.wait(ctrl, GEN, gen);
  }
}
