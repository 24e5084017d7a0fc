/** The messages between the lab page and its training workers (one worker per variant). */
import type { EpochRow } from '../train/metrics.js';
import type { VariantName } from '../train/variants.js';
import type { LabConfig } from './config.js';

export type ToWorker =
  | { type: 'start'; config: LabConfig; variant: VariantName; threads: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'checkpoint' };

export type FromWorker =
  /** Sent once the worker's modules have loaded (@tessera/core fetches its kernels with a top-level await; messages sent before that would be lost). */
  | { type: 'loaded' }
  | { type: 'ready'; variant: VariantName; backend: string; threads: number; weights: number[]; counts: [number, number]; isolated: boolean }
  | { type: 'step'; variant: VariantName; step: number; epoch: number; loss: number }
  | { type: 'epoch'; variant: VariantName; row: EpochRow; grid: Float32Array[] }
  | { type: 'done'; variant: VariantName; steps: number }
  | { type: 'checkpoint'; variant: VariantName; bytes: Uint8Array; name: string }
  | { type: 'error'; variant: VariantName; message: string };
