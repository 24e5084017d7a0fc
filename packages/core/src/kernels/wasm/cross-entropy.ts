/**
 * crossEntropyForward / crossEntropyBackward of the wasm backend for the common case: two classes,
 * float32 logits, int32 class-index targets, no label smoothing (assembly/cross-entropy.ts). Every
 * other case goes to the js kernels. The backward recomputes the per-position max and rest from the
 * logits (one f32x4 exp per four positions) instead of reading saved ones, so the forward saves
 * nothing (stats null; the js backward computes them if it is the one that runs).
 */
import type { FloatArray } from '../../dtype.js';
import type { CrossEntropyParams, Kernels } from '../types.js';
import { allF32, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many positions the js kernels are as fast as the call into wasm. */
const MIN_POSITIONS = 1024;

// Descriptor slots (Int32 / Float32 index), mirroring D_* in assembly/cross-entropy.ts.
const D_X = 0, D_T = 1, D_W = 2, D_S = 3, D_IGNORE = 4, D_CHUNKS = 5, D_OUT = 6, D_PARTIAL = 7, D_UP = 8, D_SCALE = 9;
/** Rough cost per position, for the runtime's decision to use the worker threads. */
const FLOPS_PER_POSITION = 60;

export function createWasmCrossEntropy(rt: WasmRuntime): Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward'> {
  const chunk = rt.exportI32('crossEntropyChunk');
  const desc = rt.descI32;

  const eligible = (x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, p: CrossEntropyParams): boolean =>
    p.c === 2 && p.labelSmoothing === 0 && target instanceof Int32Array && allF32(x, weight) && p.n * p.spatial >= MIN_POSITIONS;

  /** Describes the job over logits, targets and weight at at[0..2]. */
  function describe(at: readonly number[], weighted: boolean, p: CrossEntropyParams): number {
    const chunks = Math.ceil(p.spatial / chunk);
    desc[D_X] = at[0]!; desc[D_T] = at[1]!; desc[D_W] = weighted ? at[2]! : 0;
    desc[D_S] = p.spatial; desc[D_IGNORE] = p.ignoreIndex; desc[D_CHUNKS] = chunks;
    return p.n * chunks;
  }

  return {
    crossEntropyForward: withFallback(
      'crossEntropyForward', (x, target, weight, out, p) => eligible(x, target, weight, p) && allF32(out),
      (x, target, weight, out, p) => {
        const none = p.reduction === 'none';
        const items = p.n * Math.ceil(p.spatial / chunk);
        const ops = [input(x), input(target), input(weight), output(none ? out : null)];
        return withOperands(rt, ops, [6 * items], (at) => {
          describe(at, weight !== null, p);
          desc[D_OUT] = at[3]!; desc[D_PARTIAL] = at[4]!;
          rt.run('crossEntropy2F32Item', items, FLOPS_PER_POSITION * p.n * p.spatial);
          // Σ loss in item order (the same for any thread count); W = Σ w_y from each class's count (exact).
          const partial = new Float64Array(rt.memory.buffer, at[4]!, 3 * items);
          let total = 0, n0 = 0, n1 = 0;
          for (let i = 0; i < items; i++) { total += partial[3 * i]!; n0 += partial[3 * i + 1]!; n1 += partial[3 * i + 2]!; }
          const W = n0 * (weight ? weight[0]! : 1) + n1 * (weight ? weight[1]! : 1);
          if (!none) out[0] = p.reduction === 'mean' ? total / W : total;
          return { denominator: W, stats: null };
        });
      },
    ),

    crossEntropyBackward: withFallback(
      'crossEntropyBackward', (x, target, weight, _stats, upstream, gradInput, p) => eligible(x, target, weight, p) && allF32(upstream, gradInput),
      (x, target, weight, _stats, upstream, gradInput, p) => {
        const one = upstream.length === 1;
        withOperands(rt, [input(x), input(target), input(weight), input(one ? null : upstream), output(gradInput)], [], (at) => {
          const items = describe(at, weight !== null, p);
          desc[D_UP] = at[3]!; desc[D_OUT] = at[4]!;
          rt.descF32[D_SCALE] = one ? upstream[0]! * p.scale : p.scale;
          rt.run('crossEntropy2BackwardF32Item', items, FLOPS_PER_POSITION * p.n * p.spatial);
        });
      },
    ),
  };
}
