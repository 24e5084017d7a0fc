/**
 * Safetensors as a Blob, for browsers: a download of a checkpoint, or a file the user picked.
 * Works wherever `Blob` exists (browsers, Node ≥ 18).
 *
 * @example
 * const url = URL.createObjectURL(toBlob(model));          // <a href={url} download="model.safetensors">
 * model.loadStateDict((await fromBlob(input.files[0])).tensors);
 * // PyTorch: safetensors.torch.save(model.state_dict()) / safetensors.torch.load(bytes)
 */
import { Module } from '../module.js';
import type { StateDictLike } from '../state-dict.js';
import { describeValue } from '@tessera/core';
import { checkSerializeArgs, deserialize, serialize, type SafetensorsContent, type SerializeOptions } from './safetensors.js';

/** The safetensors bytes of a module's state dict (or of tensors by name) as a Blob. */
export function toBlob(source: Module | StateDictLike, options: SerializeOptions = {}): Blob {
  const tensors = source instanceof Module ? source.stateDict() : source;
  checkSerializeArgs('toBlob', tensors, options, 'source');
  const bytes = serialize(tensors, options);
  return new Blob([bytes], { type: 'application/octet-stream' });
}

/**
 * Reads a safetensors Blob (or File: its name is used in errors); nothing is returned unless all of it
 * is valid. Anything but a Blob rejects with an Error naming fromBlob and the blob argument.
 */
export async function fromBlob(blob: Blob): Promise<SafetensorsContent> {
  if (typeof Blob === 'undefined' || !(blob instanceof Blob)) throw new Error(`fromBlob: blob must be a Blob or a File, got ${describeValue(blob)}`);
  const name = (blob as { name?: unknown }).name;
  return deserialize(new Uint8Array(await blob.arrayBuffer()), typeof name === 'string' ? name : 'blob');
}
