import { describe, expect, it } from 'vitest';
import { fromBlob, Linear, serialize, toBlob } from '../src/index.js';

describe('toBlob / fromBlob (downloads and file pickers)', () => {
  it('round-trips a module and a state dict through a Blob, metadata included, bytes equal to serialize', async () => {
    const model = new Linear(3, 2);
    const blob = toBlob(model, { metadata: { source: 'test' } });
    expect(blob.type).toBe('application/octet-stream');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect(bytes).toEqual(serialize(model.stateDict(), { metadata: { source: 'test' } }));
    const { tensors, metadata } = await fromBlob(blob);
    expect(metadata).toEqual({ source: 'test' });
    const copy = new Linear(3, 2);
    copy.loadStateDict(tensors);
    for (const [name, t] of model.stateDict()) expect(copy.stateDict().get(name)!.toArray()).toEqual(t.toArray());
  });

  it('names a picked File in its errors, "blob" for a plain Blob', async () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'notes.txt');
    await expect(fromBlob(file)).rejects.toThrow(/notes\.txt/);
    await expect(fromBlob(new Blob([new Uint8Array([1, 2, 3])]))).rejects.toThrow(/blob/);
  });

  it('rejects what is not a Blob, and toBlob what is not a module or tensors, naming the argument', async () => {
    for (const v of [null, 3, 'x', new Uint8Array(3), {}]) {
      await expect(fromBlob(v as unknown as Blob)).rejects.toThrow(/^fromBlob: blob must be a Blob or a File, got /);
    }
    for (const v of [null, 3, 'x', [1]]) {
      expect(() => toBlob(v as never)).toThrow(/^toBlob: source must be a Module, a Map or an object of tensors by name, got /);
    }
    expect(() => toBlob(new Linear(2, 2), { metadata: 3 } as never)).toThrow('toBlob: metadata must be an object of strings, got 3');
    expect(() => toBlob(new Linear(2, 2), { metadata: { epoch: 3 } } as never)).toThrow('toBlob: metadata "epoch" must be a string, got 3');
    expect(() => toBlob(new Linear(2, 2), { meta: {} } as never)).toThrow("toBlob: unknown option 'meta'");
  });
});
