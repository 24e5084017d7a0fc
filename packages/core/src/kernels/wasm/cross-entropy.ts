/**
 * crossEntropyForward / crossEntropyBackward of the wasm backend, for float32 logits with up to 64
 * classes: index or probability targets, class weights, ignoreIndex, label smoothing, every
 * reduction. Two classes with index targets and no smoothing (the segmenters' case) take a kernel
 * of their own (assembly/cross-entropy.ts, no exp for the backward's other class); the rest the
 * general one (assembly/cross-entropy-multi.ts), whose forward saves the rest Σ_{c ≠ argmax} e^{x_c − max} per position
 * for the backward. Both cut the positions into (image, chunk) items summed in f64 in item order,
 * so results do not depend on the thread count. Float64, more classes and small inputs go to js.
 */
import type { FloatArray } from '../../dtype.js';
import { allocateEmpty } from '../../dtype.js';
import type { CrossEntropyParams, CrossEntropySaved, Kernels } from '../types.js';
import { allF32, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many positions the js kernels are as fast as the call into wasm. */
const MIN_POSITIONS = 1024;

// Descriptor slots (Int32 / Float32 index), mirroring D_* in assembly/cross-entropy.ts (two classes)
// and assembly/cross-entropy-multi.ts (general).
const D2_X = 0, D2_T = 1, D2_W = 2, D2_S = 3, D2_IGNORE = 4, D2_CHUNKS = 5, D2_OUT = 6, D2_PARTIAL = 7, D2_UP = 8, D2_SCALE = 9;
const D_X = 0, D_T = 1, D_W = 2, D_S = 3, D_C = 4, D_IGNORE = 5, D_CHUNKS = 6, D_OUT = 7, D_PARTIAL = 8;
const D_UP = 9, D_REST = 10, D_FLAGS = 11, D_SCALE = 12, D_EPS = 13, D_WSUM = 14;
/** Rough cost per position and class, for the runtime's decision to use the worker threads. */
const FLOPS_PER_ELEMENT = 30;

type Target = Int32Array | FloatArray;

export function createWasmCrossEntropy(rt: WasmRuntime): Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward'> {
  const chunk2 = rt.exportI32('crossEntropyChunk');
  const chunk = rt.exportI32('crossEntropyMultiChunk');
  const maxClasses = rt.exportI32('crossEntropyMultiMaxClasses');
  const desc = rt.descI32;
  const descF = rt.descF32;

  const eligible = (x: FloatArray, target: Target, weight: FloatArray | null, p: CrossEntropyParams): boolean =>
    p.c <= maxClasses && allF32(x, weight) && (target instanceof Int32Array || target instanceof Float32Array) && p.n * p.spatial >= MIN_POSITIONS;
  const twoClass = (target: Target, p: CrossEntropyParams): boolean => p.c === 2 && p.labelSmoothing === 0 && target instanceof Int32Array;

  /** Describes a job of the general kernel over logits, targets and weight at at[0..2]; returns its item count. */
  function describe(at: readonly number[], weight: FloatArray | null, target: Target, p: CrossEntropyParams): number {
    const chunks = Math.ceil(p.spatial / chunk);
    let wsum = p.c;
    if (weight) { wsum = 0; for (let k = 0; k < p.c; k++) wsum += weight[k]!; }
    desc[D_X] = at[0]!; desc[D_T] = at[1]!; desc[D_W] = weight ? at[2]! : 0;
    desc[D_S] = p.spatial; desc[D_C] = p.c; desc[D_IGNORE] = p.ignoreIndex; desc[D_CHUNKS] = chunks;
    desc[D_FLAGS] = target instanceof Int32Array ? 0 : 1;
    descF[D_EPS] = p.labelSmoothing; descF[D_WSUM] = wsum;
    return p.n * chunks;
  }

  /** Describes a job of the two-class kernel; returns its item count. */
  function describe2(at: readonly number[], weight: FloatArray | null, p: CrossEntropyParams): number {
    const chunks = Math.ceil(p.spatial / chunk2);
    desc[D2_X] = at[0]!; desc[D2_T] = at[1]!; desc[D2_W] = weight ? at[2]! : 0;
    desc[D2_S] = p.spatial; desc[D2_IGNORE] = p.ignoreIndex; desc[D2_CHUNKS] = chunks;
    return p.n * chunks;
  }

  /** The reduction of the per-item partials (Σ nll, Σ smooth, W; or for two classes Σ loss, count of 0s, of 1s). */
  function reduce(partial: Float64Array, items: number, weight: FloatArray | null, target: Target, p: CrossEntropyParams, two: boolean): { value: number; W: number } {
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < items; i++) { a += partial[3 * i]!; b += partial[3 * i + 1]!; c += partial[3 * i + 2]!; }
    if (two) {
      const W = b * (weight ? weight[0]! : 1) + c * (weight ? weight[1]! : 1);
      return { value: p.reduction === 'mean' ? a / W : a, W };
    }
    if (!(target instanceof Int32Array)) {
      const P = p.n * p.spatial;
      return { value: p.reduction === 'mean' ? a / P : a, W: P };
    }
    const e = p.labelSmoothing, eC = e / p.c;
    // Two quotients, as PyTorch: with W = 0 the nll part is 0/0 = NaN even when the smoothing sum is not 0.
    const value = p.reduction === 'sum' ? (1 - e) * a + eC * b : (1 - e) * (a / c) + (e > 0 ? eC * (b / c) : 0);
    return { value, W: c };
  }

  return {
    crossEntropyForward: withFallback(
      'crossEntropyForward', (x, target, weight, out, p) => eligible(x, target, weight, p) && allF32(out),
      (x, target, weight, out, p): CrossEntropySaved => {
        const none = p.reduction === 'none';
        const two = twoClass(target, p);
        const items = p.n * Math.ceil(p.spatial / (two ? chunk2 : chunk));
        const rest = two ? null : (allocateEmpty('float32', p.n * p.spatial) as Float32Array);
        const ops = [input(x), input(target), input(weight), output(none ? out : null), output(rest)];
        return withOperands(rt, ops, [6 * items], (at) => {
          if (two) {
            describe2(at, weight, p);
            desc[D2_OUT] = at[3]!; desc[D2_PARTIAL] = at[5]!;
            rt.run('crossEntropy2F32Item', items, FLOPS_PER_ELEMENT * 2 * p.n * p.spatial);
          } else {
            describe(at, weight, target, p);
            desc[D_OUT] = at[3]!; desc[D_PARTIAL] = at[5]!; desc[D_REST] = at[4]!;
            rt.run('crossEntropyF32Item', items, FLOPS_PER_ELEMENT * p.c * p.n * p.spatial);
          }
          const { value, W } = reduce(new Float64Array(rt.memory.buffer, at[5]!, 3 * items), items, weight, target, p, two);
          if (!none) out[0] = value;
          return { denominator: W, stats: null, rest };
        });
      },
    ),

    crossEntropyBackward: withFallback(
      'crossEntropyBackward', (x, target, weight, _saved, upstream, gradInput, p) => eligible(x, target, weight, p) && allF32(upstream, gradInput),
      (x, target, weight, saved, upstream, gradInput, p) => {
        const one = upstream.length === 1;
        const two = twoClass(target, p);
        const rest = saved?.rest && saved.rest.length === p.n * p.spatial ? saved.rest : null;
        const G = one ? upstream[0]! * p.scale : p.scale;
        const ops = [input(x), input(target), input(weight), input(one ? null : upstream), output(gradInput), input(two ? null : rest)];
        withOperands(rt, ops, [], (at) => {
          if (two) {
            const items = describe2(at, weight, p);
            desc[D2_UP] = at[3]!; desc[D2_OUT] = at[4]!; descF[D2_SCALE] = G;
            rt.run('crossEntropy2BackwardF32Item', items, FLOPS_PER_ELEMENT * 2 * p.n * p.spatial);
          } else {
            const items = describe(at, weight, target, p);
            desc[D_UP] = at[3]!; desc[D_OUT] = at[4]!; desc[D_REST] = at[5]!; descF[D_SCALE] = G;
            rt.run('crossEntropyBackwardF32Item', items, FLOPS_PER_ELEMENT * p.c * p.n * p.spatial);
          }
        });
      },
    ),
  };
}
