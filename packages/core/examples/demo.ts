// A small demo of autograd: fit y = 2x + 1 by gradient descent, then gradcheck a composite op.
import { Generator, noGrad, randn, tensor } from '@tessera/core';
import { gradcheck } from '@tessera/core/testing';

const g = new Generator(0);
const x = randn([64, 1], { generator: g });
const y = x.mul(2).add(1);
const w = tensor([[0]], { requiresGrad: true });
const b = tensor([0], { requiresGrad: true });
for (let step = 0; step <= 100; step++) {
  const loss = x.matmul(w).add(b).sub(y).pow(2).mean();
  w.grad = null;
  b.grad = null;
  loss.backward();
  noGrad(() => {
    w.data[0]! -= 0.1 * w.grad!.data[0]!;
    b.data[0]! -= 0.1 * b.grad!.data[0]!;
  });
  if (step % 25 === 0) console.log(`step ${step}: loss ${loss.item().toFixed(6)}`);
}
console.log(`learned w = ${w.item().toFixed(4)}, b = ${b.item().toFixed(4)} (true: 2, 1)`);

const t = randn([3, 4], { dtype: 'float64', generator: g, requiresGrad: true });
gradcheck((v) => v.tanh().softmax(1).mul(v).sum(1), [t], { name: 'tanh-softmax-mul' });
console.log('gradcheck passed for tanh → softmax → mul → sum');
