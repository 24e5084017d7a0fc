/**
 * `gemm` of the wasm backend: copies float32 operands into the runtime's staging area, writes the job
 * descriptor read by assembly/gemm.ts (`gemmF32Item`), runs its items, copies C back.
 * Anything the float32 kernel does not cover (float64 or mixed arrays, k = 0, batches whose C
 * matrices overlap, which need the sequential semantics) goes to the js kernel.
 */
import type { FloatArray } from '../../dtype.js';
import { jsKernels } from '../js.js';
import type { GemmOptions, Kernels } from '../types.js';
import type { WasmRuntime } from './runtime.js';

// Descriptor slots (Int32 / Float32 index = byte offset / 4), mirroring DESC_* in assembly/gemm.ts.
const D_A = 0, D_B = 1, D_C = 2, D_M = 3, D_N = 4, D_K = 5, D_SA = 6, D_SB = 7, D_SC = 8;
const D_FLAGS = 9, D_ALPHA = 10, D_BETA = 11, D_ITEMS_PER_BATCH = 12, D_TILES_PER_ITEM = 13;
/** Items per thread when splitting a job (more than 1 balances uneven thread speed). */
const ITEMS_PER_THREAD = 4;

/** Builds the float32 GEMM over `rt` (the `Kernels['gemm']` signature). */
export function createWasmGemm(rt: WasmRuntime): Kernels['gemm'] {
  const tileRows = rt.exportI32('gemmTileRows');
  const tileCols = rt.exportI32('gemmTileCols');
  const desc = rt.descI32;
  const descF = rt.descF32;

  return function gemm(
    a: FloatArray, b: FloatArray, c: FloatArray, m: number, n: number, k: number,
    batch: number, strideA: number, strideB: number, strideC: number, options: GemmOptions = {},
  ): void {
    if (m <= 0 || n <= 0 || batch <= 0) return;
    if (
      !(a instanceof Float32Array) || !(b instanceof Float32Array) || !(c instanceof Float32Array)
      || k <= 0 || (batch > 1 && strideC < m * n)
    ) {
      jsKernels.gemm(a, b, c, m, n, k, batch, strideA, strideB, strideC, options);
      return;
    }
    const { transA = false, transB = false, alpha = 1, beta = 0 } = options;
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
    const [offA, offB, offC] = rt.stage([spanA, spanB, spanC]) as [number, number, number];
    const heap = rt.f32();
    heap.set(spanA === a.length ? a : a.subarray(0, spanA), offA >> 2);
    heap.set(spanB === b.length ? b : b.subarray(0, spanB), offB >> 2);
    if (beta !== 0) heap.set(spanC === c.length ? c : c.subarray(0, spanC), offC >> 2);

    // Split C along its longer side: each item repacks the other operand, so items should be wide.
    const splitCols = n >= m;
    const tiles = splitCols ? Math.ceil(n / tileCols) : Math.ceil(m / tileRows);
    const wanted = rt.threads > 1 ? Math.ceil((rt.threads * ITEMS_PER_THREAD) / batch) : 1;
    const minTiles = Math.ceil(rt.minItemExtent / (splitCols ? tileCols : tileRows));
    const tilesPerItem = Math.max(Math.ceil(tiles / Math.min(tiles, wanted)), Math.min(tiles, minTiles));
    const itemsPerBatch = Math.ceil(tiles / tilesPerItem);

    desc[D_A] = offA; desc[D_B] = offB; desc[D_C] = offC;
    desc[D_M] = m; desc[D_N] = n; desc[D_K] = k;
    desc[D_SA] = strideA; desc[D_SB] = strideB; desc[D_SC] = strideC;
    desc[D_FLAGS] = (transA ? 1 : 0) | (transB ? 2 : 0) | (splitCols ? 4 : 0);
    descF[D_ALPHA] = alpha; descF[D_BETA] = beta;
    desc[D_ITEMS_PER_BATCH] = itemsPerBatch; desc[D_TILES_PER_ITEM] = tilesPerItem;
    rt.run('gemmF32Item', batch * itemsPerBatch, 2 * m * n * k * batch);

    if (batch === 1 || strideC === m * n) {
      c.set(heap.subarray(offC >> 2, (offC >> 2) + spanC));
    } else {
      // Gaps between the C matrices are not ours to write: copy each matrix back on its own.
      for (let t = 0; t < batch; t++) {
        const o = (offC >> 2) + t * strideC;
        c.set(heap.subarray(o, o + m * n), t * strideC);
      }
    }
  };
}
