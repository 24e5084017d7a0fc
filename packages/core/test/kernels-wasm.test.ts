/**
 * The wasm backend's float32 GEMM against the js kernel (the reference), its fallbacks, and the
 * worker pool's determinism: 1 and 2 threads must give bit-identical results.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { getBackend, kernels, listBackends, setBackend } from '../src/kernels/index.js';
import { jsKernels } from '../src/kernels/js.js';
import type { GemmOptions } from '../src/kernels/types.js';
import { createWasmKernels, resolveRelaxed, resolveThreads } from '../src/kernels/wasm/index.js';

const one = createWasmKernels({ threads: 1, relaxed: false });
// minParallelFlops 0 and minItemExtent 8: even tiny GEMMs are cut into items run by the pool.
const two = createWasmKernels({ threads: 2, minParallelFlops: 0, minItemExtent: 8, relaxed: false });
// The relaxed-SIMD build (fused multiply-add); on Node 20 this turns on V8's flag for this process.
const fusedOne = createWasmKernels({ threads: 1, relaxed: true });
const fusedTwo = createWasmKernels({ threads: 2, minParallelFlops: 0, minItemExtent: 8, relaxed: true });
afterAll(async () => {
  await Promise.all([one.dispose(), two.dispose(), fusedOne.dispose(), fusedTwo.dispose()]);
});

/** Deterministic values in [-1, 1) from a seed (xorshift32). */
function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

interface Case {
  m: number; n: number; k: number; batch: number;
  strideA: number; strideB: number; strideC: number;
  options: Required<GemmOptions>; seed: number;
}

function operands(c: Case): { a: Float32Array; b: Float32Array; c: Float32Array } {
  const span = (size: number, stride: number): number => size + (c.batch - 1) * stride;
  return {
    a: values(span(c.m * c.k, c.strideA), c.seed),
    b: values(span(c.k * c.n, c.strideB), c.seed + 1),
    c: values(span(c.m * c.n, c.strideC), c.seed + 2),
  };
}

/**
 * Checks wasm vs js element-wise: |w − j| ≤ 1e-5·√k·scale, where scale = |α|·Σ_p |a_ip||b_pj| + |β·c_ij|
 * bounds the magnitude the float32 rounding acts on (the js kernel accumulates in float64).
 */
function expectCloseToJs(c: Case, got: Float32Array): void {
  const { a, b, c: c0 } = operands(c);
  const want = c0.slice();
  jsKernels.gemm(a, b, want, { m: c.m, n: c.n, k: c.k, batch: c.batch, strideA: c.strideA, strideB: c.strideB, strideC: c.strideC, ...c.options });
  const { transA, transB, alpha, beta } = c.options;
  for (let t = 0; t < c.batch; t++) {
    for (let i = 0; i < c.m; i++) {
      for (let j = 0; j < c.n; j++) {
        let scale = 0;
        for (let p = 0; p < c.k; p++) {
          const av = a[t * c.strideA + (transA ? p * c.m + i : i * c.k + p)]!;
          const bv = b[t * c.strideB + (transB ? j * c.k + p : p * c.n + j)]!;
          scale += Math.abs(av * bv);
        }
        const at = t * c.strideC + i * c.n + j;
        scale = Math.abs(alpha) * scale + (beta === 0 ? 0 : Math.abs(beta * c0[at]!));
        const err = Math.abs(got[at]! - want[at]!);
        if (!(err <= 1e-5 * Math.sqrt(c.k) * scale)) {
          throw new Error(`C[${t}][${i}][${j}] = ${got[at]} vs js ${want[at]} (scale ${scale}) in ${JSON.stringify(c)}`);
        }
      }
    }
  }
}

function run(kernelsUnderTest: { gemm: typeof jsKernels.gemm }, c: Case): Float32Array {
  const { a, b, c: out } = operands(c);
  kernelsUnderTest.gemm(a, b, out, { m: c.m, n: c.n, k: c.k, batch: c.batch, strideA: c.strideA, strideB: c.strideB, strideC: c.strideC, ...c.options });
  return out;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    m: fc.integer({ min: 1, max: 70 }), n: fc.integer({ min: 1, max: 70 }), k: fc.integer({ min: 1, max: 70 }),
    batch: fc.integer({ min: 1, max: 3 }),
    // 0: broadcast one matrix over the batch; 1: packed; 2: packed with a gap of 5 elements.
    modeA: fc.integer({ min: 0, max: 2 }), modeB: fc.integer({ min: 0, max: 2 }), gapC: fc.boolean(),
    transA: fc.boolean(), transB: fc.boolean(),
    alpha: fc.constantFrom(1, -0.5, 2.25), beta: fc.constantFrom(0, 1, -0.75),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  })
  .map((r) => {
    const stride = (mode: number, size: number): number => (mode === 0 ? 0 : mode === 1 ? size : size + 5);
    return {
      m: r.m, n: r.n, k: r.k, batch: r.batch,
      strideA: stride(r.modeA, r.m * r.k), strideB: stride(r.modeB, r.k * r.n), strideC: r.m * r.n + (r.gapC ? 3 : 0),
      options: { transA: r.transA, transB: r.transB, alpha: r.alpha, beta: r.beta }, seed: r.seed,
    };
  });

