/**
 * Batch-normalisation kernels of the wasm backend (assembly/norm.ts) for float32 tensors:
 * statistics and coefficients stay float64 as in the js kernels; affine and combine equal them bit
 * for bit. Float64 and small tensors go to the js kernels.
 */
import type { FloatArray } from '../../dtype.js';
import type { ChannelParams, ChannelView, Kernels } from '../types.js';
import { allF32, input, output, withFallback, withOperands } from './dispatch.js';
import type { WasmRuntime } from './runtime.js';

/** Below this many elements the js kernels are as fast as the call into wasm. */
const MIN_ELEMENTS = 4096;
type Fn = (...args: number[]) => undefined;

export function createWasmNorm(rt: WasmRuntime): Pick<Kernels, 'channelMoments' | 'channelAffine' | 'channelGradSums' | 'channelCombine'> {
  const moments = rt.fn<Fn>('channelMomentsF32');
  const affine = rt.fn<Fn>('channelAffineF32');
  const gradSums = rt.fn<Fn>('channelGradSumsF32');
  const combine = rt.fn<Fn>('channelCombineF32');
  const big = (v: ChannelView): boolean => v.n * v.c * v.inner >= MIN_ELEMENTS;
  const mask = (v: ChannelParams): FloatArray | null => v.reluMask ?? null;

  return {
    channelMoments: withFallback('channelMoments', (x, _m, _v, v) => big(v) && allF32(x), (x, mean, variance, v) => {
      withOperands(rt, [input(x), output(mean), output(variance)], [], ([ax, am, av]) => moments(ax!, v.n, v.c, v.inner, am!, av!));
    }),

    channelAffine: withFallback('channelAffine', (x, _s, _t, out, v) => big(v) && allF32(x, out, mask(v)), (x, scale, shift, out, v) => {
      withOperands(rt, [input(x), input(scale), input(shift), output(out), input(mask(v))], [], ([ax, as, at, ao, am]) => {
        affine(ax!, v.n, v.c, v.inner, as!, at!, ao!, v.relu ? 1 : 0, am!);
      });
    }),

    channelGradSums: withFallback('channelGradSums', (g, x, _c, _s, _t, v) => big(v) && allF32(g, x, mask(v)), (g, x, center, sumG, sumGX, v) => {
      withOperands(rt, [input(g), input(x), input(center), output(sumG), output(sumGX), input(mask(v))], [], ([ag, ax, am, as, at, ak]) => {
        gradSums(ag!, ax!, v.n, v.c, v.inner, am!, as!, at!, ak!);
      });
    }),

    channelCombine: withFallback('channelCombine', (g, x, _a, _b, _c, _s, out, v) => big(v) && allF32(g, x, out, mask(v)), (g, x, a, b, center, shift, out, v) => {
      withOperands(rt, [input(g), input(x), input(a), input(b), input(center), input(shift), output(out), input(mask(v))], [], ([ag, ax, aa, ab, am, as, ao, ak]) => {
        combine(ag!, ax!, v.n, v.c, v.inner, aa!, ab!, am!, as!, ao!, ak!);
      });
    }),
  };
}
