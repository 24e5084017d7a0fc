/**
 * What makes a safetensors file a change-detection checkpoint: its `__metadata__` (format, model
 * config, variant, seed, epoch, validation F1). No file access, so the browser lab writes the same
 * checkpoints as `train` (checkpoint.ts) and `predict` loads either.
 */
import { MODELS, type ModelConfig } from './config.js';
import { usage } from './errors.js';
import type { VariantName } from './variants.js';

export const CHECKPOINT_FORMAT = 'tessera-change-detection/1';

export interface CheckpointMeta {
  model: ModelConfig;
  variant: VariantName;
  seed: number;
  epoch: number;
  valF1: number;
}

/** The safetensors metadata of a checkpoint (all values strings, as the format requires). */
export function checkpointMetadata(meta: CheckpointMeta): Record<string, string> {
  return {
    format: CHECKPOINT_FORMAT,
    model: JSON.stringify(meta.model),
    variant: meta.variant,
    seed: String(meta.seed),
    epoch: String(meta.epoch),
    valF1: String(meta.valF1),
  };
}

/** The checkpoint fields of a safetensors file's metadata (a UsageError, naming `source`, when it is not one). */
export function readCheckpointMeta(md: Readonly<Record<string, string>>, source: string): CheckpointMeta {
  usage(md.format === CHECKPOINT_FORMAT && typeof md.model === 'string',
    `${source} is not a change-detection checkpoint (its safetensors metadata has no format '${CHECKPOINT_FORMAT}' and model config)`);
  const model = JSON.parse(md.model) as ModelConfig;
  usage((MODELS as readonly string[]).includes(model.name), `${source}: unknown model '${model.name}' in the checkpoint metadata`);
  return { model, variant: md.variant as VariantName, seed: Number(md.seed), epoch: Number(md.epoch), valF1: Number(md.valF1) };
}
