/**
 * The thread of a DatasetWorkers worker: builds its own copy of the dataset from the module and
 * export named in workerData, then for each request reads the samples with the generators the
 * loader seeded, stacks them and transfers the arrays' buffers back (made here, so nobody else
 * holds them).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Generator } from '@tessera/core';
import { stackSamples } from '../collate.js';
import type { Dataset } from '../dataset.js';
import { isNdArray, type Sample } from '../sample.js';

interface Request {
  id: number;
  indices: number[];
  seeds: number[];
}

const spec = workerData as { module: string; export: string; args: unknown[] };
const port = parentPort!;

async function build(): Promise<Dataset<Sample>> {
  const mod = (await import(spec.module)) as Record<string, unknown>;
  const factory = mod[spec.export];
  if (typeof factory !== 'function') throw new Error(`${spec.module} has no function export '${spec.export}'`);
  return (await (factory as (...a: unknown[]) => unknown)(...spec.args)) as Dataset<Sample>;
}

const ready = build();
ready.catch(() => {}); // reported with the first request

port.on('message', (req: Request) => {
  ready.then((ds) => {
    const stacked = stackSamples(req.indices.map((i, k) => ds.get(i, new Generator(req.seeds[k]!))));
    const buffers = Object.values(stacked as Record<string, unknown>).filter(isNdArray).map((a) => a.data.buffer as ArrayBuffer);
    port.postMessage({ id: req.id, stacked }, buffers);
  }).catch((err: unknown) => {
    port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) });
  });
});
