/**
 * Wasm-resident storage: float32 and int32 tensor data allocated from the wasm backend's shared
 * memory, so kernels read and write it where it is instead of copying operands in and results out.
 *
 * Blocks come in size classes (four per power of two, 64 bytes at least, 16-byte aligned) with a
 * free list each; new blocks are cut from the top of the heap, growing the memory. A block goes back
 * to its free list when the typed array handed out for it is garbage-collected (a
 * FinalizationRegistry whose target is the array itself: hold the array, or its tensor, as long as
 * you use a subarray of it). V8 runs those callbacks only when the event loop turns, which a
 * synchronous training loop never lets it do, so when the heap reaches its budget the allocator
 * reclaims synchronously: the registry's cleanupSome() after a forced major GC (module.ts's
 * reclaimHooks). The budget then adapts to twice the bytes still in use (within [minBytes,
 * maxBytes]); when a block still cannot be had, the caller gets null and uses ordinary JS memory.
 * Temporary blocks (staging, scratch) are taken and given back explicitly, and so may an array whose
 * owner knows it is dead before V8 does (`recycle`: the backward walk's gradients, engine/walk.ts).
 *
 * Blocks handed out again are zeroed (or filled) with wasm's memory.fill: V8's TypedArray fill on a
 * shared buffer is 16× slower than on an ordinary one. Blocks cut from the top are fresh memory,
 * already zero.
 */
import type { WasmRuntime } from './runtime.js';
import { reclaimHooks } from './module.js';

export interface HeapOptions {
  /**
   * Budget below which the heap grows without a forced GC (default 256 MiB, at most 1/8 of the
   * machine's memory). Small on purpose: memory the heap has never used costs a page fault per 4 KiB
   * on first touch, which on the benchmark machine (a Firecracker VM) made a segstep step 2× slower
   * (mean of 40 steps: 628–754 ms growing towards 1 GiB, 305–358 ms with 256 MiB and a forced GC
   * every ~2 steps, under load 18); a forced GC costs milliseconds.
   */
  minBytes?: number;
  /** Largest heap (default 3 GiB, at most 1/4 of the machine's memory and what wasm32 can address past the scratch). */
  maxBytes?: number;
}

const MIN_BLOCK = 64;
/** Held value of the registry: address · 128 + class index (class indices stay below 128). */
const CLASSES = 128;

/** Size class of a request: 0 for up to 64 bytes, then four per power of two. */
export function classIndex(bytes: number): number {
  if (bytes <= MIN_BLOCK) return 0;
  const e = 31 - Math.clz32(bytes - 1); // 2^e < bytes ≤ 2^(e+1), e ≥ 6
  return (e - 6) * 4 + Math.ceil(bytes / 2 ** (e - 2)) - 4;
}

/** Block bytes of a size class. */
export function classBytes(index: number): number {
  if (index === 0) return MIN_BLOCK;
  const e = ((index - 1) >> 2) + 6;
  return (((index - 1) & 3) + 5) * 2 ** (e - 2);
}

export class WasmHeap {
  readonly minBytes: number;
  readonly maxBytes: number;
  /** Heap size past which a block that no free list holds forces a reclaim (rate-limited, see take). */
  budget: number;
  /** Bytes in blocks handed out and not yet returned. */
  inUse = 0;
  /** Forced reclaims so far, and the milliseconds they took. */
  reclaims = 0;
  reclaimMs = 0;
  /** Blocks given back early by `recycle`. */
  recycled = 0;
  private top: number;
  private readonly base: number;
  private readonly free: number[][] = Array.from({ length: CLASSES }, () => []);
  private readonly hooks = reclaimHooks();
  private readonly registry: FinalizationRegistry<number>;
  private readonly zero: (dst: number, n: number) => void;
  /** Bytes taken since the last forced reclaim. */
  private taken = 0;
  /** Whether the last block taken came from a free list (else it is fresh memory: zero). */
  private reused = false;

