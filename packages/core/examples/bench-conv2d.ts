// Times conv2d forward + backward on the reference workload (../shared/bench/WORKLOADS.md, "conv"):
// N = 8, C_in = C_out = 32, 64 × 64, 3 × 3, padding 1, no bias, float32; median of the timed steps.
// Usage: npx tsx packages/core/examples/bench-conv2d.ts [steps]
import { conv2d, Generator, getBackend, randn } from '@tessera/core';

const steps = Number(process.argv[2] ?? 10);
const g = new Generator(0);
const [n, c, o, h, w, k] = [8, 32, 32, 64, 64, 3];
const x = randn([n, c, h, w], { generator: g, requiresGrad: true });
const weight = randn([o, c, k, k], { generator: g, requiresGrad: true });
const upstream = randn([n, o, h, w], { generator: g });
const forwardFlop = 2 * n * o * h * w * c * k * k;

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const fwd: number[] = [];
const total: number[] = [];
for (let i = 0; i < steps + 2; i++) {
  x.grad = null;
  weight.grad = null;
  const t0 = performance.now();
  const y = conv2d(x, weight, null, { padding: 1 });
  const t1 = performance.now();
  y.backward(upstream);
  const t2 = performance.now();
  if (i >= 2) {
    fwd.push(t1 - t0);
    total.push(t2 - t0);
  }
}
const report = (name: string, ms: number, flop: number): void =>
  console.log(`${name}: ${ms.toFixed(1)} ms, ${(flop / ms / 1e6).toFixed(2)} GFLOP/s`);
console.log(`conv2d [${n}, ${c}, ${h}, ${w}] -> [${n}, ${o}, ${h}, ${w}], 3x3, padding 1, float32, backend ${getBackend()}, median of ${steps}`);
report('forward', median(fwd), forwardFlop);
report('forward + backward', median(total), 3 * forwardFlop);
