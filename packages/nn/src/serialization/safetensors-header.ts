/**
 * Reading a safetensors header without trusting it. What the reference implementation
 * (huggingface/safetensors, `SafeTensors::read_metadata` and `Metadata::validate`) rejects is
 * rejected here too, each with a message naming the source and the tensor:
 *
 * - fewer than 8 bytes (HeaderTooSmall); a header length above 100,000,000 bytes (HeaderTooLarge,
 *   checked on the u64 before anything is allocated); one that runs past the end (InvalidHeaderLength);
 * - a header that is not UTF-8 (InvalidHeader) or not a JSON object (InvalidHeaderDeserialization);
 * - an entry without a known dtype, a shape of non-negative integers or a [begin, end] pair;
 * - a shape whose element count overflows (ValidationOverflow) or whose bytes differ from end − begin
 *   (TensorInvalidInfo); offsets that do not tile the data from 0 without gaps or overlaps
 *   (InvalidOffset), or stop before its end (MetadataIncompleteBuffer);
 * - `__metadata__` values that are not strings.
 *
 * Beyond the reference: names that reach a JavaScript prototype (`__proto__`, `constructor`,
 * `prototype`) are refused as tensor names and metadata keys, so a file can never alter an
 * object's prototype in code that copies its names into plain objects.
 */
import { formatShape } from '@tessera/core';

export type SafetensorsDType = 'F32' | 'F64' | 'I32' | 'I64';
export const BYTES: Readonly<Record<SafetensorsDType, number>> = { F32: 4, F64: 8, I32: 4, I64: 8 };
/** The reference implementation's limit on the header length. */
export const MAX_HEADER = 100_000_000;
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

export interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

export interface Header {
  /** The header length N: the data starts at byte 8 + N. */
  length: number;
  entries: Entry[];
  metadata: Record<string, string>;
}

const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function failer(source: string): (msg: string) => never {
  return (msg) => {
    throw new Error(`safetensors: ${source}: ${msg}`);
  };
}

/**
 * The header length N from the first 8 bytes of a file of `fileLength` bytes, checked against the
 * 100 MB cap and the file's length (so a lying length never causes an allocation).
 */
export function headerLength(first: Uint8Array, fileLength: number, source: string): number {
  const fail = failer(source);
  if (first.length < 8 || fileLength < 8) fail(`${Math.min(first.length, fileLength)} bytes, too short for the 8-byte header length: the file is truncated`);
  const n = new DataView(first.buffer, first.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) fail(`header length ${n} exceeds the ${MAX_HEADER}-byte limit: the file is corrupt`);
  if (8n + n > BigInt(fileLength)) fail(`header length ${n} runs past the end of the file (${fileLength} bytes): the file is truncated`);
  return Number(n);
}

function parseEntry(name: string, raw: unknown, source: string): Entry {
  const where = `safetensors: ${source}: tensor "${name}"`;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where}: header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype)) {
    throw new Error(`${where}: dtype ${JSON.stringify(dtype)} is not supported (F32, F64, I32, I64)`);
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) throw new Error(`${where}: shape ${JSON.stringify(shape)} is not a list of sizes`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0]! > offsets[1]!) {
    throw new Error(`${where}: data_offsets ${JSON.stringify(offsets)} is not a [begin, end] pair`);
  }
  const [begin, end] = offsets as [number, number];
  let elements = 1;
  for (const d of shape as number[]) {
    elements *= d;
    if (!Number.isSafeInteger(elements)) throw new Error(`${where}: shape ${formatShape(shape)} has too many elements: the file is corrupt`);
  }
  const bytes = elements * BYTES[dtype as SafetensorsDType];
  if (end - begin !== bytes) {
    throw new Error(`${where}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but ${dtype} ${formatShape(shape)} needs ${bytes}`);
  }
  return { name, dtype: dtype as SafetensorsDType, shape, begin, end };
}

/** Parses and validates the header of `bytes` (a whole file) whose first 8 bytes gave `n`. */
export function parseHeader(bytes: Uint8Array, source: string): Header {
  const fail = failer(source);
  const n = headerLength(bytes, bytes.length, source);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (err) {
    fail(`the header is not valid UTF-8 JSON (${(err as Error).message}): the file is corrupt`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not a JSON object: the file is corrupt');
  const dataLength = bytes.length - 8 - n;
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (FORBIDDEN.has(name)) fail(`"${name}" cannot name a tensor (it would reach a JavaScript prototype): the file is corrupt or malicious`);
    if (name !== '__metadata__') {
      entries.push(parseEntry(name, raw, source));
      continue;
    }
    if (raw === null) continue; // the reference reads a null "__metadata__" as none
    if (typeof raw !== 'object' || Array.isArray(raw)) fail('"__metadata__" is not an object');
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (FORBIDDEN.has(k)) fail(`"__metadata__" key "${k}" is not allowed (it would reach a JavaScript prototype)`);
      if (typeof v !== 'string') fail(`"__metadata__" value for "${k}" is not a string`);
      metadata[k] = v as string;
    }
  }
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of byOffset) {
    if (e.end > dataLength) {
      fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] run past the end of the data (${dataLength} bytes): the file is truncated or corrupt`);
    }
    if (e.begin !== covered) {
      const what = e.begin < covered ? 'overlaps the previous tensor' : 'leaves a hole after the previous tensor';
      fail(`tensor "${e.name}" starts at byte ${e.begin}, but the previous tensors end at ${covered}: it ${what} (tensors must tile the data without gaps or overlaps): the file is corrupt`);
    }
    covered = e.end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} bytes of data, but the file has ${dataLength}: the file is corrupt`);
  return { length: n, entries, metadata };
}
