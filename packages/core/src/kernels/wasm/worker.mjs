/** A wasm kernel thread under Node: worker-loop.mjs over the data the pool passed (platform/node.ts). */
import { workerData } from 'node:worker_threads';
import { serve } from './worker-loop.mjs';

serve(workerData);
