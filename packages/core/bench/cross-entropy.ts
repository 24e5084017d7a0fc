/**
 * Cross-entropy benchmark: the workload of the issue (logits [8, 2, 256, 256] float32, about 5% of the
 * pixels class 1, weight [1, 9], 'mean'), forward + backward through the op (allocations, argument
 * checks and the engine included) and through the kernels alone. Prints best and median milliseconds.
 * With `--classes C` (C > 2): the bench's ce4/ce8 shape, uniform classes, weights 1..C, 5% of the
 * pixels ignored (255). Run: `npx tsx packages/core/bench/cross-entropy.ts [--runs 40] [--classes 4]`.
 */
import { crossEntropy, Generator, getBackend, rand, Tensor, tensor } from '../src/index.js';
import { kernels } from '../src/kernels/index.js';

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 40;
const classesArg = process.argv.indexOf('--classes');
const [N, C, H, W] = [8, classesArg > 0 ? Number(process.argv[classesArg + 1]) : 2, 256, 256];
const ignoreIndex = C === 2 ? -100 : 255;
const g = new Generator(0);
const logits = rand([N, C, H, W], { generator: g }).mul(4).sub(2).detach();
const u = rand([N, H, W], { generator: g });
const target = C === 2
  ? new Tensor(Int32Array.from(u.data, (v) => (v < 0.05 ? 1 : 0)), [N, H, W])
  : new Tensor(Int32Array.from(u.data, (v) => (v < 0.05 ? ignoreIndex : Math.min(C - 1, Math.floor(((v - 0.05) / 0.95) * C)))), [N, H, W]);
const weight = C === 2 ? tensor([1, 9]) : tensor(Array.from({ length: C }, (_, k) => 1 + k));

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
  crossEntropy(x, target, { weight, ignoreIndex }).backward();
});

const S = H * W;
const out = new Float32Array(1);
const grad = new Float32Array(N * C * S);
const one = new Float32Array([1]);
const x = logits.data as Float32Array;
const t = target.data as Int32Array;
const w = weight.data as Float32Array;
const kernel = time(() => {
  const p = { n: N, c: C, spatial: S, ignoreIndex, labelSmoothing: 0, reduction: 'mean' as const };
  const saved = kernels().crossEntropyForward(x, t, w, out, null, p);
  kernels().crossEntropyBackward(x, t, w, saved, one, grad, { ...p, scale: 1 / saved.denominator });
});

console.log(`crossEntropy [${N}, ${C}, ${H}, ${W}] float32, weight [${Array.from(weight.data).join(', ')}], mean, forward + backward (backend ${getBackend()}, ${runs} runs)`);
console.log(`  op (checks, allocation, autograd): ${stats(op)}`);
console.log(`  kernels only:                      ${stats(kernel)}`);
