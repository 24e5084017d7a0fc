/**
 * The file checkpoints of checkpoint.ts where there is no file system (browsers, selected by the
 * package's `#checkpoint` import map instead of checkpoint.ts). Same exports, same signatures; each
 * throws, naming what to use instead: `serialize`/`deserialize` on bytes, or `toBlob`/`fromBlob`.
 */
import type { Module } from '../module.js';
import type { StateDict, StateDictLike } from '../state-dict.js';
import type { SafetensorsContent, SerializeOptions } from './safetensors.js';

function noFiles(what: string, instead: string): Error {
  return new Error(`${what}: there is no file system here (not Node); use ${instead}`);
}

export function writeFileAtomic(path: string, bytes: Uint8Array): void {
  void bytes;
  throw noFiles(`writeFileAtomic(${JSON.stringify(path)})`, 'a Blob download');
}

export function save(source: Module | StateDictLike, path: string, options: SerializeOptions = {}): void {
  void source;
  void options;
  throw noFiles(`save(…, ${JSON.stringify(path)})`, 'serialize(…) for the bytes or toBlob(…) for a download');
}

export function loadFile(path: string): SafetensorsContent {
  throw noFiles(`loadFile(${JSON.stringify(path)})`, 'deserialize(bytes) or await fromBlob(file)');
}

export function load(path: string): StateDict {
  throw noFiles(`load(${JSON.stringify(path)})`, 'deserialize(bytes).tensors or (await fromBlob(file)).tensors');
}
