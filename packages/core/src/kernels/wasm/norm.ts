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
/**
 * Work estimate per element for the pool's threshold (WasmRuntime.minParallelFlops, 1e6 by default):
 * tensors from ~125k elements (e.g. 16 × 8 × 32 × 32) run on every thread.
 */
const FLOPS_PER_ELEMENT = 8;
/** Elements of one item of the elementwise kernels (whole (image, channel) planes). */
const ITEM_ELEMENTS = 8192;

// Descriptor slots (Int32 index = byte offset / 4), mirroring D_* in assembly/norm.ts.
const D_X = 0, D_G = 1, D_N = 2, D_C = 3, D_INNER = 4, D_A = 5, D_B = 6, D_CENTER = 7, D_SHIFT = 8;
const D_OUT = 9, D_OUT2 = 10, D_MASK = 11, D_RELU = 12, D_PER = 13;

/**
 * The four kernels as items on the worker pool: the statistics one channel per item (each sum is
 * still computed by one thread, in one order), affine and combine a run of planes per item, so the
 * results do not depend on the thread count.
 */
export function createWasmNorm(rt: WasmRuntime): Pick<Kernels, 'channelMoments' | 'channelAffine' | 'channelGradSums' | 'channelCombine'> {
  const desc = rt.descI32;
  const big = (v: ChannelView): boolean => v.n * v.c * v.inner >= MIN_ELEMENTS;
  const mask = (v: ChannelParams): FloatArray | null => v.reluMask ?? null;
  const describe = (v: ChannelView, perChannel: boolean): number => {
    desc[D_N] = v.n; desc[D_C] = v.c; desc[D_INNER] = v.inner;
    const per = perChannel ? 1 : Math.max(1, Math.floor(ITEM_ELEMENTS / v.inner));
    desc[D_PER] = per;
    return Math.ceil((perChannel ? v.c : v.n * v.c) / per);
  };
  const flops = (v: ChannelView): number => FLOPS_PER_ELEMENT * v.n * v.c * v.inner;

  return {
    channelMoments: withFallback('channelMoments', (x, _m, _v, v) => big(v) && allF32(x), (x, mean, variance, v) => {
      withOperands(rt, [input(x), output(mean), output(variance)], [], ([ax, am, av]) => {
        const items = describe(v, true);
        desc[D_X] = ax!; desc[D_OUT] = am!; desc[D_OUT2] = av!;
        rt.run('channelMomentsF32Item', items, flops(v));
      });
    }),

    channelAffine: withFallback('channelAffine', (x, _s, _t, out, v) => big(v) && allF32(x, out, mask(v)), (x, scale, shift, out, v) => {
      withOperands(rt, [input(x), input(scale), input(shift), output(out), input(mask(v))], [], ([ax, as, at, ao, am]) => {
        const items = describe(v, false);
        desc[D_X] = ax!; desc[D_A] = as!; desc[D_SHIFT] = at!; desc[D_OUT] = ao!; desc[D_RELU] = v.relu ? 1 : 0; desc[D_MASK] = am!;
        rt.run('channelAffineF32Item', items, flops(v));
      });
    }),

    channelGradSums: withFallback('channelGradSums', (g, x, _c, _s, _t, v) => big(v) && allF32(g, x, mask(v)), (g, x, center, sumG, sumGX, v) => {
      withOperands(rt, [input(g), input(x), input(center), output(sumG), output(sumGX), input(mask(v))], [], ([ag, ax, am, as, at, ak]) => {
        const items = describe(v, true);
        desc[D_G] = ag!; desc[D_X] = ax!; desc[D_CENTER] = am!; desc[D_OUT] = as!; desc[D_OUT2] = at!; desc[D_MASK] = ak!;
        rt.run('channelGradSumsF32Item', items, flops(v));
      });
    }),

    channelCombine: withFallback('channelCombine', (g, x, _a, _b, _c, _s, out, v) => big(v) && allF32(g, x, out, mask(v)), (g, x, a, b, center, shift, out, v) => {
      withOperands(rt, [input(g), input(x), input(a), input(b), input(center), input(shift), output(out), input(mask(v))], [], ([ag, ax, aa, ab, am, as, ao, ak]) => {
        const items = describe(v, false);
        desc[D_G] = ag!; desc[D_X] = ax!; desc[D_A] = aa!; desc[D_B] = ab!; desc[D_CENTER] = am!; desc[D_SHIFT] = as!; desc[D_OUT] = ao!; desc[D_MASK] = ak!;
        rt.run('channelCombineF32Item', items, flops(v));
      });
    }),
  };
}
