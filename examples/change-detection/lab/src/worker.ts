/**
 * A training worker of the lab: one variant, trained step by step by the same LabTrainer the Node
 * tests run, posting every step's loss and, after each epoch, its validation row and the grid's
 * p(change) maps. Its kernels run on `threads` threads (more Web Workers over one shared memory)
 * when the page is cross-origin isolated, else on this one.
 */
import { configureWasm, getBackend, wasmThreads } from '@tessera/core';
import type { FromWorker, ToWorker } from '../../src/lab/messages.js';
import { LabTrainer } from '../../src/lab/trainer.js';
import type { VariantName } from '../../src/train/variants.js';

interface Scope {
  postMessage(message: FromWorker, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
  crossOriginIsolated: boolean;
}
const scope = self as unknown as Scope;

let trainer: LabTrainer | undefined;
let variant: VariantName = 'ce';
let running = false;
let looping = false;

/** Yields to the event loop (a message port, not a clamped timer) so that pause messages get in. */
const tick = (): Promise<void> => new Promise((resolve) => {
  const ch = new MessageChannel();
  ch.port1.onmessage = () => resolve();
  ch.port2.postMessage(null);
});

async function loop(): Promise<void> {
  if (looping) return;
  looping = true;
  try {
    while (running && trainer) {
      const max = trainer.config.maxSteps;
      if (max > 0 && trainer.stepCount >= max) {
        running = false;
        scope.postMessage({ type: 'done', variant, steps: trainer.stepCount });
        break;
      }
      const r = trainer.step();
      if (r.step === 1) {
        // The kernels start with the first step: only now is their thread count known.
        scope.postMessage({
          type: 'ready', variant, backend: getBackend(), threads: wasmThreads() ?? 1, weights: trainer.weights,
          counts: trainer.data.train.counts, isolated: scope.crossOriginIsolated,
        });
      }
      scope.postMessage({ type: 'step', variant, step: r.step, epoch: r.epoch, loss: r.loss });
      if (r.epochDone) {
        const { row } = trainer.evaluate();
        const grid = trainer.gridProbabilities();
        scope.postMessage({ type: 'epoch', variant, row, grid }, grid.map((g) => g.buffer as ArrayBuffer));
      }
      await tick();
    }
  } catch (err) {
    running = false;
    scope.postMessage({ type: 'error', variant, message: (err as Error).message });
  } finally {
    looping = false;
  }
}

scope.onmessage = (e) => {
  const m = e.data;
  if (m.type === 'start') {
    variant = m.variant;
    try {
      configureWasm({ threads: m.threads });
      trainer = new LabTrainer(m.config, m.variant);
    } catch (err) {
      scope.postMessage({ type: 'error', variant, message: (err as Error).message });
      return;
    }
    running = true;
    void loop();
  } else if (m.type === 'pause') {
    running = false;
  } else if (m.type === 'resume') {
    running = true;
    void loop();
  } else if (trainer) {
    const bytes = trainer.checkpoint();
    scope.postMessage({ type: 'checkpoint', variant, bytes, name: `${variant}-seed${trainer.config.seed}.safetensors` }, [bytes.buffer as ArrayBuffer]);
  }
}
scope.postMessage({ type: 'loaded' });
