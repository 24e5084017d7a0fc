/**
 * Checkpoints on disk, all safetensors written atomically by @tessera/nn's `save`.
 *
 * - A best checkpoint (checkpoints/<variant>-seed<s>.safetensors) holds the model's state dict
 *   under PyTorch's names and, in the safetensors `__metadata__`, everything needed to rebuild the
 *   model: `format`, `model` (JSON of the model config), `variant`, `seed`, `epoch`, `valF1`.
 *   `predict` needs nothing else.
 * - A training state (state/<variant>-seed<s>.e<epoch>.safetensors) holds the model under
 *   `model.<name>` and the optimiser's per-parameter tensors under `optim.<index>.<key>`, with the
 *   optimiser's numbers and parameter groups as JSON in the metadata: what `--resume` needs.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tensor } from '@tessera/core';
import { loadFile, save, type Module, type OptimizerStateDict } from '@tessera/nn';
import { makeFolder } from '../io/folders.js';
import { UsageError, usage } from './errors.js';
import { checkpointMetadata, readCheckpointMeta, type CheckpointMeta } from './checkpoint-format.js';
import { buildModel, type Optim, type Segmenter } from './model.js';


export { CHECKPOINT_FORMAT, type CheckpointMeta } from './checkpoint-format.js';

export function saveCheckpoint(path: string, model: Module, meta: CheckpointMeta): void {
  makeFolder(dirname(path));
  save(model, path, { metadata: checkpointMetadata(meta) });
}

/** Reads a best checkpoint and rebuilds its model (UsageError when missing or not one of ours). */
export function loadCheckpoint(path: string): { model: Segmenter; meta: CheckpointMeta } {
  usage(existsSync(path), `checkpoint not found: ${path}`);
  let content;
  try {
    content = loadFile(path);
  } catch (err) {
    throw new UsageError(`cannot read checkpoint ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
  const meta = readCheckpointMeta(content.metadata, path);
  const net = buildModel(meta.model, 0);
  net.loadStateDict(content.tensors);
  net.eval();
  return { model: net, meta };
}

/** Saves a unit's model and optimiser state after `epoch` finished epochs. */
export function saveTrainingState(path: string, model: Module, optim: Optim, epoch: number): void {
  const tensors = new Map<string, Tensor>();
  for (const [k, t] of model.stateDict()) tensors.set(`model.${k}`, t);
  const sd = optim.stateDict();
  const numbers: Record<string, Record<string, number>> = {};
  for (const [i, st] of sd.state) {
    for (const [k, v] of Object.entries(st)) {
      if (typeof v === 'number') (numbers[i] ??= {})[k] = v;
      else tensors.set(`optim.${i}.${k}`, v);
    }
  }
  makeFolder(dirname(path));
  save(tensors, path, {
    metadata: { epoch: String(epoch), optimNumbers: JSON.stringify(numbers), paramGroups: JSON.stringify(sd.paramGroups) },
  });
}

/** Restores what saveTrainingState wrote into `model` and `optim`; returns the epoch. */
export function loadTrainingState(path: string, model: Module, optim: Optim): number {
  const { tensors, metadata } = loadFile(path);
  const modelDict = new Map<string, Tensor>();
  const state: OptimizerStateDict['state'] = new Map();
  const numbers = JSON.parse(metadata.optimNumbers ?? '{}') as Record<string, Record<string, number>>;
  for (const [i, rec] of Object.entries(numbers)) state.set(Number(i), { ...rec });
  for (const [k, t] of tensors) {
    if (k.startsWith('model.')) modelDict.set(k.slice(6), t);
    else if (k.startsWith('optim.')) {
      const [, i, key] = /^optim\.(\d+)\.(.+)$/.exec(k) ?? [];
      if (i === undefined || key === undefined) throw new Error(`loadTrainingState: bad key ${k} in ${path}`);
      const rec = state.get(Number(i)) ?? {};
      rec[key] = t;
      state.set(Number(i), rec);
    }
  }
  model.loadStateDict(modelDict);
  optim.loadStateDict({ state, paramGroups: JSON.parse(metadata.paramGroups ?? '[]') as OptimizerStateDict['paramGroups'] });
  return Number(metadata.epoch);
}
