/**
 * A small fixed problem for optimiser tests: loss(w) = Σ c·w² + Σ d·w in float64, so the gradient
 * is 2·c·w + d. Both the optimiser under test (through autograd) and the test's independent
 * reference implementations use it.
 */
import { tensor, type Tensor } from '@tessera/core';

export const C = [0.5, 2.0, -1.0, 3.0];
export const D = [0.1, -0.3, 0.2, 0.05];
export const W0 = [1.0, -2.0, 0.5, 0.25];

export function quadraticLoss(w: Tensor): Tensor {
  const c = tensor(C, { dtype: 'float64' });
  const d = tensor(D, { dtype: 'float64' });
  return c.mul(w).mul(w).sum().add(d.mul(w).sum());
}

/** The gradient of quadraticLoss, written out: 2·c·w + d. */
export function quadraticGrad(w: readonly number[]): number[] {
  return w.map((wi, i) => 2 * C[i]! * wi + D[i]!);
}

/** Runs `steps` steps of an optimiser made by `make` on a fresh w = W0; returns w. */
export function runOptimizer(make: (params: Tensor[]) => { zeroGrad(): void; step(): void }, steps: number): number[] {
  const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
  const opt = make([w]);
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    quadraticLoss(w).backward();
    opt.step();
  }
  return Array.from(w.data);
}

/** |a − b| ≤ 1e-12 + 1e-10·|b| elementwise. */
export function expectClose(actual: readonly number[], expected: readonly number[], atol = 1e-12, rtol = 1e-10): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} vs ${expected.length}`);
  actual.forEach((a, i) => {
    const b = expected[i]!;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      throw new Error(`element ${i}: got ${a}, expected ${b} (|diff| ${Math.abs(a - b)})\nactual   ${actual.join(', ')}\nexpected ${expected.join(', ')}`);
    }
  });
}