  constructor(private readonly rt: WasmRuntime, base: number, options: HeapOptions = {}) {
    this.base = this.top = base;
    this.maxBytes = Math.min(options.maxBytes ?? Math.min(3 * 2 ** 30, rt.totalMemory / 4), rt.maxBytes - base);
    this.minBytes = Math.min(options.minBytes ?? Math.min(2 ** 28, rt.totalMemory / 8), this.maxBytes);
    this.budget = this.minBytes;
    this.registry = new this.hooks.Registry((held: number) => this.release(held));
    this.zero = rt.fn<(dst: number, n: number) => undefined>('zeroBytes');
  }

  /** Bytes from the heap's base to its top (what the memory holds for it). */
  get size(): number {
    return this.top - this.base;
  }

  /**
   * A resident float32 or int32 array of `length` elements, zeroed unless `zero` is false (then its
   * contents are whatever the block held), or null when the heap has no room for it.
   */
  array(dtype: 'float32' | 'int32', length: number, zero = true): Float32Array | Int32Array | null {
    const index = classIndex(4 * length);
    const addr = this.take(index, false);
    if (addr < 0) return null;
    if (zero && this.reused) this.zero(addr, 4 * length);
    const buffer = this.rt.memory.buffer;
    const a = dtype === 'float32' ? new Float32Array(buffer, addr, length) : new Int32Array(buffer, addr, length);
    this.registry.register(a, addr * CLASSES + index, a);
    return a;
  }

  /**
   * Gives back the block of `a`, an array from `array` that nothing will read or write again, before
   * V8 finds it dead (its finalisation is cancelled). Any other array (JS memory, a subarray, one
   * already freed) is left alone: false.
   */
  recycle(a: Float32Array | Int32Array): boolean {
    if (!this.registry.unregister(a)) return false;
    this.release(a.byteOffset * CLASSES + classIndex(a.byteLength));
    this.recycled++;
    return true;
  }

  /** A temporary block of at least `bytes` (up to the wasm32 limit, else a RangeError); give it back with `give`. */
  borrow(bytes: number): number {
    return this.take(classIndex(Math.max(bytes, 1)), true);
  }

  /** Returns a block from `borrow`. */
  give(addr: number, bytes: number): void {
    this.release(addr * CLASSES + classIndex(Math.max(bytes, 1)));
  }

  /** Collects what V8 has found dead, then forces a major GC and collects again. */
  reclaim(): void {
    this.cleanup();
    if (!this.hooks.gc) return;
    const t0 = performance.now();
    this.hooks.gc();
    this.cleanup();
    this.reclaims++;
    this.reclaimMs += performance.now() - t0;
  }

  private cleanup(): void {
    if (this.hooks.cleanupSome) (this.registry as unknown as { cleanupSome(): void }).cleanupSome();
  }

  /**
   * A block of class `index`: from its free list (after collecting what V8 found dead), else cut
   * from the top. Past the budget, a forced reclaim comes first, at most once per budget/2 bytes
   * taken (a GC costs milliseconds); then the budget becomes twice the bytes in use. Past maxBytes
   * (`must`: the wasm32 limit) there is no block: -1 (or a RangeError).
   */
  private take(index: number, must: boolean): number {
    const list = this.free[index]!;
    const bytes = classBytes(index);
    if (list.length === 0) this.cleanup();
    let addr = list.pop();
    if (addr === undefined && this.size + bytes > this.budget && this.taken >= this.budget / 2) {
      this.reclaim();
      this.taken = 0;
      this.budget = Math.min(this.maxBytes, Math.max(this.minBytes, 2 * this.inUse));
      addr = list.pop();
    }
    this.reused = addr !== undefined;
    if (addr === undefined) {
      if (this.size + bytes > (must ? this.rt.maxBytes - this.base : this.maxBytes)) {
        if (must) throw new RangeError(`wasm kernels: ${bytes} bytes of operands exceed the 4 GiB wasm32 memory`);
        return -1;
      }
      addr = this.top;
      this.top += bytes;
      this.rt.ensure(this.top);
    }
    this.inUse += bytes;
    this.taken += bytes;
    return addr;
  }

  private release(held: number): void {
    const index = held % CLASSES;
    this.inUse -= classBytes(index);
    this.free[index]!.push((held - index) / CLASSES);
  }
}
