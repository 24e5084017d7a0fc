/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt in float64 (JavaScript has no Math.erf), to about
 * 1e-15 relative error, for the erf op (and gelu through it).
 *   |x| < 3:  erf(x) = 2/√π · e^(−x²) · Σₙ 2ⁿ x^(2n+1) / (1·3·…·(2n+1))   (all terms positive: no
 *             cancellation; at most ~60 terms at |x| = 3)
 *   3 ≤ |x| < 6:  erf(x) = 1 − erfc(x), erfc(x) = e^(−x²)/√π · 1/(x + ½/(x + 1/(x + (3/2)/(x + …))))
 *             (Laplace's continued fraction, evaluated by Lentz's method; ≤ 45 steps)
 *   |x| ≥ 6:  ±1 (erfc(6) ≈ 2e-17 is below half an ulp of 1)
 * erf(−x) = −erf(x); erf(±∞) = ±1; erf(NaN) = NaN.
 *
 * @example
 * erf(1) // 0.8427007929497149
 */
import type { TypedArray } from '../dtype.js';

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_PI = 0.5641895835477563;

/** erfc(x) for x ≥ 3 by the continued fraction. */
function erfcLarge(x: number): number {
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    d = 1 / (x + a * d);
    c = x + a / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (Math.exp(-x * x) * INV_SQRT_PI) / f;
}

export function erf(x: number): number {
  if (x !== x || x === 0) return x; // NaN, and ±0 keeps its sign
  const a = Math.abs(x);
  let r: number;
  if (a < 3) {
    const x2 = a * a;
    let term = a;
    let sum = a;
    for (let n = 0; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 3);
      sum += term;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  } else if (a < 6) {
    r = 1 - erfcLarge(a);
  } else {
    r = 1;
  }
  return x < 0 ? -r : r;
}

/** out[i] = erf(x[i]). */
export function erfLoop(x: TypedArray, out: TypedArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = erf(x[i]!);
}
