import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, rand, zeros } from '@tessera/core';
import { afterAll, describe, expect, it } from 'vitest';
import { FCSiamDiff, Linear, isInt64, load, loadFile, save } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'tessera-nn-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const small = (seed: number) => new FCSiamDiff({ depth: 1, baseWidth: 2, generator: new Generator(seed) });

describe('save / load', () => {
  it('round-trips a BatchNorm model: same state, same outputs, num_batches_tracked as I64', () => {
    const a = small(1);
    const x1 = rand([1, 3, 4, 4], { generator: new Generator(9) });
    const x2 = rand([1, 3, 4, 4], { generator: new Generator(10) });
    a.forward(x1, x2); // training mode: running statistics move, num_batches_tracked = 2 (two images)
    a.eval();
    const path = join(dir, 'model.safetensors');
    save(a, path, { metadata: { epoch: '1' } });
    const { tensors, metadata } = loadFile(path);
    expect(metadata).toEqual({ epoch: '1' });
    const nbt = tensors.get('encoder.0.1.num_batches_tracked')!;
    expect(isInt64(nbt)).toBe(true);
    expect(nbt.item()).toBe(2);
    // The header says I64 for it, F32 for the rest.
    const bytes = readFileSync(path);
    const header = JSON.parse(bytes.subarray(8, 8 + bytes.readUInt32LE(0)).toString('utf8'));
    expect(header['encoder.0.1.num_batches_tracked'].dtype).toBe('I64');
    expect(header['head.weight']).toMatchObject({ dtype: 'F32', shape: [2, 2, 1, 1] });

    const b = small(2).eval();
    expect(Array.from(b.head.weight.data)).not.toEqual(Array.from(a.head.weight.data));
    b.loadStateDict(load(path));
    for (const [k, t] of a.stateDict()) expect(Array.from(b.stateDict().get(k)!.data), k).toEqual(Array.from(t.data));
    expect(Array.from(b.forward(x1, x2).data)).toEqual(Array.from(a.forward(x1, x2).data));
  });

  it('loading into another architecture names the missing, unexpected and mismatched keys', () => {
    const path = join(dir, 'linear.safetensors');
    save(new Linear(3, 2), path);
    expect(() => new Linear(3, 2, { bias: false }).loadStateDict(load(path))).toThrow(/Unexpected key\(s\) in state_dict: "bias"/);
    expect(() => new Linear(4, 2).loadStateDict(load(path))).toThrow(/size mismatch for "weight"/);
    save(new Map([['weight', zeros([2, 3])]]), path);
    expect(() => new Linear(3, 2).loadStateDict(load(path))).toThrow(/Missing key\(s\) in state_dict: "bias"/);
  });

  it('writes atomically: replaces the file, leaves no temporary file, and keeps the old file when writing fails', () => {
    const path = join(dir, 'atomic.safetensors');
    writeFileSync(path, 'old contents');
    save(new Linear(2, 2), path);
    expect(load(path).size).toBe(2);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // A state dict that cannot be serialised: nothing is written, the previous file stays whole.
    const before = readFileSync(path);
    expect(() => save(new Map([['__metadata__', zeros([1])]]), path)).toThrow(/reserved/);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(() => save(new Linear(2, 2), join(dir, 'no-such-dir', 'x.safetensors'))).toThrow(/ENOENT/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('sweeps the temporary files of writers that died mid-write, and only those', () => {
    const path = join(dir, 'swept.safetensors');
    const dead = join(dir, '.swept.safetensors.999999999.0a1b2c.tmp'); // above Linux's largest pid: never alive
    const mine = join(dir, `.swept.safetensors.${process.pid}.0a1b2c.tmp`);
    const other = join(dir, '.other.safetensors.999999999.0a1b2c.tmp');
    for (const f of [dead, mine, other]) writeFileSync(f, 'half a file');
    save(new Linear(2, 2), path);
    expect(readdirSync(dir).filter((f) => f.startsWith('.swept') || f.startsWith('.other')).sort())
      .toEqual(['.other.safetensors.999999999.0a1b2c.tmp', `.swept.safetensors.${process.pid}.0a1b2c.tmp`]);
    rmSync(mine);
    rmSync(other);
  });

  it('names the file when it is truncated', () => {
    const path = join(dir, 'truncated.safetensors');
    save(new Linear(2, 2), path);
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, bytes.length - 3));
    expect(() => load(path)).toThrow(new RegExp(`${path.replace(/[.]/g, '\\.')}: tensor "weight": data_offsets .* run past the end`));
  });
});
