/**
 * GEMM micro-benchmark: GFLOP/s of the js kernel vs the wasm kernel on 1 and 2+ threads, plain SIMD
 * build and relaxed-SIMD build (fused multiply-add; on Node 20 this turns on V8's flag for the process).
 * Run: `npx tsx packages/core/bench/gemm.ts [--quick]`. Times include the wasm backend's operand
 * copies (they are part of every call). Shapes: square GEMMs and the im2col GEMMs of the reference
 * U-Net's first convolutions (forward, weight gradient, input gradient).
 */
import { availableParallelism } from 'node:os';
import type { GemmOptions } from '../src/kernels/types.js';
import { jsKernels } from '../src/kernels/js.js';
import { createWasmKernels } from '../src/kernels/wasm/index.js';

interface Shape { name: string; m: number; n: number; k: number; options?: GemmOptions }

const SHAPES: Shape[] = [
  { name: '256³', m: 256, n: 256, k: 256 },
  { name: '512³', m: 512, n: 512, k: 512 },
  { name: 'conv fwd 32×288·288×32768', m: 32, n: 32768, k: 288 },
  { name: 'conv fwd 16×54·54×32768', m: 16, n: 32768, k: 54 },
  { name: 'conv dW 32×32768·(288×32768)ᵀ', m: 32, n: 288, k: 32768, options: { transB: true } },
  { name: 'conv dX (32×288)ᵀ·32×32768', m: 288, n: 32768, k: 32, options: { transA: true } },
];

type Gemm = typeof jsKernels.gemm;

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() - 0.5;
  return a;
}

/** Best-of GFLOP/s over repeats filling about `budgetMs`. */
function measure(gemm: Gemm, s: Shape, budgetMs: number): number {
  const a = random(s.m * s.k), b = random(s.k * s.n), c = new Float32Array(s.m * s.n);
  const run = (): number => {
    const t = performance.now();
    gemm(a, b, c, { m: s.m, n: s.n, k: s.k, ...s.options });
    return performance.now() - t;
  };
  let best = run(); // warm-up (JIT, memory growth, worker start)
  best = Infinity;
  for (let spent = 0, reps = 0; reps < 3 || spent < budgetMs; reps++) {
    const ms = run();
    spent += ms;
    best = Math.min(best, ms);
    if (reps > 200) break;
  }
  return (2 * s.m * s.n * s.k) / (best * 1e6);
}

const quick = process.argv.includes('--quick');
const threads = Math.max(2, availableParallelism());
const variants = [
  { label: 'wasm×1', k: createWasmKernels({ threads: 1, relaxed: false }) },
  { label: `wasm×${threads}`, k: createWasmKernels({ threads, relaxed: false }) },
  { label: 'fma×1', k: createWasmKernels({ threads: 1, relaxed: true }) },
  { label: `fma×${threads}`, k: createWasmKernels({ threads, relaxed: true }) },
];
console.log(`GFLOP/s (best of repeats), node ${process.version}, ${availableParallelism()} cores`);
console.log(['shape'.padEnd(34), 'js'.padStart(7), ...variants.map((v) => v.label.padStart(8))].join(''));
const budget = quick ? 200 : 1500;
for (const s of SHAPES) {
  const js = measure(jsKernels.gemm, s, quick ? 0 : 500);
  const rates = variants.map((v) => measure(v.k.gemm, s, budget));
  console.log([s.name.padEnd(34), js.toFixed(2).padStart(7), ...rates.map((r) => r.toFixed(2).padStart(8))].join(''));
}
await Promise.all(variants.map((v) => v.k.dispose()));
