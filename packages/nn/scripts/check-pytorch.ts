/**
 * Writes Tessera checkpoints and reference input/output files, to check by hand that they load
 * into PyTorch and give the same output there (not part of the tests: PyTorch is not required).
 *
 *   npx tsx packages/nn/scripts/check-pytorch.ts /tmp/tessera-check
 *   cd packages/nn/scripts && python3 load_safetensors.py /tmp/tessera-check/fcsiamdiff.safetensors \
 *       --model fcsiamdiff --depth 2 --base-width 8 --check /tmp/tessera-check/fcsiamdiff.io.safetensors
 *
 * Each model first takes a few SGD steps in training mode, so that BatchNorm's running statistics
 * and num_batches_tracked are not at their initial values, then runs in eval mode.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Generator, gather, logSoftmax, rand, randint, type Tensor } from '@tessera/core';
import { FCEF, FCSiamDiff, type Module, ReferenceSegmenter, SGD, save } from '@tessera/nn';

const dir = process.argv[2] ?? '/tmp/tessera-check';
mkdirSync(dir, { recursive: true });
const g = new Generator(1234);

function nll(logits: Tensor, target: Tensor): Tensor {
  return gather(logSoftmax(logits, 1), 1, target.unsqueeze(1)).mean().neg();
}

function exportModel(name: string, model: Module, run: (m: Module, x1: Tensor, x2: Tensor) => Tensor): void {
  const x1 = rand([2, 3, 16, 16], { generator: g });
  const x2 = rand([2, 3, 16, 16], { generator: g });
  const target = randint(0, 2, [2, 16, 16], { generator: g });
  const opt = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    nll(run(model, x1, x2), target).backward();
    opt.step();
  }
  model.eval();
  const y = run(model, x1, x2).detach();
  save(model, join(dir, `${name}.safetensors`), { metadata: { format: 'pt', model: name } });
  save(new Map([['x1', x1], ['x2', x2], ['y', y]]), join(dir, `${name}.io.safetensors`));
  console.log(`${name}: ${model.numParameters()} parameters, ${model.stateDict().size} tensors -> ${join(dir, `${name}.safetensors`)}`);
}

const pair = (m: Module, x1: Tensor, x2: Tensor): Tensor => m.forward(x1, x2);
exportModel('reference', new ReferenceSegmenter({ generator: g }), pair);
exportModel('fcsiamdiff', new FCSiamDiff({ depth: 2, baseWidth: 8, generator: g }), pair);
exportModel('fcef', new FCEF({ depth: 2, baseWidth: 8, upsample: 'transposed', generator: g }), pair);
exportModel('fcsiamdiff-nobn', new FCSiamDiff({ depth: 3, baseWidth: 4, batchNorm: false, generator: g }), pair);