describe('wasm gemm (float32)', () => {
  it('matches the js kernel on random odd shapes, transposes, alpha/beta and batch strides', () => {
    fc.assert(fc.property(caseArb, (c) => expectCloseToJs(c, run(one, c))), { numRuns: 60 });
  });

  it('gives bit-identical results on 1 and 2 threads', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(run(two, c)).toEqual(run(one, c));
      }),
      { numRuns: 40 },
    );
  });

  it('relaxed-SIMD build: matches the js kernel and is thread-count independent', () => {
    expect([one.runtime.relaxed, fusedOne.runtime.relaxed]).toEqual([false, true]);
    fc.assert(
      fc.property(caseArb, (c) => {
        const single = run(fusedOne, c);
        expectCloseToJs(c, single);
        expect(run(fusedTwo, c)).toEqual(single);
      }),
      { numRuns: 40 },
    );
  });

  // Shapes past the cache blocks (KC 256, MC 128, NC 256) and the tile sizes, so several k-blocks
  // accumulate into C and the multi-threaded split cuts through blocks.
  const big: [number, number, number, boolean, boolean][] = [
    [133, 270, 300, false, false],
    [70, 261, 300, true, false],
    [9, 530, 257, false, true],
    [260, 13, 129, true, true],
  ];
  it.each(big)('matches js and is thread-count independent at m=%i n=%i k=%i transA=%s transB=%s', (m, n, k, transA, transB) => {
    const c: Case = {
      m, n, k, batch: 2, strideA: m * k, strideB: 0, strideC: m * n,
      options: { transA, transB, alpha: 0.5, beta: 1.5 }, seed: m * 7919 + n,
    };
    const single = run(one, c);
    expectCloseToJs(c, single);
    expect(run(two, c)).toEqual(single);
    const fused = run(fusedOne, c);
    expectCloseToJs(c, fused);
    expect(run(fusedTwo, c)).toEqual(fused);
  });

  it('stays exact over many back-to-back pool jobs of changing sizes (beta = 1 exposes an item run twice)', () => {
    for (let r = 0; r < 150; r++) {
      const c: Case = {
        m: 3 + (r % 5), n: 8 + ((r * 7) % 61), k: 5, batch: 1 + (r % 3), strideA: 0, strideB: 0, strideC: (3 + (r % 5)) * (8 + ((r * 7) % 61)),
        options: { transA: false, transB: false, alpha: 1, beta: 1 }, seed: r + 1,
      };
      expect(run(two, c)).toEqual(run(one, c));
    }
  });

  it('leaves the gaps between batched C matrices untouched and ignores C when beta = 0', () => {
    const [m, n, k] = [3, 5, 4];
    const a = values(m * k, 3), b = values(k * n, 4);
    const c = new Float32Array(2 * m * n + 2).fill(Number.NaN);
    c[m * n] = 42; c[m * n + 1] = -7; // the gap between the two matrices (strideC = m·n + 2)
    one.gemm(a, b, c, { m, n, k, batch: 2, strideA: 0, strideB: 0, strideC: m * n + 2 });
    expect([c[m * n], c[m * n + 1]]).toEqual([42, -7]);
    expect(c.every((v) => Number.isFinite(v))).toBe(true);
    const want = new Float32Array(m * n);
    jsKernels.gemm(a, b, want, { m, n, k });
    for (let i = 0; i < m * n; i++) expect(c[i]).toBeCloseTo(want[i]!, 5);
  });

  it('falls back to the js kernel for float64, k = 0 and overlapping C batches (bit-identical)', () => {
    const a64 = Float64Array.from(values(12, 5)), b64 = Float64Array.from(values(12, 6));
    const got64 = new Float64Array(9), want64 = new Float64Array(9);
    one.gemm(a64, b64, got64, { m: 3, n: 3, k: 4, alpha: 0.3 });
    jsKernels.gemm(a64, b64, want64, { m: 3, n: 3, k: 4, alpha: 0.3 });
    expect(got64).toEqual(want64);

    const c0 = values(6, 7);
    const got = c0.slice(), want = c0.slice();
    one.gemm(new Float32Array(0), new Float32Array(0), got, { m: 2, n: 3, k: 0, beta: 0.5 });
    jsKernels.gemm(new Float32Array(0), new Float32Array(0), want, { m: 2, n: 3, k: 0, beta: 0.5 });
    expect(got).toEqual(want);
    expect(got[0]).toBe(Math.fround(0.5 * c0[0]!));

    const a = values(8, 8), b = values(8, 9);
    const acc = values(4, 10), accJs = acc.slice();
    one.gemm(a, b, acc, { m: 2, n: 2, k: 2, batch: 2, strideA: 4, strideB: 4, strideC: 0, beta: 1 }); // both batches accumulate into one C
    jsKernels.gemm(a, b, accJs, { m: 2, n: 2, k: 2, batch: 2, strideA: 4, strideB: 4, strideC: 0, beta: 1 });
    expect(acc).toEqual(accJs);
  });

  it('refuses arrays shorter than the shapes and strides need, naming the sizes', () => {
    expect(() => one.gemm(new Float32Array(5), new Float32Array(6), new Float32Array(4), { m: 2, n: 2, k: 3 })).toThrow(
      /gemm \(wasm\): arrays too short for m=2 n=2 k=3.*a has 5 \(needs 6\)/,
    );
  });
});

