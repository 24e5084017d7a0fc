/**
 * The safetensors format (https://github.com/huggingface/safetensors), in memory:
 *
 *   [8 bytes: N, the header length, u64 little-endian]
 *   [N bytes: JSON header {"__metadata__"?: {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}, …},
 *             padded with spaces so that N is a multiple of 8]
 *   [the data: each tensor's elements, row-major, little-endian, at [begin, end) counted from the data's start]
 *
 * Written here: F32, F64, I32, and I64 for int32 tensors tagged `markInt64` (BatchNorm's
 * num_batches_tracked, int64 in PyTorch). Tensors are written in sorted name order, back to back.
 * Read here: the same four dtypes (I64 values must fit in int32; they come back as tagged int32).
 * Every header number is checked before use (safetensors-header.ts); a truncated or corrupt buffer
 * throws naming the source and the tensor.
 */
import { checkOptions, describeValue, Tensor, type TypedArray } from '@tessera/core';
import { isInt64, markInt64 } from '../parameter.js';
import { BYTES, parseHeader, type Entry, type SafetensorsDType } from './safetensors-header.js';
import { toStateDictMap, type StateDict, type StateDictLike } from '../state-dict.js';

export type { SafetensorsDType };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface SerializeOptions {
  /** String pairs stored under "__metadata__". */
  metadata?: Readonly<Record<string, string>>;
  /** Names of int32 tensors to store as I64, besides those tagged with `markInt64`. */
  int64?: Iterable<string>;
}

export interface SafetensorsContent {
  tensors: StateDict;
  metadata: Record<string, string>;
}

function fileDType(name: string, t: Tensor, int64: ReadonlySet<string>): SafetensorsDType {
  if (t.dtype === 'float32') return 'F32';
  if (t.dtype === 'float64') return 'F64';
  return isInt64(t) || int64.has(name) ? 'I64' : 'I32';
}

/**
 * `tensors` must be a Map or a plain object of tensors by name, `options` a SerializeOptions: else an
 * Error naming `op` and the argument (a number or null would otherwise give an empty file or a TypeError).
 */
export function checkSerializeArgs(op: string, tensors: unknown, options: unknown, arg = 'tensors'): void {
  if (!(tensors instanceof Map) && (tensors === null || typeof tensors !== 'object' || Array.isArray(tensors) || tensors instanceof Tensor)) {
    throw new Error(`${op}: ${arg} must be ${arg === 'tensors' ? '' : 'a Module, '}a Map or an object of tensors by name, got ${describeValue(tensors)}`);
  }
  checkOptions(op, options, ['metadata', 'int64']);
  const { metadata, int64 } = (options ?? {}) as Record<string, unknown>;
  if (metadata !== undefined && (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata))) {
    throw new Error(`${op}: metadata must be an object of strings, got ${describeValue(metadata)}`);
  }
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (typeof v !== 'string') throw new Error(`${op}: metadata "${k}" must be a string, got ${describeValue(v)}`);
  }
  if (int64 !== undefined && (typeof int64 === 'string' || typeof (int64 as { [Symbol.iterator]?: unknown } | null)?.[Symbol.iterator] !== 'function')) {
    throw new Error(`${op}: int64 must be a list of tensor names, got ${describeValue(int64)}`);
  }
}

/** The bytes of a safetensors file holding `tensors`. */
export function serialize(tensors: StateDictLike, options: SerializeOptions = {}): Uint8Array {
  checkSerializeArgs('serialize', tensors, options);
  const map = toStateDictMap(tensors);
  const int64 = new Set(options.int64 ?? []);
  const names = [...map.keys()].sort();
  const parts: string[] = [];
  if (options.metadata) {
    parts.push(`"__metadata__":${JSON.stringify(options.metadata)}`);
  }
  const layout: [Tensor, SafetensorsDType, number][] = [];
  let offset = 0;
  for (const name of names) {
    const t = map.get(name);
    if (name === '__metadata__') throw new Error('safetensors: "__metadata__" is reserved and cannot name a tensor');
    if (!(t instanceof Tensor)) throw new Error(`safetensors: "${name}" is not a Tensor`);
    const dtype = fileDType(name, t, int64);
    const end = offset + t.size * BYTES[dtype];
    parts.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype, shape: t.shape, data_offsets: [offset, end] })}`);
    layout.push([t, dtype, offset]);
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + n + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, Math.floor(n / 2 ** 32), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + n);
  const base = 8 + n;
  for (const [t, dtype, begin] of layout) writeData(t.data, dtype, out, view, base + begin);
  return out;
}

function writeData(data: TypedArray, dtype: SafetensorsDType, out: Uint8Array, view: DataView, at: number): void {
  if (dtype === 'I64') {
    for (let i = 0; i < data.length; i++) {
      view.setInt32(at + 8 * i, data[i]!, true);
      view.setInt32(at + 8 * i + 4, data[i]! < 0 ? -1 : 0, true);
    }
  } else if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
  } else {
    const size = BYTES[dtype];
    for (let i = 0; i < data.length; i++) {
      if (dtype === 'F32') view.setFloat32(at + size * i, data[i]!, true);
      else if (dtype === 'F64') view.setFloat64(at + size * i, data[i]!, true);
      else view.setInt32(at + size * i, data[i]!, true);
    }
  }
}

function readData(bytes: Uint8Array, at: number, e: Entry, source: string): TypedArray {
  const n = (e.end - e.begin) / BYTES[e.dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, e.end - e.begin);
  // A fresh, aligned copy (Node's Buffer.slice would share memory, so copy explicitly).
  const copy = (): ArrayBuffer => {
    const own = new Uint8Array(e.end - e.begin);
    own.set(bytes.subarray(at, at + e.end - e.begin));
    return own.buffer;
  };
  switch (e.dtype) {
    case 'F32':
      return LITTLE_ENDIAN ? new Float32Array(copy()) : Float32Array.from({ length: n }, (_, i) => view.getFloat32(4 * i, true));
    case 'F64':
      return LITTLE_ENDIAN ? new Float64Array(copy()) : Float64Array.from({ length: n }, (_, i) => view.getFloat64(8 * i, true));
    case 'I32':
      return LITTLE_ENDIAN ? new Int32Array(copy()) : Int32Array.from({ length: n }, (_, i) => view.getInt32(4 * i, true));
    case 'I64': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const lo = view.getInt32(8 * i, true);
        const hi = view.getInt32(8 * i + 4, true);
        if (hi !== (lo < 0 ? -1 : 0)) {
          throw new Error(`safetensors: ${source}: tensor "${e.name}": I64 value at index ${i} does not fit in int32 (Tessera stores int64 as int32)`);
        }
        out[i] = lo;
      }
      return out;
    }
  }
}

/** Parses the bytes of a safetensors file; `source` (a path) is named in errors. Nothing is returned unless all of it is valid. */
export function deserialize(bytes: Uint8Array, source = 'buffer'): SafetensorsContent {
  const { length, entries, metadata } = parseHeader(bytes, source);
  const tensors: StateDict = new Map();
  const base = 8 + length;
  for (const e of entries) {
    const t = new Tensor(readData(bytes, base + e.begin, e, source), e.shape);
    tensors.set(e.name, e.dtype === 'I64' ? markInt64(t) : t);
  }
  return { tensors, metadata };
}
