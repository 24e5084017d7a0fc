/**
 * State dicts: tensors by dotted PyTorch name (`enc.0.weight`, `bn.running_mean`), in the order
 * PyTorch's `state_dict()` gives them. Loading copies values in place after checking everything.
 */
import { Tensor, formatShape, noGrad, shapesEqual } from '@tessera/core';

/** Tensors by dotted name, in insertion order. */
export type StateDict = Map<string, Tensor>;
/** A state dict as a Map or a plain object (what `load` and JSON-ish code produce). */
export type StateDictLike = ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

export interface LoadStateDictOptions {
  /** Require the keys to match exactly (default true), as PyTorch's `strict`. */
  strict?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export function toStateDictMap(dict: StateDictLike): ReadonlyMap<string, Tensor> {
  return dict instanceof Map ? dict : new Map(Object.entries(dict));
}

/**
 * Copies `dict` into `targets` (the module's live tensors). Shape mismatches always throw; missing
 * and unexpected keys throw when strict. Values are converted to the target's dtype, as `copy_`.
 */
export function loadInto(
  owner: string,
  targets: ReadonlyMap<string, Tensor>,
  dict: StateDictLike,
  options: LoadStateDictOptions,
): LoadStateDictResult {
  const source = toStateDictMap(dict);
  const strict = options.strict ?? true;
  const missingKeys = [...targets.keys()].filter((k) => !source.has(k));
  const unexpectedKeys = [...source.keys()].filter((k) => !targets.has(k));
  const errors: string[] = [];
  if (strict && missingKeys.length > 0) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
  if (strict && unexpectedKeys.length > 0) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
  for (const [k, target] of targets) {
    const src = source.get(k);
    if (src === undefined) continue;
    if (!(src instanceof Tensor)) {
      errors.push(`value for "${k}" is not a Tensor (got ${src === null ? 'null' : typeof src}).`);
    } else if (!shapesEqual(src.shape, target.shape)) {
      errors.push(
        `size mismatch for "${k}": copying a param with shape ${formatShape(src.shape)} from checkpoint, ` +
          `the shape in current model is ${formatShape(target.shape)}.`,
      );
    } else if (target.dtype === 'int32' && src.dtype !== 'int32') {
      errors.push(`dtype mismatch for "${k}": the checkpoint has ${src.dtype}, the model's buffer is int32.`);
    }
  }
  if (errors.length > 0) throw new Error(`Error(s) in loading state_dict for ${owner}:\n\t${errors.join('\n\t')}`);
  for (const [k, target] of targets) {
    const src = source.get(k);
    if (src !== undefined) noGrad(() => target.copy_(src)); // in place, its version bumped, as PyTorch's copy_
  }
  return { missingKeys, unexpectedKeys };
}
