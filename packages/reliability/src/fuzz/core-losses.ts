/**
 * Fuzz entries: the losses and the class-weight schemes. Out-of-range and non-integer targets,
 * weight vectors of the wrong length, all-ignored batches (NaN for 'mean', as PyTorch), bad
 * reductions and smoothing, every weight scheme with bad counts.
 */
import fc from 'fast-check';
import * as T from '@tessera/core';
import { tensor } from '@tessera/core';
import { badInt, badNumber, notATensor, raises, returns, spec, type FuzzEntry } from './harness.js';
import { tensorEquals } from './oracles.js';

const logits = (): T.Tensor => tensor([[1, 2, 0.5], [0, -1, 3]]);
const target = (...v: number[]): T.Tensor => tensor(v.length ? v : [0, 2], { dtype: 'int32' });
const NAN = Number.NaN;
const badReduction = fc.constantFrom<unknown>('avg', 'Mean', 'elementwise_mean', 3, true);
const badTarget = fc.constantFrom<unknown>(target(0, 3), target(-1, 0), target(0), tensor([0, 1.5]), target(0, 1).reshape([1, 2]), 'x', null);
const badWeight = fc.constantFrom<unknown>(tensor([1, 2]), tensor([1, 2, 3, 4]), tensor([[1, 2, 3]]), tensor([1, 2, 3], { dtype: 'int32' }), 'x', [1, 2, 3]);
const badIgnore = fc.constantFrom<unknown>(1.5, Number.NaN, '1', true);
const allIgnored = (): T.Tensor => target(-100, -100);

/**
 * crossEntropy, nllLoss, focalLoss, diceLoss: the arguments they share. `ignored` is the 'mean' and
 * 'none' results when every target is ignored; `nanRow` the 'none' result for logits [NaN, 1, 2], target 1.
 */
function classLoss(op: string, fn: (x: T.Tensor, t: T.Tensor, o?: object) => T.Tensor, bad: Record<string, fc.Arbitrary<unknown>>,
  ignored: [number, number[]], nanRow: number[]): FuzzEntry {
  return {
    cases: spec(op, fn as (...a: never[]) => unknown, {
      args: () => [logits(), target(), {}], names: ['input', 'target', 'options'],
      bad: { input: fc.constantFrom<unknown>(T.zeros([1, 4]), 'x', null, tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' })), target: badTarget },
      options: { at: 2, bad: { reduction: badReduction, ignoreIndex: badIgnore, ...bad } },
      extra: [
        fc.constant(returns(op, "every target ignored, 'mean'", () => fn(logits(), allIgnored()), tensorEquals([], [ignored[0]]))),
        fc.constant(returns(op, "every target ignored, 'none'", () => fn(logits(), allIgnored(), { reduction: 'none' }), tensorEquals([ignored[1].length], ignored[1]))),
        fc.constant(raises(op, 'target', 'a batch of 2 against targets of 3', () => fn(logits(), target(0, 1, 2)))),
        fc.constant(returns(op, 'NaN logits', () => fn(tensor([[NAN, 1, 2]]), target(1), { reduction: 'none' }), tensorEquals([nanRow.length], nanRow))),
      ],
    }),
  };
}

export const LOSSES: Record<string, FuzzEntry> = {
  crossEntropy: classLoss('crossEntropy', T.crossEntropy, {
    weight: badWeight, labelSmoothing: fc.constantFrom<unknown>(-0.1, 1.5, Number.NaN, '0.1'),
  }, [NAN, [0, 0]], [NAN]),
  nllLoss: classLoss('nllLoss', T.nllLoss, { weight: badWeight }, [NAN, [0, 0]], [-1]),
  focalLoss: classLoss('focalLoss', T.focalLoss, {
    alpha: fc.constantFrom<unknown>(tensor([1, 2]), 'x', Number.NaN, tensor([[1, 1, 1]])), gamma: fc.constantFrom<unknown>(-1, Number.NaN, Number.POSITIVE_INFINITY, '2'),
  }, [NAN, [0, 0]], [NAN]),
  diceLoss: classLoss('diceLoss', T.diceLoss, {
    classes: fc.constantFrom<unknown>([3], [-1], [0.5], 'x'), smooth: fc.constantFrom<unknown>(-1, Number.NaN, '1'),
  }, [0, [0, 0, 0]], [NAN, NAN, NAN]), // no position left: each class's Dice is s/s = 1 (see dice-loss.ts)
  binaryCrossEntropyWithLogits: {
    cases: spec('binaryCrossEntropyWithLogits', T.binaryCrossEntropyWithLogits, {
      args: () => [logits(), T.rand([2, 3]), {}], names: ['input', 'target', 'options'],
      bad: { input: notATensor, target: fc.constantFrom<unknown>(T.rand([3]), T.rand([2, 3, 1]), target(0, 1), 'x', null) },
      options: { at: 2, bad: { reduction: badReduction, weight: fc.constantFrom<unknown>(tensor([1, 2]), 'x'), posWeight: fc.constantFrom<unknown>(tensor([1, 2]), tensor([[1], [2], [3]]), 'x') } },
      extra: [fc.constant(returns('binaryCrossEntropyWithLogits', '±Inf and NaN logits', () => T.binaryCrossEntropyWithLogits(
        tensor([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, NAN]), tensor([1, 0, 1]), { reduction: 'none' }), tensorEquals([3], [NAN, NAN, NAN])))],
    }),
  },
  classWeights: {
    cases: spec('classWeights', T.classWeights as (...a: never[]) => unknown, {
      args: () => [[90, 10], { scheme: 'balanced' }], names: ['counts', 'options'],
      bad: { counts: fc.constantFrom<unknown>([1, -2], [1, Number.NaN], [0, 0], [], 'x', null, [1, Number.POSITIVE_INFINITY]) },
      options: {
        at: 1, base: () => ({ scheme: 'balanced' }),
        bad: {
          scheme: fc.constantFrom<unknown>('bogus', 'Balanced', 3, null), numClasses: badInt(1), ignoreIndex: badIgnore,
          frequency: fc.constantFrom<unknown>('voxels', 3), beta: fc.constantFrom<unknown>(-0.1, 1, 1.5, Number.NaN), c: fc.constantFrom<unknown>(0, -1, Number.NaN), dtype: fc.constantFrom<unknown>('int32', 'float16', 3),
        },
      },
      extra: [
        fc.constantFrom('inverse', 'balanced', 'median', 'enet', 'effective').map((scheme) =>
          raises('classWeights', 'counts', `${scheme} with all counts 0`, () => T.classWeights([0, 0, 0], { scheme: scheme as T.ClassWeightScheme }))),
        fc.constant(raises('classWeights', 'numClasses', 'numClasses below the largest index', () => T.classWeights(target(0, 3), { scheme: 'balanced', numClasses: 2 }))),
      ],
    }),
  },
};
