/**
 * Safetensors files that lie: each bad file is refused with an Error naming the file (and the
 * tensor, when one is at fault), and a model given one keeps its weights. The header cases follow
 * what the reference implementation (huggingface/safetensors) rejects; the property corrupts valid
 * files at random and checks that nothing but such an Error ever comes out.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, rand } from '@tessera/core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { deserialize, FCSiamDiff, load, loadFile, save, serialize } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-safetensors-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
/** A file: the u64 length (`length`, default the header's), the header bytes, then `data`. */
function file(header: string | Uint8Array, data: number[] = [], length?: bigint): Uint8Array {
  const h = typeof header === 'string' ? ascii(header) : header;
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, length ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
const f32 = (name: string, begin: number, end: number, shape = [(end - begin) / 4]): string =>
  `"${name}":{"dtype":"F32","shape":${JSON.stringify(shape)},"data_offsets":[${begin},${end}]}`;
const zeros = (n: number): number[] => new Array<number>(n).fill(0);

/** [what, bytes, the message expected after "safetensors: bad.safetensors: "] */
const BAD: [string, Uint8Array, RegExp][] = [
  ['empty file', new Uint8Array(0), /^0 bytes, too short for the 8-byte header length: the file is truncated/],
  ['truncated length', new Uint8Array([8, 0, 0]), /^3 bytes, too short/],
  ['header length 2^64 − 1', file('{}', [], 2n ** 64n - 1n), /^header length 18446744073709551615 exceeds the 100000000-byte limit/],
  ['header length 2^63', file('{}', [], 2n ** 63n), /^header length 9223372036854775808 exceeds/],
  ['header length just over the cap', file('{}', [], 100_000_001n), /^header length 100000001 exceeds/],
  ['header length past the end', file('{}', [], 99_999_999n), /^header length 99999999 runs past the end of the file \(10 bytes\): the file is truncated/],
  ['header cut short', file(`{${f32('w', 0, 4)}}`, [0, 0, 0, 0]).subarray(0, 30), /^header length 54 runs past the end of the file \(30 bytes\)/],
  ['invalid UTF-8', file(new Uint8Array([0x7b, 0xff, 0x7d])), /^the header is not valid UTF-8 JSON/],
  ['not JSON', file('{"w": {"dtype": "F32",'), /^the header is not valid UTF-8 JSON/],
  ['JSON, not an object', file('[1, 2, 3]'), /^the header is not a JSON object/],
  ['JSON null', file('null'), /^the header is not a JSON object/],
  ['"__proto__" tensor', file(`{${f32('__proto__', 0, 4)}}`, zeros(4)), /^"__proto__" cannot name a tensor/],
  ['"constructor" tensor', file(`{${f32('constructor', 0, 4)}}`, zeros(4)), /^"constructor" cannot name a tensor/],
  ['"__proto__" metadata key', file('{"__metadata__":{"__proto__":"x"}}'), /^"__metadata__" key "__proto__" is not allowed/],
  ['metadata not an object', file('{"__metadata__":"pt"}'), /^"__metadata__" is not an object/],
  ['metadata value not a string', file('{"__metadata__":{"epoch":3}}'), /^"__metadata__" value for "epoch" is not a string/],
  ['entry not an object', file('{"w":[0,4]}'), /^tensor "w": header entry is not an object/],
  ['unknown dtype F16', file('{"w":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', zeros(2)), /^tensor "w": dtype "F16" is not supported \(F32, F64, I32, I64\)/],
  ['lower-case dtype', file('{"w":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}', zeros(4)), /^tensor "w": dtype "f32" is not supported/],
  ['dtype missing', file('{"w":{"shape":[1],"data_offsets":[0,4]}}', zeros(4)), /^tensor "w": dtype undefined is not supported/],
  ['negative size', file('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', zeros(4)), /^tensor "w": shape \[-1\] is not a list of sizes/],
  ['fractional size', file('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}', zeros(4)), /^tensor "w": shape \[1.5\] is not a list of sizes/],
  ['shape not a list', file('{"w":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}', zeros(8)), /^tensor "w": shape "2" is not a list of sizes/],
  ['element count overflows', file('{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}', zeros(4)), /^tensor "w": shape \[4294967296, 4294967296\] has too many elements/],
  ['shape × dtype ≠ bytes', file(`{${f32('w', 0, 4, [2])}}`, zeros(4)), /^tensor "w": data_offsets \[0, 4\] hold 4 bytes, but F32 \[2\] needs 8/],
  ['offsets reversed', file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', zeros(4)), /^tensor "w": data_offsets \[4,0\] is not a \[begin, end\] pair/],
  ['offsets of 3', file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}', zeros(8)), /^tensor "w": data_offsets \[0,4,8\] is not a \[begin, end\] pair/],
  ['offset past 2^53', file('{"w":{"dtype":"F32","shape":[1],"data_offsets":[9007199254740992,9007199254740996]}}', zeros(4)), /^tensor "w": data_offsets .* is not a \[begin, end\] pair/],
  ['offsets out of range', file(`{${f32('w', 0, 8)}}`, zeros(4)), /^tensor "w": data_offsets \[0, 8\] run past the end of the data \(4 bytes\)/],
  ['overlapping tensors', file(`{${f32('a', 0, 8)},${f32('b', 4, 12)}}`, zeros(12)), /^tensor "b" starts at byte 4, but the previous tensors end at 8: it overlaps the previous tensor/],
  ['a hole between tensors', file(`{${f32('a', 0, 4)},${f32('b', 8, 12)}}`, zeros(12)), /^tensor "b" starts at byte 8, but the previous tensors end at 4: it leaves a hole/],
  ['a hole at the start', file(`{${f32('a', 4, 8)}}`, zeros(8)), /^tensor "a" starts at byte 4, but the previous tensors end at 0/],
  ['trailing bytes', file(`{${f32('a', 0, 4)}}`, zeros(5)), /^the tensors cover 4 bytes of data, but the file has 5/],
  ['I64 beyond int32', file('{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', [0, 0, 0, 0, 1, 0, 0, 0]), /^tensor "n": I64 value at index 0 does not fit in int32/],
];

const model = (): FCSiamDiff => new FCSiamDiff({ depth: 1, baseWidth: 2, generator: new Generator(1) });
const weights = (m: FCSiamDiff): number[][] => [...m.stateDict().values()].map((t) => Array.from(t.data));

describe('safetensors: bad files are refused with an Error naming the file and the tensor', () => {
  it.each(BAD)('%s', (_what, bytes, message) => {
    const path = join(dir, 'bad.safetensors');
    writeFileSync(path, bytes);
    let err: unknown;
    try {
      loadFile(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    const prefix = `safetensors: ${path}: `;
    expect((err as Error).message.startsWith(prefix), (err as Error).message).toBe(true);
    expect((err as Error).message.slice(prefix.length)).toMatch(message);
  });

  it('a model asked to load a bad file keeps every weight (no partial model)', () => {
    const m = model();
    const before = weights(m);
    const good = serialize(m.stateDict());
    const path = join(dir, 'cut.safetensors');
    writeFileSync(path, good.subarray(0, good.length - 3)); // the last tensor's data cut short
    expect(() => m.loadStateDict(load(path))).toThrow(/run past the end of the data/);
    expect(weights(m)).toEqual(before);
  });

  it('a directory, a missing file, a FIFO and an unreadable file: a clear Error naming the path', () => {
    expect(() => loadFile(dir)).toThrow(`safetensors: ${dir}: is a directory, not a safetensors file`);
    const missing = join(dir, 'nope.safetensors');
    expect(() => loadFile(missing)).toThrow(`safetensors: ${missing}: no such file`);
    const under = join(dir, 'bad.safetensors', 'x.safetensors');
    expect(() => loadFile(under)).toThrow(`safetensors: ${under}: a parent of this path is not a directory`);
    const fifo = join(dir, 'pipe.safetensors');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    expect(() => loadFile(fifo)).toThrow(`safetensors: ${fifo}: not a regular file`); // and does not wait for a writer
    // Permission bits do not stop root (CAP_DAC_OVERRIDE): as root the unreadable case runs in a child
    // under setpriv with every capability dropped — still uid 0, so it can read the checkout wherever it
    // is cloned, but a file of mode 0000 refuses it.
    const locked = join(dir, 'locked', 'model.safetensors');
    mkdirSync(join(dir, 'locked'));
    save(model(), locked);
    chmodSync(locked, 0o000);
    const [command, ...prefix] = process.getuid?.() === 0
      ? ['setpriv', '--inh-caps=-all', '--bounding-set=-all', '--', process.execPath] : [process.execPath];
    const script = `import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)})
      .then((m) => { try { m.loadFile(${JSON.stringify(locked)}); console.log('read'); } catch (e) { console.log(e.message); } })`;
    const r = spawnSync(command!, [...prefix, '--import', 'tsx', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`safetensors: ${locked}: permission denied: the file cannot be read`);
  });
});

describe('safetensors: random corruption of valid files', () => {
  it('gives a result or an Error naming the source, never another error; data-only damage still loads', () => {
    const m = model();
    m.forward(rand([1, 3, 4, 4], { generator: new Generator(2) }), rand([1, 3, 4, 4], { generator: new Generator(3) }));
    const good = serialize(m.stateDict(), { metadata: { epoch: '1' } });
    const headerEnd = 8 + Number(new DataView(good.buffer).getBigUint64(0, true));
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(good.length - 1), value: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(good.length - 1), value: fc.constant(0) }),
      fc.record({ kind: fc.constant('append' as const), at: fc.constant(0), value: fc.integer({ min: 1, max: 64 }) }),
    );
    let refused = 0;
    let loaded = 0;
    fc.assert(fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
      let bytes = good.slice();
      for (const e of edits) {
        if (e.kind === 'flip') bytes[Math.min(e.at, bytes.length - 1)] = e.value;
        else if (e.kind === 'cut') bytes = bytes.subarray(0, e.at);
        else bytes = new Uint8Array([...bytes, ...zeros(e.value)]);
      }
      const dataOnly = edits.every((e) => e.kind === 'flip' && e.at >= headerEnd);
      try {
        const { tensors } = deserialize(bytes, 'fuzzed.safetensors');
        loaded++;
        if (!dataOnly) return;
        expect([...tensors.keys()].sort()).toEqual([...m.stateDict().keys()].sort());
      } catch (err) {
        refused++;
        expect(err).toBeInstanceOf(Error);
        expect((err as Error).message).toMatch(/^safetensors: fuzzed\.safetensors: /);
        // Only an I64 that does not fit may fail on the data itself.
        if (dataOnly) expect((err as Error).message).toMatch(/I64 value at index \d+ does not fit in int32/);
      }
    }), { numRuns: 400, seed: 14 });
    console.log(`safetensors corruption property: 400 corrupted files, ${refused} refused with a safetensors Error, ${loaded} loaded (the damage left a valid file)`);
    expect(refused).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(20);
  });
});
