import { Generator, tensor, zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { deserialize, isInt64, markInt64, serialize } from '../src/index.js';

const ascii = (s: string): number[] => Array.from(new TextEncoder().encode(s));

/** A small state dict: an int64 scalar (as BatchNorm's num_batches_tracked) and a float32 vector. */
const small = () => new Map([
  ['w', tensor([1, -2])],
  ['n', markInt64(tensor(3, { dtype: 'int32' }))],
]);

describe('safetensors serialize', () => {
  it('writes the exact byte layout: u64 header length, space-padded JSON, little-endian data', () => {
    // Names sorted ('n' < 'w'), data back to back: n is I64 (8 bytes at [0, 8)), w is F32 ×2 ([8, 16)).
    const header = '{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}';
    expect(header.length).toBe(107); // padded with 5 spaces to 112, a multiple of 8
    const expected = [
      112, 0, 0, 0, 0, 0, 0, 0, // header length 112, u64 little-endian
      ...ascii(header), 0x20, 0x20, 0x20, 0x20, 0x20,
      3, 0, 0, 0, 0, 0, 0, 0, // n = 3 as int64 little-endian
      0x00, 0x00, 0x80, 0x3f, // 1.0f = 0x3f800000
      0x00, 0x00, 0x00, 0xc0, // -2.0f = 0xc0000000
    ];
    expect(expected).toHaveLength(136);
    expect(Array.from(serialize(small()))).toEqual(expected);
  });

  it('puts "__metadata__" first and writes F64, I32 and negative I64 values', () => {
    const bytes = serialize(new Map([['w', tensor([0.5], { dtype: 'float64' })]]), { metadata: { format: 'pt' } });
    const header = '{"__metadata__":{"format":"pt"},"w":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}';
    expect(Array.from(bytes.subarray(8, 8 + header.length))).toEqual(ascii(header));
    expect(Array.from(bytes.subarray(bytes.length - 8))).toEqual([0, 0, 0, 0, 0, 0, 0xe0, 0x3f]); // 0.5 = 0x3fe0000000000000
    const neg = serialize(new Map([['k', tensor([-2], { dtype: 'int32' })]]), { int64: ['k'] });
    expect(Array.from(neg.subarray(neg.length - 8))).toEqual([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const i32 = serialize(new Map([['k', tensor([-2], { dtype: 'int32' })]]));
    expect(Array.from(i32.subarray(i32.length - 4))).toEqual([0xfe, 0xff, 0xff, 0xff]);
  });

  it('rejects non-string metadata and the reserved name', () => {
    expect(() => serialize(new Map([['__metadata__', zeros([1])]]))).toThrow(/reserved/);
    expect(() => serialize(small(), { metadata: { epoch: 3 as unknown as string } })).toThrow(/metadata "epoch" must be a string/);
  });
});

describe('safetensors deserialize', () => {
  it('round-trips values, shapes, dtypes, int64 tags and metadata', () => {
    const g = new Generator(3);
    const source = new Map([
      ['conv.weight', tensor(Array.from({ length: 24 }, () => g.normal()), { shape: [2, 3, 2, 2] })],
      ['f64', tensor([Math.PI, -1e-300, 1e300], { dtype: 'float64' })],
      ['ids', tensor([[-5, 7], [2147483647, -2147483648]], { dtype: 'int32' })],
      ['bn.num_batches_tracked', markInt64(tensor(123456, { dtype: 'int32' }))],
      ['empty', zeros([0, 3])],
    ]);
    const { tensors, metadata } = deserialize(serialize(source, { metadata: { epoch: '7' } }));
    expect(metadata).toEqual({ epoch: '7' });
    expect([...tensors.keys()]).toEqual([...source.keys()].sort());
    for (const [k, t] of source) {
      const r = tensors.get(k)!;
      expect(r.shape).toEqual(t.shape);
      expect(r.dtype).toBe(t.dtype);
      expect(Array.from(r.data)).toEqual(Array.from(t.data));
      expect(isInt64(r)).toBe(k === 'bn.num_batches_tracked');
    }
  });

  it('reads a file laid out by another writer (dtype-sorted data, keys in any order, empty metadata)', () => {
    // As the reference implementation lays it out: 8-byte types first. Built by hand here.
    const header = '{"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},"__metadata__":{},"a":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}';
    const pad = (8 - (header.length % 8)) % 8;
    const n = header.length + pad;
    const bytes = new Uint8Array([n, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...Array(pad).fill(0x20), 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0, 0, 0x20, 0x40]);
    const { tensors } = deserialize(bytes);
    expect(tensors.get('a')!.data[0]).toBe(1);
    expect(tensors.get('b')!.data[0]).toBe(2.5);
  });

  const good = () => serialize(small());
  const withHeader = (header: string, data: number[]): Uint8Array => {
    const n = header.length;
    return new Uint8Array([n, 0, 0, 0, 0, 0, 0, 0, ...ascii(header), ...data]);
  };

  it('rejects truncated files, naming the tensor whose data is cut', () => {
    const bytes = good();
    expect(() => deserialize(bytes.subarray(0, bytes.length - 1), 'm.safetensors')).toThrow(/tensor "w": data_offsets \[8, 16\] run past the end of the data \(15 bytes\): the file is truncated or corrupt/);
    expect(() => deserialize(bytes.subarray(0, 5), 'm.safetensors')).toThrow(/m\.safetensors: 5 bytes, too short/);
    expect(() => deserialize(bytes.subarray(0, 60))).toThrow(/header length 112 runs past the end of the file \(60 bytes\)/);
  });

  it('rejects corrupt headers', () => {
    const bytes = good();
    const flipped = bytes.slice();
    flipped[8] = 0x5b; // '{' → '[': not an object (and not valid JSON)
    expect(() => deserialize(flipped)).toThrow(/not valid UTF-8 JSON|not a JSON object/);
    const huge = bytes.slice();
    huge[6] = 1; // header length ≥ 2^48
    expect(() => deserialize(huge)).toThrow(/exceeds the 100000000-byte limit/);
    expect(() => deserialize(withHeader('{"x":{"dtype":"F16","shape":[1],"data_offsets":[0,2]}}', [0, 0]))).toThrow(/tensor "x": dtype "F16" is not supported/);
    expect(() => deserialize(withHeader('{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}', [0, 0, 0, 0]))).toThrow(/tensor "x": data_offsets \[0, 4\] hold 4 bytes, but F32 \[2\] needs 8/);
    expect(() => deserialize(withHeader('{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', [0, 0, 0, 0]))).toThrow(/tensor "x": shape \[-1\]/);
    expect(() => deserialize(withHeader('{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}', [0, 0, 0, 0]))).toThrow(/tensor "x": data_offsets \[4,0\] is not a \[begin, end\] pair/);
    expect(() => deserialize(withHeader('{"__metadata__":{"a":1}}', []))).toThrow(/"__metadata__" value for "a" is not a string/);
  });

  it('rejects gaps, overlaps and trailing bytes in the data', () => {
    const overlap = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}';
    expect(() => deserialize(withHeader(overlap, [0, 0, 0, 0, 0, 0]))).toThrow(/tensor "y" starts at byte 2, but the previous tensors end at 4/);
    const gap = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    expect(() => deserialize(withHeader(gap, [0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/tensor "x" starts at byte 4, but the previous tensors end at 0/);
    const trailing = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}';
    expect(() => deserialize(withHeader(trailing, [0, 0, 0, 0, 9]))).toThrow(/cover 4 bytes of data, but the file has 5/);
  });

  it('rejects I64 values that do not fit in int32, naming the tensor', () => {
    const h = '{"big":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}';
    expect(() => deserialize(withHeader(h, [0, 0, 0, 0, 1, 0, 0, 0]))).toThrow(/tensor "big": I64 value at index 0 does not fit in int32/);
    expect(deserialize(withHeader(h, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).tensors.get('big')!.data[0]).toBe(-1);
  });
});
