/** Opening a checkpoint file in the page (the file picker): safetensors from a Blob, the model rebuilt, its predictions on the grid pairs. */
import { fromBlob } from '@tessera/nn';
import type { Dataset } from '../../src/data/dataset.js';
import { pairProbabilities } from '../../src/lab/trainer.js';
import { syntheticSplit } from '../../src/train/split.js';
import { readCheckpointMeta, type CheckpointMeta } from '../../src/train/checkpoint-format.js';
import { buildModel } from '../../src/train/model.js';

export interface Opened {
  meta: CheckpointMeta;
  /** p(change) per pixel of each grid pair. */
  grid: Float32Array[];
}

/** Reads a change-detection checkpoint the user picked and runs it on the pairs of `pairs`. */
export async function openCheckpoint(file: File, pairs: Dataset): Promise<Opened> {
  const { tensors, metadata } = await fromBlob(file);
  const meta = readCheckpointMeta(metadata, file.name);
  const model = buildModel(meta.model, 0);
  model.loadStateDict(tensors);
  return { meta, grid: pairProbabilities(model, syntheticSplit(pairs), pairs.n) };
}