describe('wasm backend registration and configuration', () => {
  it("is registered as 'wasm' and answers through kernels() when selected", () => {
    expect(listBackends()).toContain('wasm');
    const before = getBackend();
    try {
      setBackend('wasm');
      expect(kernels().name).toBe('wasm');
      const a = values(6, 11), b = values(6, 12);
      const got = new Float32Array(4), want = new Float32Array(4);
      kernels().gemm(a, b, got, { m: 2, n: 2, k: 3 });
      jsKernels.gemm(a, b, want, { m: 2, n: 2, k: 3 });
      for (let i = 0; i < 4; i++) expect(got[i]).toBeCloseTo(want[i]!, 5);
      expect(kernels().gemm).not.toBe(jsKernels.gemm);
      expect(kernels().softmax).toBe(jsKernels.softmax); // not implemented in wasm: js fallback
    } finally {
      setBackend(before);
    }
  });

  it('validates the thread count from the option and TESSERA_THREADS', () => {
    expect(resolveThreads(3)).toBe(3);
    expect(() => resolveThreads(0)).toThrow(/option threads must be an integer in \[1, 256\], got 0/);
    const saved = process.env['TESSERA_THREADS'];
    try {
      process.env['TESSERA_THREADS'] = '2';
      expect(resolveThreads()).toBe(2);
      process.env['TESSERA_THREADS'] = 'many';
      expect(() => resolveThreads()).toThrow(/TESSERA_THREADS must be an integer in \[1, 256\], got many/);
    } finally {
      if (saved === undefined) delete process.env['TESSERA_THREADS'];
      else process.env['TESSERA_THREADS'] = saved;
    }
  });

  it('reads TESSERA_WASM_RELAXED (0 forces the plain SIMD build, anything but 0/1 is refused)', () => {
    const saved = process.env['TESSERA_WASM_RELAXED'];
    try {
      process.env['TESSERA_WASM_RELAXED'] = '0';
      expect(resolveRelaxed()).toBe(false);
      expect(resolveRelaxed(true)).toBe(true); // the option wins over the environment
      process.env['TESSERA_WASM_RELAXED'] = '1';
      expect(resolveRelaxed()).toBe(true);
      process.env['TESSERA_WASM_RELAXED'] = 'yes';
      expect(() => resolveRelaxed()).toThrow(/TESSERA_WASM_RELAXED must be 0 or 1, got yes/);
    } finally {
      if (saved === undefined) delete process.env['TESSERA_WASM_RELAXED'];
      else process.env['TESSERA_WASM_RELAXED'] = saved;
    }
  });

  it('is the default, TESSERA_BACKEND selects a backend at start-up, and idle workers let the process exit', () => {
    const index = fileURLToPath(new URL('../src/kernels/index.ts', import.meta.url));
    const script = `
      const k = await import(${JSON.stringify(index)});
      const a = new Float32Array(256 * 256).fill(1);
      const c = new Float32Array(256 * 256);
      k.kernels().gemm(a, a, c, { m: 256, n: 256, k: 256 });
      console.log(k.getBackend(), c[0]);`; // relaxed on Node 20 exercises the V8 flag path
    const res = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, TESSERA_BACKEND: 'wasm', TESSERA_THREADS: '2', TESSERA_WASM_RELAXED: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('wasm 256');
    expect(res.status).toBe(0);

    // Without TESSERA_BACKEND the default is wasm (this runtime validates the SIMD module); js when asked.
    const show = `const k = await import(${JSON.stringify(index)}); console.log(k.getBackend());`;
    for (const [backend, want] of [[undefined, 'wasm'], ['js', 'js']] as const) {
      const env: NodeJS.ProcessEnv = { ...process.env };
      delete env['TESSERA_BACKEND'];
      if (backend) env['TESSERA_BACKEND'] = backend;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', show], { env, encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout.trim()).toBe(want);
    }

    const bad = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `await import(${JSON.stringify(index)})`], {
      env: { ...process.env, TESSERA_BACKEND: 'gpu' }, encoding: 'utf8', timeout: 30_000,
    });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/TESSERA_BACKEND: unknown backend 'gpu' \(registered: js, wasm\)/);
  });
});
