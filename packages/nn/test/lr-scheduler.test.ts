import { zeros } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, ExponentialLR, type LRScheduler, SGD, StepLR } from '../src/index.js';
import { expectClose } from './quadratic.js';

const makeOpt = (lr = 0.1): SGD => new SGD([zeros([1], { requiresGrad: true })], { lr });

/** The lr at construction (epoch 0) and after each of n scheduler steps. */
function sequence(make: (opt: SGD) => LRScheduler, n = 20): number[] {
  const opt = makeOpt();
  const s = make(opt);
  const out = [opt.paramGroups[0]!.lr];
  for (let i = 0; i < n; i++) {
    opt.step();
    s.step();
    out.push(opt.paramGroups[0]!.lr);
  }
  return out;
}

// The sequences below were printed by PyTorch 1.13 (optimizer.param_groups[0]['lr'] at construction
// and after each of 20 scheduler.step() calls, SGD with lr 0.1).
describe('StepLR', () => {
  it('halves every 3 epochs: lr_e = 0.1 · 0.5^⌊e/3⌋, as PyTorch', () => {
    const closed = Array.from({ length: 21 }, (_, e) => 0.1 * 0.5 ** Math.floor(e / 3));
    const torch = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.0125, 0.00625, 0.00625, 0.00625, 0.003125, 0.003125, 0.003125, 0.0015625, 0.0015625, 0.0015625];
    const got = sequence((o) => new StepLR(o, 3, { gamma: 0.5 }));
    expectClose(got, torch, 0, 1e-15);
    expectClose(got, closed, 0, 1e-15);
  });
});

describe('ExponentialLR', () => {
  it('multiplies by gamma each epoch, reproducing PyTorch\'s rounding', () => {
    const torch = [0.1, 0.09000000000000001, 0.08100000000000002, 0.07290000000000002, 0.06561000000000002, 0.05904900000000002, 0.05314410000000002, 0.04782969000000002, 0.043046721000000024, 0.03874204890000002, 0.03486784401000002, 0.03138105960900001, 0.028242953648100012, 0.025418658283290013, 0.022876792454961013, 0.020589113209464913, 0.01853020188851842, 0.01667718169966658, 0.015009463529699923, 0.013508517176729932, 0.01215766545905694];
    // Recursive (lr·γ each step) as PyTorch, so the numbers match to the last bit.
    expect(sequence((o) => new ExponentialLR(o, 0.9))).toEqual(torch);
  });
});

describe('CosineAnnealingLR', () => {
  it('T_max = 5, eta_min = 0.01: anneals down and back up (recursive form past T_max), as PyTorch', () => {
    const torch = [0.1, 0.09140576474687263, 0.06890576474687263, 0.04109423525312736, 0.018594235253127367, 0.01, 0.018594235253127367, 0.04109423525312739, 0.06890576474687267, 0.09140576474687269, 0.10000000000000006, 0.09140576474687272, 0.06890576474687268, 0.0410942352531274, 0.01859423525312738, 0.01, 0.018594235253127367, 0.04109423525312739, 0.0689057647468727, 0.09140576474687272, 0.10000000000000012];
    const got = sequence((o) => new CosineAnnealingLR(o, 5, { etaMin: 0.01 }));
    expectClose(got, torch, 1e-17, 1e-14);
    // Closed form η_min + (base − η_min)(1 + cos(π e / T))/2 agrees to rounding.
    expectClose(got, got.map((_, e) => 0.01 + (0.09 * (1 + Math.cos((Math.PI * e) / 5))) / 2), 1e-15, 1e-12);
  });

  it('T_max = 7, eta_min = 0 reaches exactly 0 at epoch 7, as PyTorch', () => {
    const torch = [0.1, 0.09504844339512096, 0.08117449009293669, 0.061126046697815725, 0.03887395330218429, 0.018825509907063328, 0.004951556604879048, 0.0, 0.004951556604879043, 0.018825509907063314, 0.03887395330218427, 0.06112604669781568, 0.08117449009293667, 0.09504844339512099, 0.10000000000000002, 0.09504844339512099, 0.0811744900929367, 0.061126046697815704, 0.0388739533021843, 0.018825509907063342, 0.004951556604879055];
    const got = sequence((o) => new CosineAnnealingLR(o, 7));
    expectClose(got, torch, 1e-17, 1e-14);
    expect(got[7]).toBe(0);
  });
});

describe('LRScheduler', () => {
  it('sets initialLr, reports getLastLr, and resumes from stateDict', () => {
    const opt = makeOpt(0.2);
    const s = new StepLR(opt, 2);
    expect(opt.paramGroups[0]!.initialLr).toBe(0.2);
    s.step();
    s.step();
    expect(s.getLastLr()).toEqual([0.020000000000000004]);
    const state = s.stateDict();
    // Resume as in PyTorch: build optimiser and scheduler afresh, then load both states.
    const opt2 = makeOpt(0.2);
    const s2 = new StepLR(opt2, 2);
    opt2.loadStateDict(opt.stateDict());
    s2.loadStateDict(state);
    expect(s2.lastEpoch).toBe(2);
    s.step();
    s.step();
    s2.step();
    s2.step();
    expect(opt2.paramGroups[0]!.lr).toBe(opt.paramGroups[0]!.lr);
  });

  it('rejects bad arguments', () => {
    expect(() => new StepLR(makeOpt(), 0)).toThrow(/StepLR: stepSize must be a positive integer, got 0/);
    expect(() => new CosineAnnealingLR(makeOpt(), 0)).toThrow(/tMax must be a positive integer/);
    expect(() => new ExponentialLR(makeOpt(), 0.9, { lastEpoch: 3 })).toThrow(/no initialLr/);
  });
});
