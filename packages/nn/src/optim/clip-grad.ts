/**
 * Gradient clipping, as `torch.nn.utils.clip_grad_norm_` / `clip_grad_value_`, in place on `.grad`.
 *
 *   total = (Σ_p ‖g_p‖_q^q)^(1/q)     (q = normType; for q = ∞, total = max_p max |g_p|)
 *   g_p ← g_p · min(1, maxNorm / (total + 1e-6))
 *
 * Parameters without a gradient are skipped. The norm is accumulated in float64.
 *
 * @example
 * const norm = clipGradNorm(model.parameters(), 1.0); // torch.nn.utils.clip_grad_norm_(params, 1.0)
 */
import { checkBool, checkNumber, checkOptions, describeValue, markModified, Tensor } from '@tessera/core';

export interface ClipGradNormOptions {
  /** The q of the q-norm, a positive number or Infinity (default 2). */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (default false, as PyTorch). */
  errorIfNonfinite?: boolean;
}

/** The parameters as a list, each a Tensor (named in the error otherwise). */
function paramList(op: string, params: Iterable<Tensor>): Tensor[] {
  if (params === null || typeof (params as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
    throw new Error(`${op}: params must be an iterable of tensors, got ${describeValue(params)}`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`${op}: params[${i}] must be a Tensor, got ${describeValue(p)}`);
  });
  return list;
}

/** Scales the gradients so that their joint norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const list = paramList('clipGradNorm', params);
  checkOptions('clipGradNorm', options, ['normType', 'errorIfNonfinite']);
  checkNumber('clipGradNorm', 'maxNorm', maxNorm, {}, false);
  checkNumber('clipGradNorm', 'normType', options.normType, { infinite: true });
  checkBool('clipGradNorm', 'errorIfNonfinite', options.errorIfNonfinite);
  const q = options.normType ?? 2;
  if (!(q > 0)) throw new Error(`clipGradNorm: normType must be a positive number or Infinity, got ${q}`);
  if (!(maxNorm >= 0)) throw new Error(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  const withGrad = list.flatMap((p) => (p.grad ? [p.grad] : []));
  const grads = withGrad.map((g) => g.data);
  if (grads.length === 0) return 0;
  let total = 0;
  if (q === Infinity) {
    for (const g of grads) for (let i = 0; i < g.length; i++) total = Math.max(total, Math.abs(g[i]!));
  } else {
    // Σ of each tensor's norm to the q (PyTorch takes the norm of the per-tensor norms: the same number).
    let acc = 0;
    for (const g of grads) {
      let s = 0;
      if (q === 2) for (let i = 0; i < g.length; i++) s += g[i]! * g[i]!;
      else for (let i = 0; i < g.length; i++) s += Math.abs(g[i]!) ** q;
      acc += s;
    }
    total = acc ** (1 / q);
  }
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`clipGradNorm: the total norm of order ${q} for gradients is non-finite (${total}), so it cannot be clipped`);
  }
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  if (coef !== 1) {
    for (const g of grads) for (let i = 0; i < g.length; i++) g[i] = g[i]! * coef;
    withGrad.forEach(markModified); // in place, as PyTorch's g.mul_(coef)
  }
  return total;
}

/** Clamps every gradient element into [−clipValue, clipValue], as `clip_grad_value_`. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  const list = paramList('clipGradValue', params);
  checkNumber('clipGradValue', 'clipValue', clipValue, { min: 0 }, false);
  for (const p of list) {
    const g = p.grad?.data;
    if (!g) continue;
    for (let i = 0; i < g.length; i++) g[i] = Math.min(clipValue, Math.max(-clipValue, g[i]!));
    markModified(p.grad!);
  }
}
