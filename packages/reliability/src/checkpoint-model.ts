/**
 * The model the atomic-save campaign checkpoints: an FCSiamDiff of about 1 MB whose every state
 * tensor (weights, BatchNorm statistics, num_batches_tracked) is a function of a counter k, so the
 * parent can rebuild exactly what the child saved as checkpoint k.
 */
import { Generator, rand, type Tensor } from '@tessera/core';
import { FCSiamDiff } from '@tessera/nn';

export const checkpointModel = (): FCSiamDiff => new FCSiamDiff({ depth: 2, baseWidth: 24, generator: new Generator(0) });

/**
 * Sets every state tensor of `model` from k (raw writes: no autograd is involved), with a cheap
 * integer hash so that the child's loop spends its time saving.
 */
export function setState(model: FCSiamDiff, k: number): FCSiamDiff {
  let j = 0;
  for (const [name, t] of model.stateDict()) {
    const d = t.data;
    const sign = name.endsWith('running_var') ? 1 : -1; // variances stay positive
    if (t.dtype === 'int32') d.fill(k);
    else {
      for (let i = 0; i < d.length; i++, j++) {
        const h = Math.imul((j + 1) ^ Math.imul(k, 0x9e3779b9), 0x85ebca6b) >>> 0;
        d[i] = (0.5 + h / 2 ** 32) * (i % 2 === 0 ? 1 : sign);
      }
    }
  }
  return model;
}

/** A fixed pair of inputs for comparing outputs. */
export function probe(): [Tensor, Tensor] {
  return [rand([1, 3, 8, 8], { generator: new Generator(91) }), rand([1, 3, 8, 8], { generator: new Generator(92) })];
}
