/**
 * randperm(n, { generator, dtype }): a random permutation of 0, 1, …, n − 1, as `torch.randperm`.
 *
 * Semantics (what is promised; PyTorch's random stream is not reproduced):
 * - Every one of the n! permutations is equally likely: a Fisher–Yates shuffle (Durstenfeld's, from
 *   the last position down) of 0..n−1, where position i swaps with a position j drawn uniformly from
 *   0..i by rejection sampling on the generator's 32-bit integers (no modulo bias, no float rounding).
 * - Seeded: the same generator state gives the same permutation on every machine; it draws n − 1
 *   integers plus the rare rejections (fewer than one in two draws for any bound), so it advances the
 *   generator as rand/randn do. Without `generator`, the default generator (`manualSeed`) is used.
 * - int32 by default (Tessera has no int64); float32/float64 on request, with n ≤ 2^24 for float32
 *   (as PyTorch: larger integers are not exact in it). n = 0 gives an empty tensor.
 *
 * @example
 * randperm(5, { generator: new Generator(0) }) // e.g. tensor([3, 0, 4, 1, 2], dtype=int32)
 * // PyTorch: torch.randperm(5, generator=torch.Generator().manual_seed(0)) (another permutation)
 */
import { checkOptions, describeValue } from './args.js';
import { allocate, type DType } from './dtype.js';
import { defaultGenerator, Generator } from './random.js';
import { Tensor } from './tensor.js';

export interface RandpermOptions {
  generator?: Generator;
  /** int32 (default), float32 or float64. */
  dtype?: DType;
}

/** The largest n: int32 indices (2^31 − 1), float32's exact integers (2^24), float64's (2^53 > int32's). */
const LIMIT: Record<DType, number> = { int32: 2 ** 31 - 1, float32: 2 ** 24, float64: 2 ** 31 - 1 };

/** A uniform integer in [0, bound) for 1 ≤ bound ≤ 2^32, by rejection: draws at or above the last full multiple of bound are redrawn. */
export function uniformBelow(g: Generator, bound: number): number {
  const limit = 4294967296 - (4294967296 % bound); // a multiple of bound, > 2^31
  for (;;) {
    const u = g.nextUint32();
    if (u < limit) return u % bound;
  }
}

export function randperm(n: number, options: RandpermOptions = {}): Tensor {
  checkOptions('randperm', options, ['generator', 'dtype']);
  if (options.generator !== undefined && !(options.generator instanceof Generator)) throw new Error(`randperm: generator must be a Generator, got ${describeValue(options.generator)}`);
  const dtype = options.dtype ?? 'int32';
  if (!Object.hasOwn(LIMIT, dtype)) throw new Error(`randperm: dtype must be int32, float32 or float64, got ${String(dtype)}`);
  if (!Number.isInteger(n) || n < 0 || n > LIMIT[dtype]) {
    throw new Error(`randperm: n must be an integer in [0, ${LIMIT[dtype]}] for dtype ${dtype}, got ${describeValue(n)}`);
  }
  const g = options.generator ?? defaultGenerator;
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = uniformBelow(g, i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const data = allocate(dtype, n);
  data.set(perm);
  return new Tensor(data, [n]);
}
