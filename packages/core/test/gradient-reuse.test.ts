/**
 * The backward walk gives the wasm heap the blocks of its own intermediates back as soon as they are
 * consumed (engine/walk.ts's Reuse, WasmHeap.recycle), and only those: never a gradient that a
 * user's backward closure saw, nothing a leaf or grad() received, nothing under retainGraph or
 * createGraph. A block given back too early would be overwritten by the next allocation of its size
 * class; so each test does more work of the same sizes afterwards and checks that what must survive
 * still holds its values. On the js backend (or TESSERA_WASM_RESIDENT=0) nothing is recycled, which
 * is checked too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, grad, noGrad, record, tensor, type Tensor } from '../src/index.js';
import { createWasmKernels, resolveResident, sharedHeap } from '../src/kernels/wasm/index.js';
import { xorshiftValues } from './helpers.js';

const resident = getBackend() === 'wasm' && resolveResident();
const recycled = (): number => sharedHeap()?.recycled ?? 0;
/** 64×64: far above the size below which tensors take JS memory. */
const SHAPE = [64, 64];

const input = (seed: number): Tensor => tensor(xorshiftValues(64 * 64, seed, 1, false), { shape: SHAPE, requiresGrad: true });

/** Allocation-heavy work of the same sizes (so freed blocks are reused, and overwritten). */
function churn(): void {
  for (let i = 0; i < 4; i++) input(100 + i).mul(5).relu().mul(7).sum().backward();
}

describe('WasmHeap.recycle', () => {
  const k = createWasmKernels({ threads: 1 });
  afterAll(() => k.dispose());

  it('takes back an array it handed out, once, and nothing else; the block is then served again, zeroed', () => {
    const heap = k.runtime.heap;
    const a = heap.array('float32', 1000)!;
    const inUse = heap.inUse;
    expect(heap.recycle(a.subarray(10))).toBe(false);
    expect(heap.recycle(new Float32Array(1000))).toBe(false);
    expect(heap.recycle(a)).toBe(true);
    expect(heap.inUse).toBeLessThan(inUse);
    expect(heap.recycle(a)).toBe(false);
    expect(heap.recycled).toBe(1);
    a.fill(7);
    const b = heap.array('float32', 1000)!;
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((v) => v === 0)).toBe(true);
  });
});

describe('the backward walk reuses its own intermediates', () => {
  it('gives back the gradients it consumed, and the leaf gradient is right and stays right', () => {
    const x = input(1);
    const before = recycled();
    // y = Σ relu(2x)·x, so dy/dx = 4x where x > 0, else 0 (no x is exactly 0).
    x.mul(2).relu().mul(x).sum().backward();
    const expected = Array.from(x.data, (v) => (v > 0 ? Math.fround(4 * v) : 0));
    if (resident) expect(recycled() - before).toBeGreaterThanOrEqual(3);
    else expect(recycled()).toBe(0);
    churn();
    expect(Array.from(x.grad!.data)).toEqual(expected);
  });

  it("never gives back a gradient a user's backward closure saw, nor the one it returned", () => {
    const x = input(2);
    let seen: Tensor | null = null;
    let seenValues: number[] = [];
    let returned: Tensor | null = null;
    const spy = (t: Tensor): Tensor => record(noGrad(() => t.mul(1)), 'spy', [t], (g) => {
      seen = g;
      seenValues = Array.from(g.data);
      returned = g.mul(1);
      return [returned];
    }, { saved: [] });
    spy(x.mul(3)).mul(2).sum().backward();
    const returnedValues = Array.from(returned!.data);
    churn();
    expect(Array.from(seen!.data)).toEqual(seenValues);
    expect(Array.from(returned!.data)).toEqual(returnedValues);
    expect(x.grad!.data.every((v) => v === 6)).toBe(true);
  });

  it('keeps what grad() returns for an intermediate tensor, also when the walk goes on past it', () => {
    const x = input(3);
    const a = x.mul(3);
    const [ga] = grad(a.relu().mul(2).sum(), [a, x]);
    const values = Array.from(ga!.data);
    churn();
    expect(Array.from(ga!.data)).toEqual(values);
    expect(values.every((v, i) => v === (a.data[i]! > 0 ? 2 : 0))).toBe(true);
  });

  it('gives nothing back under retainGraph or createGraph', () => {
    const x = input(4);
    const before = recycled();
    const y = x.mul(2).relu().mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward(undefined, { createGraph: true });
    expect(recycled()).toBe(before);
    expect(x.grad!.data.every((v, i) => v === (x.data[i]! > 0 ? Math.fround(2 * Math.fround(4 * x.data[i]!)) : 0))).toBe(true);
  });
});
