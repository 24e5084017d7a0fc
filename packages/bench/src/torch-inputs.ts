/**
 * Hands a workload's inputs and initial parameters to the PyTorch twin (torch_runner.py): every
 * tensor of `prepareWorkload(workload)` is written as raw little-endian bytes into a folder, with a
 * manifest.json (written last, by rename) naming each tensor's dtype, shape and file. So PyTorch
 * trains from the same numbers as Tessera and the first losses of both can be compared.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Tensor } from '@tessera/core';
import { prepareWorkload } from './tessera-workloads.js';
import type { WorkloadName } from './workloads.js';

interface TensorEntry {
  name: string;
  dtype: string;
  shape: readonly number[];
  file: string;
}

export interface TorchManifest {
  workload: WorkloadName;
  inputs: TensorEntry[];
  params: TensorEntry[];
}

/** Writes the workload's tensors into `dir` (created) and returns the manifest's path. */
export function writeTorchInputs(workload: WorkloadName, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const prepared = prepareWorkload(workload);
  const write = (kind: string, name: string, t: Tensor): TensorEntry => {
    const file = `${kind}-${name}.bin`;
    // Bytes of exactly this tensor: its data may be a view on a larger (or shared) buffer.
    writeFileSync(path.join(dir, file), new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    return { name, dtype: t.dtype, shape: t.shape, file };
  };
  const manifest: TorchManifest = {
    workload,
    inputs: Object.entries(prepared.inputs).map(([name, t]) => write('input', name, t)),
    params: prepared.params.map(([name, t]) => write('param', name, t)),
  };
  const target = path.join(dir, 'manifest.json');
  writeFileSync(`${target}.tmp`, JSON.stringify(manifest, null, 1));
  renameSync(`${target}.tmp`, target);
  return target;
}
