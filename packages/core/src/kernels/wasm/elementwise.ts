/**
 * The memory-bound float32 kernels of the wasm backend (assembly/elementwise.ts): relu, neg, abs,
 * sign, relu's backward, same-shape add/sub/mul, nearest resampling. Plain JavaScript loops over
 * typed arrays run them at 2–8 ns an element here (relu's and sign's data-dependent branches
 * mispredict on real activations); the wasm versions are branch-free f32x4 loops, large calls
 * split over the worker pool. They compute exactly what the js kernels compute. Other ops, float64 arrays and small arrays go to the js kernels.
 */
import type { Kernels, Resample1dParams, UnaryKernelOp, BinaryKernelOp } from '../types.js';
import { isCopy } from '../resample.js';
import { allF32, inout, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many elements the js kernel is as fast as the call into wasm. */
const MIN_ELEMENTS = 2048;

/** Elements of one item on the worker pool (a multiple of 4), and the work estimate per element for its threshold (minParallelFlops). */
const ITEM_ELEMENTS = 32768;
const FLOPS_PER_ELEMENT = 4;

// Descriptor slots (Int32 index), mirroring D_* in assembly/elementwise.ts.
const D_OP = 0, D_A = 1, D_B = 2, D_OUT = 3, D_N = 4, D_PER = 5;
const D_OUTER = 6, D_IN = 7, D_INNER = 8, D_OSIZE = 9, D_IDX = 10, D_DOUBLE = 11;

/** Op codes of assembly/elementwise.ts; other ops go to the js kernels. */
const UNARY_CODES: Partial<Record<UnaryKernelOp, number>> = { relu: 0, neg: 1, abs: 2, sign: 3 };
const BINARY_CODES: Partial<Record<BinaryKernelOp, number>> = { add: 0, sub: 1, mul: 2 };

/** Whether resampling only copies (isCopy, indices in range), and whether idx is the ×2 pattern j >> 1. */
function copyPattern(p: Resample1dParams): { copy: boolean; double: boolean } {
  const { i0, inSize, outSize } = p;
  if (!isCopy(p)) return { copy: false, double: false };
  let double = outSize === 2 * inSize;
  for (let j = 0; j < outSize; j++) {
    if (!(i0[j]! >= 0 && i0[j]! < inSize)) return { copy: false, double: false };
    if (i0[j] !== j >> 1) double = false;
  }
  return { copy: true, double };
}

/**
 * Large calls run as items on the worker pool: runs of ITEM_ELEMENTS elements (resampling: runs of
 * outer slices), each output element written by one item, so any thread count gives the same bits.
 */
export function createWasmElementwise(rt: WasmRuntime): Pick<Kernels, 'unary' | 'reluBackward' | 'binary' | 'resample1d' | 'resample1dBackward'> {
  const desc = rt.descI32;
  const big = (n: number): boolean => n >= MIN_ELEMENTS;
  /** Runs a flat kernel's items over n elements (operands already in the descriptor). */
  const flat = (fn: 'unaryF32Item' | 'reluBackwardF32Item' | 'binaryF32Item', n: number): void => {
    desc[D_N] = n; desc[D_PER] = ITEM_ELEMENTS;
    rt.run(fn, Math.ceil(n / ITEM_ELEMENTS), FLOPS_PER_ELEMENT * n);
  };
  /** Runs a resampling kernel's items (x/g at a, out/dx at out). */
  const slices = (fn: 'resampleCopyF32Item' | 'resampleCopyBackwardF32Item', p: Resample1dParams, a: number, idx: number, out: number): void => {
    const slice = Math.max(p.inSize, p.outSize) * p.inner;
    const per = Math.max(1, Math.floor(ITEM_ELEMENTS / slice));
    desc[D_A] = a; desc[D_OUT] = out; desc[D_IDX] = idx; desc[D_DOUBLE] = copyPattern(p).double ? 1 : 0; desc[D_PER] = per;
    desc[D_OUTER] = p.outer; desc[D_IN] = p.inSize; desc[D_INNER] = p.inner; desc[D_OSIZE] = p.outSize;
    rt.run(fn, Math.ceil(p.outer / per), FLOPS_PER_ELEMENT * p.outer * slice);
  };

  return {
    unary: withFallback('unary', (op, x, out) => UNARY_CODES[op] !== undefined && big(x.length) && allF32(x, out), (op, x, out) => {
      withOperands(rt, [input(x), output(out)], [], ([ax, ao]) => {
        desc[D_OP] = UNARY_CODES[op]!; desc[D_A] = ax!; desc[D_OUT] = ao!;
        flat('unaryF32Item', x.length);
      });
    }),

    reluBackward: withFallback('reluBackward', (grad, x, out) => big(x.length) && allF32(grad, x, out), (grad, x, out) => {
      withOperands(rt, [input(grad), input(x), output(out)], [], ([ag, ax, ao]) => {
        desc[D_A] = ag!; desc[D_B] = ax!; desc[D_OUT] = ao!;
        flat('reluBackwardF32Item', x.length);
      });
    }),

    binary: withFallback(
      'binary',
      (op, a, _aShape, b, _bShape, out) => BINARY_CODES[op] !== undefined && big(out.length) && a.length === out.length && b.length === out.length && allF32(a, b, out),
      (op, a, _aShape, b, _bShape, out) => {
        withOperands(rt, [input(a), input(b), output(out)], [], ([aa, ab, ao]) => {
          desc[D_OP] = BINARY_CODES[op]!; desc[D_A] = aa!; desc[D_B] = ab!; desc[D_OUT] = ao!;
          flat('binaryF32Item', out.length);
        });
      },
    ),

    resample1d: withFallback('resample1d', (x, out, p) => big(x.length) && allF32(x, out) && copyPattern(p).copy, (x, out, p) => {
      withOperands(rt, [input(x, p.outer * p.inSize * p.inner), input(p.i0, p.outSize), output(out)], [], ([ax, ai, ao]) => {
        slices('resampleCopyF32Item', p, ax!, ai!, ao!);
      });
    }),

    resample1dBackward: withFallback('resample1dBackward', (g, dx, p) => big(g.length) && allF32(g, dx) && copyPattern(p).copy, (g, dx, p) => {
      withOperands(rt, [input(g, p.outer * p.outSize * p.inner), input(p.i0, p.outSize), inout(dx, p.outer * p.inSize * p.inner)], [], ([ag, ai, ad]) => {
        slices('resampleCopyBackwardF32Item', p, ag!, ai!, ad!);
      });
    }),
  };
}
