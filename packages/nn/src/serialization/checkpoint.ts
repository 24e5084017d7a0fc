/**
 * Checkpoints on disk in the safetensors format. `save` writes atomically: the bytes go to a
 * temporary file in the same directory, which is flushed and then renamed over the target, so a
 * crash leaves either the old file or the new one, never half a file.
 *
 * @example
 * save(model, 'model.safetensors');                 // PyTorch: safetensors.torch.save_file(model.state_dict(), …)
 * model.loadStateDict(load('model.safetensors'));   // PyTorch: model.load_state_dict(load_file(…))
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Module } from '../module.js';
import type { StateDict, StateDictLike } from '../state-dict.js';
import { deserialize, serialize, type SafetensorsContent, type SerializeOptions } from './safetensors.js';

/** Writes `bytes` to `path` atomically (temporary file in the same directory, fsync, rename). */
export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  const target = resolve(path);
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Saves a module's state dict (or any tensors by name) to a safetensors file, atomically. */
export function save(source: Module | StateDictLike, path: string, options: SerializeOptions = {}): void {
  const tensors = source instanceof Module ? source.stateDict() : source;
  writeFileAtomic(path, serialize(tensors, options));
}

/** Reads a safetensors file: its tensors by name and its `__metadata__`. */
export function loadFile(path: string): SafetensorsContent {
  const buf = readFileSync(path);
  return deserialize(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), path);
}

/** Reads the tensors of a safetensors file by name, ready for `module.loadStateDict`. */
export function load(path: string): StateDict {
  return loadFile(path).tensors;
}
