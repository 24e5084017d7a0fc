/**
 * DatasetWorkers: a DataLoader's samples read in worker threads (Node's worker_threads), for
 * datasets whose reads are slow (PNG decoding, augmentation). A function cannot cross into a
 * thread, so each worker builds its own copy of the dataset by calling `export(...args)` from
 * `module` (a file URL or path; args must be structured-cloneable). It must be the same dataset
 * as the main thread's: the loader sends indices and per-sample seeds, the worker sends back the
 * stacked plain typed arrays (transferred, not copied), and the loader makes the tensors.
 *
 * A worker registers tsx's loader when it finds tsx (this repository runs TypeScript without a
 * build step), holds the process open only while a batch is pending, and ends with `close()`. A
 * failed read rejects that batch with the worker's message (naming the file).
 *
 * @example
 * const workers = new DatasetWorkers({ module: new URL('./my-data.ts', import.meta.url), export: 'trainSet', args: ['data/'], numWorkers: 2 });
 * const loader = new DataLoader(trainSet('data/'), { batchSize: 8, shuffle: true, generator, workers });
 * for await (const batch of loader) step(batch);
 * await workers.close();
 * // PyTorch: DataLoader(ds, batch_size=8, shuffle=True, num_workers=2, prefetch_factor=2)
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isAbsolute, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Stacked } from '../collate.js';
import type { BatchWorkers } from '../dataloader.js';

export interface DatasetWorkersOptions {
  module: string | URL;
  export: string;
  args?: unknown[];
  /** Worker threads (default 1). */
  numWorkers?: number;
  /** Node flags of the workers (default none). */
  execArgv?: string[];
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve: (v: never) => void; reject: (e: Error) => void }>;
}

export class DatasetWorkers<S> implements BatchWorkers<S> {
  readonly numWorkers: number;
  private readonly slots: Slot[];
  private nextId = 0;
  private closed = false;

  constructor(options: DatasetWorkersOptions) {
    const n = options.numWorkers ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new Error(`DatasetWorkers: numWorkers must be a positive integer, got ${n}`);
    this.numWorkers = n;
    const m = options.module;
    const url = m instanceof URL ? m.href : m.startsWith('file:') ? m : pathToFileURL(isAbsolute(m) ? m : resolve(m)).href;
    const workerData = { module: url, export: options.export, args: options.args ?? [] };
    const label = `${m instanceof URL ? fileURLToPath(m) : m}#${options.export}`;
    this.slots = Array.from({ length: n }, () => {
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData, execArgv: options.execArgv ?? [] });
      const slot: Slot = { worker, pending: new Map() };
      const failAll = (err: Error): void => {
        for (const p of slot.pending.values()) p.reject(err);
        slot.pending.clear();
      };
      worker.on('message', (msg: { id: number; stacked?: unknown; error?: string }) => {
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        if (slot.pending.size === 0) worker.unref();
        if (msg.error !== undefined) p.reject(new Error(`DatasetWorkers (${label}): ${msg.error}`));
        else p.resolve(msg.stacked as never);
      });
      worker.on('error', (err) => failAll(new Error(`DatasetWorkers (${label}): the worker failed: ${err.message}`)));
      worker.on('exit', (code) => failAll(new Error(`DatasetWorkers (${label}): the worker exited (code ${code})`)));
      worker.unref();
      return slot;
    });
  }

  /** Reads and stacks the samples at `indices` in the least busy worker. */
  load(indices: readonly number[], seeds: readonly number[]): Promise<Stacked<S>> {
    if (this.closed) return Promise.reject(new Error('DatasetWorkers: closed'));
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<Stacked<S>>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: never) => void, reject });
      slot.worker.ref();
      slot.worker.postMessage({ id, indices: [...indices], seeds: [...seeds] });
    });
  }

  /** Ends the workers; pending batches reject. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
