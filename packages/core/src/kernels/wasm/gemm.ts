/**
 * `gemm` of the wasm backend: writes the job descriptor read by assembly/gemm.ts (`gemmF32Item`)
 * over the operands' addresses (dispatch.ts stages those not in wasm memory) and runs its items.
 * Anything the float32 kernel does not cover (float64 or mixed arrays, k = 0, batches whose C
 * matrices overlap, which need the sequential semantics) goes to the js kernel.
 */
import { allF32, inout, input, output, withFallback, withOperands } from './dispatch.js';
import type { GemmParams, Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

// Descriptor slots (Int32 / Float32 index = byte offset / 4), mirroring DESC_* in assembly/gemm.ts.
const D_A = 0, D_B = 1, D_C = 2, D_M = 3, D_N = 4, D_K = 5, D_SA = 6, D_SB = 7, D_SC = 8;
const D_FLAGS = 9, D_ALPHA = 10, D_BETA = 11, D_ITEMS_PER_BATCH = 12, D_TILES_PER_ITEM = 13;
/** Items per thread when splitting a job (more than 1 balances uneven thread speed). */
const ITEMS_PER_THREAD = 4;

/** The strides of p, defaults filled in. */
const strides = (p: GemmParams): [number, number, number] => [p.strideA ?? p.m * p.k, p.strideB ?? p.k * p.n, p.strideC ?? p.m * p.n];

/** Builds the float32 GEMM over `rt` (the `Kernels['gemm']` signature). */
export function createWasmGemm(rt: WasmRuntime): Kernels['gemm'] {
  const tileRows = rt.exportI32('gemmTileRows');
  const tileCols = rt.exportI32('gemmTileCols');
  const desc = rt.descI32;
  const descF = rt.descF32;

  const eligible = (a: Float32Array | Float64Array, b: Float32Array | Float64Array, c: Float32Array | Float64Array, p: GemmParams): boolean =>
    allF32(a, b, c) && p.m > 0 && p.n > 0 && p.k > 0 && (p.batch ?? 1) > 0 && ((p.batch ?? 1) === 1 || strides(p)[2] >= p.m * p.n);

  return withFallback('gemm', eligible, (a, b, c, p) => {
    const { m, n, k, batch = 1, transA = false, transB = false, alpha = 1, beta = 0 } = p;
    const [strideA, strideB, strideC] = strides(p);
    // Element spans each operand covers over the batch (a stride of 0 reuses one matrix).
    const spanA = m * k + (batch - 1) * strideA;
    const spanB = k * n + (batch - 1) * strideB;
    const spanC = m * n + (batch - 1) * strideC;
    if (a.length < spanA || b.length < spanB || c.length < spanC) {
      throw new RangeError(
        `gemm (wasm): arrays too short for m=${m} n=${n} k=${k} batch=${batch} strides=[${strideA}, ${strideB}, ${strideC}]: `
        + `a has ${a.length} (needs ${spanA}), b has ${b.length} (needs ${spanB}), c has ${c.length} (needs ${spanC})`,
      );
    }
    // C is read when beta ≠ 0, and its gaps between batch matrices (not ours to write) must survive staging.
    const cAccess = beta !== 0 || spanC > batch * m * n ? inout(c, spanC) : output(c, spanC);
    withOperands(rt, [input(a, spanA), input(b, spanB), cAccess], [], ([offA, offB, offC]) => {
      // Split C along its longer side: each item repacks the other operand, so items should be wide.
      const splitCols = n >= m;
      const tiles = splitCols ? Math.ceil(n / tileCols) : Math.ceil(m / tileRows);
      const wanted = rt.threads > 1 ? Math.ceil((rt.threads * ITEMS_PER_THREAD) / batch) : 1;
      const minTiles = Math.ceil(rt.minItemExtent / (splitCols ? tileCols : tileRows));
      const tilesPerItem = Math.max(Math.ceil(tiles / Math.min(tiles, wanted)), Math.min(tiles, minTiles));
      const itemsPerBatch = Math.ceil(tiles / tilesPerItem);
      desc[D_A] = offA!; desc[D_B] = offB!; desc[D_C] = offC!;
      desc[D_M] = m; desc[D_N] = n; desc[D_K] = k;
      desc[D_SA] = strideA; desc[D_SB] = strideB; desc[D_SC] = strideC;
      desc[D_FLAGS] = (transA ? 1 : 0) | (transB ? 2 : 0) | (splitCols ? 4 : 0);
      descF[D_ALPHA] = alpha; descF[D_BETA] = beta;
      desc[D_ITEMS_PER_BATCH] = itemsPerBatch; desc[D_TILES_PER_ITEM] = tilesPerItem;
      rt.run('gemmF32Item', batch * itemsPerBatch, 2 * m * n * k * batch);
    });
  });
}
