/**
 * crossEntropyForward / crossEntropyBackward of the wasm backend for the common case: two classes,
 * float32 logits, int32 class-index targets, no label smoothing (assembly/cross-entropy.ts). Every
 * other case goes to the js kernels. The backward recomputes the per-position max and rest from the
 * logits (one f32x4 exp per four positions) instead of reading saved ones, so the forward saves
 * nothing (stats null; the js backward computes them if it is the one that runs).
 */
import type { FloatArray } from '../../dtype.js';
import { jsKernels } from '../js.js';
import type { Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many positions the js kernels are as fast as staging the operands. */
const MIN_POSITIONS = 1024;

type Fn = (...args: number[]) => undefined;

// Descriptor slots (Int32 / Float32 index), mirroring D_* in assembly/cross-entropy.ts.
const D_X = 0, D_T = 1, D_W = 2, D_S = 3, D_IGNORE = 4, D_CHUNKS = 5, D_OUT = 6, D_PARTIAL = 7, D_UP = 8, D_SCALE = 9;
/** Rough cost per position, for the runtime's decision to use the worker threads. */
const FLOPS_PER_POSITION = 60;

export function createWasmCrossEntropy(rt: WasmRuntime): Pick<Kernels, 'crossEntropyForward' | 'crossEntropyBackward'> {
  const chunk = rt.exportI32('crossEntropyChunk');
  const desc = rt.descI32;

  const eligible = (x: FloatArray, target: Int32Array | FloatArray, weight: FloatArray | null, n: number, c: number, spatial: number, labelSmoothing: number): target is Int32Array =>
    c === 2 && labelSmoothing === 0 && target instanceof Int32Array && x instanceof Float32Array
    && (weight === null || weight instanceof Float32Array) && n * spatial >= MIN_POSITIONS;

  /**
   * The staged operands of the last forward: when the backward follows with the same arrays and
   * nothing was staged in between (the usual loss.backward() right after the loss), the logits and
   * targets are still in place and are not copied again (used once). The layout leaves room for the
   * backward's upstream gradient and result. As with PyTorch's saved tensors, the gradient is that
   * of the loss the forward computed (PyTorch refuses logits modified in place in between).
   */
  let resident: { x: FloatArray; t: Int32Array; w: FloatArray | null; count: number; at: number[] } | null = null;

  /** Stages logits, targets and weight (unless resident) and describes the job; returns the addresses. */
  function stage(x: Float32Array, t: Int32Array, weight: FloatArray | null, n: number, spatial: number, ignoreIndex: number, none: boolean): number[] {
    const r = resident;
    resident = null;
    let at: number[];
    if (r && r.count === rt.stageCount && r.x === x && r.t === t && r.w === weight) {
      at = r.at;
    } else {
      const P = n * spatial;
      // logits, targets, weight, per-position losses, item partials, upstream, gradient
      at = rt.stage([x.length, t.length, 2, none ? P : 0, 6 * n * Math.ceil(spatial / chunk), P, x.length]);
      const heap = rt.f32();
      heap.set(x, at[0]! >> 2);
      new Int32Array(heap.buffer).set(t, at[1]! >> 2);
      if (weight) heap.set(weight, at[2]! >> 2);
    }
    desc[D_X] = at[0]!; desc[D_T] = at[1]!; desc[D_W] = weight ? at[2]! : 0;
    desc[D_S] = spatial; desc[D_IGNORE] = ignoreIndex; desc[D_CHUNKS] = Math.ceil(spatial / chunk);
    return at;
  }

  return {
    crossEntropyForward(x, target, weight, n, c, spatial, ignoreIndex, labelSmoothing, reduction, out) {
      if (!eligible(x, target, weight, n, c, spatial, labelSmoothing) || !(out instanceof Float32Array)) {
        return jsKernels.crossEntropyForward(x, target, weight, n, c, spatial, ignoreIndex, labelSmoothing, reduction, out);
      }
      const none = reduction === 'none';
      const items = n * Math.ceil(spatial / chunk);
      const at = stage(x as Float32Array, target, weight, n, spatial, ignoreIndex, none);
      const [, , , ao, ap] = at as [number, number, number, number, number];
      desc[D_OUT] = none ? ao : 0; desc[D_PARTIAL] = ap;
      rt.run('crossEntropy2F32Item', items, FLOPS_PER_POSITION * n * spatial);
      // Σ loss in item order (the same for any thread count); W = Σ w_y from each class's count (exact).
      const partial = new Float64Array(rt.memory.buffer, ap, 3 * items);
      let total = 0, n0 = 0, n1 = 0;
      for (let i = 0; i < items; i++) { total += partial[3 * i]!; n0 += partial[3 * i + 1]!; n1 += partial[3 * i + 2]!; }
      const W = n0 * (weight ? weight[0]! : 1) + n1 * (weight ? weight[1]! : 1);
      if (none) out.set(rt.f32().subarray(ao >> 2, (ao >> 2) + out.length));
      else out[0] = reduction === 'mean' ? total / W : total;
      // For the backward (strong references: a WeakRef would keep its target alive until the end of
      // the current job, i.e. for a whole synchronous training loop; this holds one logits array).
      resident = { x, t: target, w: weight, count: rt.stageCount, at };
      return { denominator: W, stats: null };
    },

    crossEntropyBackward(x, target, weight, n, c, spatial, ignoreIndex, labelSmoothing, stats, upstream, scale, gradInput) {
      if (
        !eligible(x, target, weight, n, c, spatial, labelSmoothing) || !(gradInput instanceof Float32Array)
        || !(upstream instanceof Float32Array)
      ) {
        jsKernels.crossEntropyBackward(x, target, weight, n, c, spatial, ignoreIndex, labelSmoothing, stats, upstream, scale, gradInput);
        return;
      }
      const one = upstream.length === 1;
      const [, , , , , au, ag] = stage(x as Float32Array, target, weight, n, spatial, ignoreIndex, upstream.length > 1) as number[] as [number, number, number, number, number, number, number];
      if (!one) rt.f32().set(upstream, au >> 2);
      desc[D_UP] = one ? 0 : au; desc[D_OUT] = ag;
      rt.descF32[D_SCALE] = one ? upstream[0]! * scale : scale;
      rt.run('crossEntropy2BackwardF32Item', n * Math.ceil(spatial / chunk), FLOPS_PER_POSITION * n * spatial);
      gradInput.set(rt.f32().subarray(ag >> 2, (ag >> 2) + gradInput.length));
    },
  };
}
