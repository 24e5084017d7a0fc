/**
 * The memory-bound float32 kernels of the wasm backend (assembly/elementwise.ts): relu, neg, abs,
 * sign, relu's backward, same-shape add/sub/mul, nearest resampling. Plain JavaScript loops over
 * typed arrays run them at 2–8 ns an element here (relu's and sign's data-dependent branches
 * mispredict on real activations); the wasm versions are branch-free f32x4 loops. They compute
 * exactly what the js kernels compute. Other ops, float64 arrays and small arrays go to the js kernels.
 */
import type { Kernels, Resample1dParams, UnaryKernelOp, BinaryKernelOp } from '../types.js';
import { isCopy } from '../resample.js';
import { allF32, inout, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many elements the js kernel is as fast as the call into wasm. */
const MIN_ELEMENTS = 2048;

type Fn = (...args: number[]) => undefined;

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

export function createWasmElementwise(rt: WasmRuntime): Pick<Kernels, 'unary' | 'reluBackward' | 'binary' | 'resample1d' | 'resample1dBackward'> {
  const unary = rt.fn<Fn>('unaryF32');
  const reluBackward = rt.fn<Fn>('reluBackwardF32');
  const binary = rt.fn<Fn>('binaryF32');
  const resample = rt.fn<Fn>('resampleCopyF32');
  const resampleBackward = rt.fn<Fn>('resampleCopyBackwardF32');
  const big = (n: number): boolean => n >= MIN_ELEMENTS;

  return {
    unary: withFallback('unary', (op, x, out) => UNARY_CODES[op] !== undefined && big(x.length) && allF32(x, out), (op, x, out) => {
      withOperands(rt, [input(x), output(out)], [], ([ax, ao]) => unary(UNARY_CODES[op]!, ax!, ao!, x.length));
    }),

    reluBackward: withFallback('reluBackward', (grad, x, out) => big(x.length) && allF32(grad, x, out), (grad, x, out) => {
      withOperands(rt, [input(grad), input(x), output(out)], [], ([ag, ax, ao]) => reluBackward(ag!, ax!, ao!, x.length));
    }),

    binary: withFallback(
      'binary',
      (op, a, _aShape, b, _bShape, out) => BINARY_CODES[op] !== undefined && big(out.length) && a.length === out.length && b.length === out.length && allF32(a, b, out),
      (op, a, _aShape, b, _bShape, out) => {
        withOperands(rt, [input(a), input(b), output(out)], [], ([aa, ab, ao]) => binary(BINARY_CODES[op]!, aa!, ab!, ao!, out.length));
      },
    ),

    resample1d: withFallback('resample1d', (x, out, p) => big(x.length) && allF32(x, out) && copyPattern(p).copy, (x, out, p) => {
      const { double } = copyPattern(p);
      withOperands(rt, [input(x, p.outer * p.inSize * p.inner), input(p.i0, p.outSize), output(out)], [], ([ax, ai, ao]) => {
        resample(ax!, p.outer, p.inSize, p.inner, p.outSize, ai!, double ? 1 : 0, ao!);
      });
    }),

    resample1dBackward: withFallback('resample1dBackward', (g, dx, p) => big(g.length) && allF32(g, dx) && copyPattern(p).copy, (g, dx, p) => {
      const { double } = copyPattern(p);
      withOperands(rt, [input(g, p.outer * p.outSize * p.inner), input(p.i0, p.outSize), inout(dx, p.outer * p.inSize * p.inner)], [], ([ag, ai, ad]) => {
        resampleBackward(ag!, p.outer, p.inSize, p.inner, p.outSize, ai!, double ? 1 : 0, ad!);
      });
    }),
  };
}
