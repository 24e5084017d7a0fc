/**
 * crossEntropyForward / crossEntropyBackward of the wasm backend, for float32 logits with up to 64
 * classes: index or probability targets, class weights, ignoreIndex, label smoothing, every
 * reduction. Two classes with index targets and no smoothing (the segmenters' case) take a kernel
 * of their own (assembly/cross-entropy.ts, no exp for the backward's other class); the rest the
 * general one (assembly/cross-entropy-multi.ts). When the op asks the forward for the gradient too
 * (upstream 1), both write it in the same pass over x as the loss (fused for speed: x is read once and
 * each exp computed once); under 'mean' a quick pass over the targets first gives W = Σ w_y for the
 * gradient's scale 1/W. Both cut the positions into (image, chunk) items summed in f64 in item order,
 * so results do not depend on the thread count. Float64, more classes and small inputs go to js.
 */
import type { FloatArray } from '../../dtype.js';
import type { CrossEntropyParams, CrossEntropySaved, Kernels } from '../types.js';
import { jsKernels } from '../js.js';
import { allF32, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many positions the js kernels are as fast as the call into wasm. */
const MIN_POSITIONS = 1024;

// Descriptor slots (Int32 / Float32 index), mirroring D_* in assembly/cross-entropy.ts (two classes)
// and assembly/cross-entropy-multi.ts (general).
const D2_X = 0, D2_T = 1, D2_W = 2, D2_S = 3, D2_IGNORE = 4, D2_CHUNKS = 5, D2_OUT = 6, D2_PARTIAL = 7, D2_UP = 8, D2_SCALE = 9, D2_GRAD = 10;
const D_X = 0, D_T = 1, D_W = 2, D_S = 3, D_C = 4, D_IGNORE = 5, D_CHUNKS = 6, D_OUT = 7, D_PARTIAL = 8;
const D_UP = 9, D_GRAD = 10, D_FLAGS = 11, D_SCALE = 12, D_EPS = 13, D_WSUM = 14;
/** D_FLAGS bits: probability targets; the loss. */
const PROBABILITIES = 1, STATS = 2;
/** Rough cost per position and class, for the runtime's decision to use the worker threads. */
const FLOPS_PER_ELEMENT = 30;

type Target = Int32Array | FloatArray;

export function createWasmCrossEntropy(rt: WasmRuntime): Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward' | 'firstInvalidTarget'> {
  const chunk2 = rt.exportI32('crossEntropyChunk');
  const chunk = rt.exportI32('crossEntropyMultiChunk');
  const maxClasses = rt.exportI32('crossEntropyMultiMaxClasses');
  const desc = rt.descI32;
  const descF = rt.descF32;

  const eligible = (x: FloatArray, target: Target, weight: FloatArray | null, p: CrossEntropyParams): boolean =>
    p.c <= maxClasses && allF32(x, weight) && (target instanceof Int32Array || target instanceof Float32Array) && p.n * p.spatial >= MIN_POSITIONS;
  const twoClass = (target: Target, p: CrossEntropyParams): boolean => p.c === 2 && p.labelSmoothing === 0 && target instanceof Int32Array;

  /** Describes a job of the general kernel (no loss, gradient or upstream yet); returns its item count. */
  function describe(at: readonly number[], weight: FloatArray | null, target: Target, p: CrossEntropyParams): number {
    const chunks = Math.ceil(p.spatial / chunk);
    let wsum = p.c;
    if (weight) { wsum = 0; for (let k = 0; k < p.c; k++) wsum += weight[k]!; }
    desc[D_X] = at[0]!; desc[D_T] = at[1]!; desc[D_W] = weight ? at[2]! : 0;
    desc[D_S] = p.spatial; desc[D_C] = p.c; desc[D_IGNORE] = p.ignoreIndex; desc[D_CHUNKS] = chunks;
    desc[D_OUT] = 0; desc[D_UP] = 0; desc[D_GRAD] = 0;
    desc[D_FLAGS] = target instanceof Int32Array ? 0 : PROBABILITIES;
    descF[D_EPS] = p.labelSmoothing; descF[D_WSUM] = wsum;
    return p.n * chunks;
  }

  /** Describes a job of the two-class kernel (no loss, gradient or upstream yet); returns its item count. */
  function describe2(at: readonly number[], weight: FloatArray | null, p: CrossEntropyParams): number {
    const chunks = Math.ceil(p.spatial / chunk2);
    desc[D2_X] = at[0]!; desc[D2_T] = at[1]!; desc[D2_W] = weight ? at[2]! : 0;
    desc[D2_S] = p.spatial; desc[D2_IGNORE] = p.ignoreIndex; desc[D2_CHUNKS] = chunks;
    desc[D2_OUT] = 0; desc[D2_UP] = 0; desc[D2_GRAD] = 0;
    return p.n * chunks;
  }

  /** W = Σ w_y over the non-ignored index targets, from a pass over the targets (the partials at `partial`). */
  function weightSum(at: readonly number[], partial: number, weight: FloatArray | null, target: Target, p: CrossEntropyParams): number {
    const items = describe(at, weight, target, p);
    desc[D_PARTIAL] = partial;
    rt.run('crossEntropyWeightF32Item', items, 4 * p.c * p.n * p.spatial);
    const part = new Float64Array(rt.memory.buffer, partial, 3 * items);
    let W = 0;
    for (let i = 0; i < items; i++) W += part[3 * i + 2]!;
    return W;
  }

  /**
   * The reduction of the per-item partials (Σ nll, Σ smooth, W; or for two classes Σ loss, count of 0s, of 1s).
   * `known`: W from weightSum, when the gradient was scaled by it (the loss then divides by the same W).
   */
  function reduce(
    partial: Float64Array, items: number, weight: FloatArray | null, target: Target, p: CrossEntropyParams, two: boolean, known: number | null,
  ): { value: number; W: number } {
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < items; i++) { a += partial[3 * i]!; b += partial[3 * i + 1]!; c += partial[3 * i + 2]!; }
    if (two) {
      const W = known ?? b * (weight ? weight[0]! : 1) + c * (weight ? weight[1]! : 1);
      return { value: p.reduction === 'mean' ? a / W : a, W };
    }
    if (!(target instanceof Int32Array)) {
      const P = p.n * p.spatial;
      return { value: p.reduction === 'mean' ? a / P : a, W: P };
    }
    if (known !== null) c = known;
    const e = p.labelSmoothing, eC = e / p.c;
    // Two quotients, as PyTorch: with W = 0 the nll part is 0/0 = NaN even when the smoothing sum is not 0.
    const value = p.reduction === 'sum' ? (1 - e) * a + eC * b : (1 - e) * (a / c) + (e > 0 ? eC * (b / c) : 0);
    return { value, W: c };
  }

  return {
    crossEntropyForward: withFallback(
      'crossEntropyForward',
      (x, target, weight, out, gradInput, p) => eligible(x, target, weight, p) && allF32(out, gradInput) && !(gradInput && p.reduction === 'none'),
      (x, target, weight, out, gradInput, p): CrossEntropySaved => {
        const none = p.reduction === 'none';
        const two = twoClass(target, p);
        const items = p.n * Math.ceil(p.spatial / (two ? chunk2 : chunk));
        const index = target instanceof Int32Array;
        // The weight pass (general kernel's items) and the loss use the same partials.
        const partials = 6 * Math.max(items, p.n * Math.ceil(p.spatial / chunk));
        const ops = [input(x), input(target), input(weight), output(none ? out : null), output(gradInput)];
        return withOperands(rt, ops, [partials], (at) => {
          const partial = at[5]!;
          let W: number | null = null;
          if (gradInput && p.reduction === 'mean' && index) W = weightSum(at, partial, weight, target, p);
          const scale = !gradInput || p.reduction === 'sum' ? 1 : 1 / (W ?? p.n * p.spatial);
          if (two) {
            describe2(at, weight, p);
            desc[D2_OUT] = at[3]!; desc[D2_PARTIAL] = partial; desc[D2_GRAD] = at[4]!; descF[D2_SCALE] = scale;
            rt.run('crossEntropy2F32Item', items, FLOPS_PER_ELEMENT * 2 * p.n * p.spatial);
          } else {
            describe(at, weight, target, p);
            desc[D_OUT] = at[3]!; desc[D_PARTIAL] = partial; desc[D_GRAD] = at[4]!; desc[D_FLAGS] = desc[D_FLAGS]! | STATS; descF[D_SCALE] = scale;
            rt.run('crossEntropyF32Item', items, FLOPS_PER_ELEMENT * p.c * p.n * p.spatial);
          }
          const { value, W: denominator } = reduce(new Float64Array(rt.memory.buffer, partial, 3 * items), items, weight, target, p, two, W);
          if (!none) out[0] = value;
          return { denominator, stats: null };
        });
      },
    ),

    // The op's check of the index targets: a SIMD pass (items of `chunk` targets) that only counts; the
    // first bad target, for the error message, comes from the js kernel.
    firstInvalidTarget: withFallback(
      'firstInvalidTarget', (target) => target.length >= MIN_POSITIONS,
      (target, p) => {
        const items = Math.ceil(target.length / chunk);
        const bad = withOperands(rt, [input(target)], [items], (at) => {
          desc[D_T] = at[0]!; desc[D_S] = target.length; desc[D_C] = p.c; desc[D_IGNORE] = p.ignoreIndex; desc[D_PARTIAL] = at[1]!;
          rt.run('crossEntropyTargetCheckItem', items, 2 * target.length);
          return new Int32Array(rt.memory.buffer, at[1]!, items).some((v) => v !== 0);
        });
        return bad ? jsKernels.firstInvalidTarget(target, p) : -1;
      },
    ),

    crossEntropyBackward: withFallback(
      'crossEntropyBackward', (x, target, weight, _saved, upstream, gradInput, p) => eligible(x, target, weight, p) && allF32(upstream, gradInput),
      (x, target, weight, _saved, upstream, gradInput, p) => {
        const one = upstream.length === 1;
        const two = twoClass(target, p);
        const G = one ? upstream[0]! * p.scale : p.scale;
        const ops = [input(x), input(target), input(weight), input(one ? null : upstream), output(gradInput)];
        withOperands(rt, ops, [], (at) => {
          if (two) {
            const items = describe2(at, weight, p);
            desc[D2_UP] = at[3]!; desc[D2_OUT] = at[4]!; descF[D2_SCALE] = G;
            rt.run('crossEntropy2BackwardF32Item', items, FLOPS_PER_ELEMENT * 2 * p.n * p.spatial);
          } else {
            const items = describe(at, weight, target, p);
            desc[D_UP] = at[3]!; desc[D_GRAD] = at[4]!; descF[D_SCALE] = G;
            rt.run('crossEntropyF32Item', items, FLOPS_PER_ELEMENT * p.c * p.n * p.spatial);
          }
        });
      },
    ),
  };
}
