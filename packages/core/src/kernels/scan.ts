/**
 * Cumulative sum along one dim of x viewed as [outer, size, inner]: out[o, k, j] = Σ_{i ≤ k} x[o, i, j],
 * accumulated in float64 whatever the dtype (as PyTorch's CPU kernel does for float32), so NaN and
 * ±∞ propagate from where they first appear onward.
 *
 * @example
 * // x = [1, 2, 3] as [1, 3, 1] → out = [1, 3, 6]
 */
import type { TypedArray } from '../dtype.js';
import type { DimView } from './types.js';

export function cumsum(x: TypedArray, out: TypedArray, v: DimView): void {
  const { outer, size, inner } = v;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * size * inner;
    for (let k = 0; k < size; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        acc[j]! += x[row + j]!;
        out[row + j] = acc[j]!;
      }
    }
  }
}
