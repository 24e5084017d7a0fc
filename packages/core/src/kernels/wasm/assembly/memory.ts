/**
 * Bulk memory for the storage allocator (heap.ts): blocks handed out again are zeroed or filled
 * here, and resident arrays copied, with wasm's bulk-memory instructions and f32x4 stores. (On a
 * shared memory V8's TypedArray fill and slice take slow element-wise paths: 16× and 60× slower.)
 */

/** n bytes at dst set to 0. */
export function zeroBytes(dst: usize, n: usize): void {
  memory.fill(dst, 0, n);
}

/** n bytes copied from src to dst (the ranges may overlap). */
export function copyBytes(dst: usize, src: usize, n: usize): void {
  memory.copy(dst, src, n);
}

/** n f32 values at dst (16-byte aligned) set to v. */
export function fillF32(dst: usize, v: f32, n: i32): void {
  const s = f32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), s);
  for (; i < n; i++) store<f32>(dst + (<usize>i << 2), v);
}

/** n i32 values at dst (16-byte aligned) set to v. */
export function fillI32(dst: usize, v: i32, n: i32): void {
  const s = i32x4.splat(v);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), s);
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), v);
}
