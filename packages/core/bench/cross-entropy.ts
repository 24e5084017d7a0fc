/**
 * Cross-entropy benchmark: the workload of the issue (logits [8, 2, 256, 256] float32, about 5% of the
 * pixels class 1, weight [1, 9], 'mean'), forward + backward through the op (allocations, argument
 * checks and the engine included) and through the kernels alone. Prints best and median milliseconds.
 * Run: `npx tsx packages/core/bench/cross-entropy.ts [--runs 40]`. PyTorch 1.13 (CPU) takes about 7 ms.
 */
import { crossEntropy, Generator, getBackend, rand, Tensor, tensor } from '../src/index.js';
import { kernels } from '../src/kernels/index.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 40;
const [N, C, H, W] = [8, 2, 256, 256];
const g = new Generator(0);
const logits = rand([N, C, H, W], { generator: g }).mul(4).sub(2).detach();
const u = rand([N, H, W], { generator: g });
const target = new Tensor(Int32Array.from(u.data, (v) => (v < 0.05 ? 1 : 0)), [N, H, W]);
const weight = tensor([1, 9]);

function stats(times: number[]): string {
  const s = times.slice().sort((a, b) => a - b);
  return `best ${s[0]!.toFixed(2)} ms, median ${s[s.length >> 1]!.toFixed(2)} ms`;
}

function time(fn: () => void): number[] {
  for (let i = 0; i < 5; i++) fn(); // warm-up: JIT
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

const op = time(() => {
  const x = logits.detach().requiresGrad_();
  crossEntropy(x, target, { weight }).backward();
});

const S = H * W;
const out = new Float32Array(1);
const grad = new Float32Array(N * C * S);
const one = new Float32Array([1]);
const x = logits.data as Float32Array;
const t = target.data as Int32Array;
const w = weight.data as Float32Array;
const kernel = time(() => {
  const p = { n: N, c: C, spatial: S, ignoreIndex: -100, labelSmoothing: 0, reduction: 'mean' as const };
  const { denominator, stats } = kernels().crossEntropyForward(x, t, w, out, p);
  kernels().crossEntropyBackward(x, t, w, stats, one, grad, { ...p, scale: 1 / denominator });
});

console.log(`crossEntropy [${N}, ${C}, ${H}, ${W}] float32, weight [1, 9], mean, forward + backward (backend ${getBackend()}, ${runs} runs)`);
console.log(`  op (checks, allocation, autograd): ${stats(op)}`);
console.log(`  kernels only:                      ${stats(kernel)}`);
