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
import { closeSync, constants, fstatSync, fsyncSync, openSync, readdirSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Module } from '../module.js';
import type { StateDict, StateDictLike } from '../state-dict.js';
import { headerLength } from './safetensors-header.js';
import { deserialize, serialize, type SafetensorsContent, type SerializeOptions } from './safetensors.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: unknown }).code === 'EPERM';
  }
};

/** Removes the temporary files of `target` that writers killed mid-write left (their pid is gone). */
function sweepStale(target: string): void {
  const prefix = `.${basename(target)}.`;
  for (const f of readdirSync(dirname(target))) {
    if (!f.startsWith(prefix) || !f.endsWith('.tmp')) continue;
    const pid = Number(f.slice(prefix.length).split('.')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(dirname(target), f), { force: true });
  }
}

/**
 * Writes `bytes` to `path` atomically: a temporary file `.<name>.<pid>.<random>.tmp` in the same
 * directory, fsync, rename over the target. A process killed mid-write leaves the old file whole
 * and its temporary file behind; the next successful write to the same path removes it.
 */
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
  sweepStale(target);
}

/** Saves a module's state dict (or any tensors by name) to a safetensors file, atomically. */
export function save(source: Module | StateDictLike, path: string, options: SerializeOptions = {}): void {
  const tensors = source instanceof Module ? source.stateDict() : source;
  writeFileAtomic(path, serialize(tensors, options));
}

/** What an fs error means for a file we were asked to read. */
function readError(path: string, err: unknown): Error {
  const code = (err as { code?: unknown } | null)?.code;
  const why = code === 'ENOENT' ? 'no such file'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied: the file cannot be read'
      : code === 'EISDIR' ? 'is a directory, not a safetensors file'
        : code === 'ENOTDIR' ? 'a parent of this path is not a directory'
          : `cannot be read (${(err as Error).message})`;
  return new Error(`safetensors: ${path}: ${why}`);
}

function readFully(fd: number, into: Uint8Array, at: number, path: string): void {
  let done = 0;
  while (done < into.length) {
    const n = readSync(fd, into, done, into.length - done, at + done);
    if (n === 0) throw new Error(`safetensors: ${path}: the file shrank while it was being read (${at + done} bytes): read it again`);
    done += n;
  }
}

/**
 * Reads a safetensors file: its tensors by name and its `__metadata__`. Only regular files are
 * read; the header length is checked against the 100 MB cap and the file's size before the file
 * is read, and every error names the file. Nothing is returned unless the whole file is valid.
 */
export function loadFile(path: string): SafetensorsContent {
  let fd: number;
  try {
    // Non-blocking, so that opening a FIFO by mistake does not wait for a writer (it is then refused).
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw readError(path, err);
  }
  try {
    let size: number;
    let bytes: Uint8Array;
    try {
      const st = fstatSync(fd);
      if (st.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
      if (!st.isFile()) throw new Error(`safetensors: ${path}: not a regular file`);
      size = st.size;
      const first = new Uint8Array(Math.min(8, size));
      readFully(fd, first, 0, path);
      headerLength(first, size, path); // a lying length fails here, before the file is read
      bytes = new Uint8Array(size);
      readFully(fd, bytes, 0, path);
    } catch (err) {
      throw (err as Error).message.startsWith('safetensors: ') ? err : readError(path, err);
    }
    return deserialize(bytes, path);
  } finally {
    closeSync(fd);
  }
}

/** Reads the tensors of a safetensors file by name, ready for `module.loadStateDict`. */
export function load(path: string): StateDict {
  return loadFile(path).tensors;
}
