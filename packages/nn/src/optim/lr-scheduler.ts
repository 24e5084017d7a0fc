/**
 * Learning-rate schedulers, as `torch.optim.lr_scheduler` (PyTorch 1.13). Each keeps `lastEpoch`
 * (−1 before the first step); construction performs the first `step()`, which sets epoch 0 and
 * leaves the rates at their initial values. Call `step()` once per epoch, after `optimizer.step()`.
 * Like PyTorch's `get_lr`, the rates are computed recursively from the group's current `lr`, so
 * the sequence matches PyTorch's exactly (including CosineAnnealingLR past `tMax`).
 *
 *   StepLR:            lr_e = lr_{e−1} · γ  when e > 0 and e mod stepSize = 0, else lr_{e−1}
 *                      (closed form: base · γ^⌊e / stepSize⌋)
 *   ExponentialLR:     lr_e = lr_{e−1} · γ  for e > 0  (closed form: base · γ^e)
 *   CosineAnnealingLR: lr_e = η_min + (lr_{e−1} − η_min) · (1 + cos(π e / T)) / (1 + cos(π (e−1) / T)),
 *                      and lr_e = lr_{e−1} + (base − η_min) · (1 − cos(π / T)) / 2 when (e − 1 − T) mod 2T = 0
 *                      (closed form: η_min + (base − η_min) · (1 + cos(π e / T)) / 2)
 *
 * @example
 * const sched = new CosineAnnealingLR(opt, 10); // torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
 * for (let epoch = 0; epoch < 20; epoch++) { train(); sched.step(); }
 */
import { checkNumber, checkOptions, describeValue } from '@tessera/core';
import type { BaseGroup } from './optimizer.js';

/** What a scheduler needs of an optimiser: its groups' learning rates. */
export interface HasParamGroups {
  readonly paramGroups: BaseGroup[];
}

export interface SchedulerOptions {
  /** The index of the last epoch when resuming (default −1: start afresh). */
  lastEpoch?: number;
}

export interface SchedulerStateDict {
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
}

/** Python's modulo (the result has the divisor's sign). */
const pyMod = (a: number, m: number): number => ((a % m) + m) % m;

export abstract class LRScheduler {
  lastEpoch: number;
  readonly baseLrs: number[];
  protected stepCount = 0;
  private lastLr: number[] = [];

  protected constructor(readonly optimizer: HasParamGroups, options: SchedulerOptions = {}) {
    const lastEpoch = options.lastEpoch ?? -1;
    const name = this.constructor.name;
    if (!Array.isArray((optimizer as { paramGroups?: unknown } | null)?.paramGroups)) {
      throw new Error(`${name}: optimizer must be an optimizer (with paramGroups), got ${describeValue(optimizer)}`);
    }
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw new Error(`${name}: lastEpoch must be an integer >= -1, got ${lastEpoch}`);
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) throw new Error(`${name}: param group ${i} has no initialLr, needed when resuming with lastEpoch=${lastEpoch}`);
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** Subclasses call this at the end of their constructor (PyTorch's `_initial_step`). */
  protected initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The rates for `lastEpoch`, computed from the groups' current rates. */
  protected abstract getLr(): number[];

  /** Advances one epoch and writes the new rates into the optimiser's groups. */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    const lrs = this.getLr();
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
    this.lastLr = lrs;
  }

  /** The rates set by the last `step()`, as `get_last_lr()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, stepCount: this.stepCount, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr] };
  }

  loadStateDict(state: SchedulerStateDict): void {
    if (state.baseLrs.length !== this.baseLrs.length) {
      throw new Error(`${this.constructor.name}.loadStateDict: the state has ${state.baseLrs.length} base rates, the optimizer ${this.baseLrs.length} groups`);
    }
    this.lastEpoch = state.lastEpoch;
    this.stepCount = state.stepCount;
    this.baseLrs.splice(0, this.baseLrs.length, ...state.baseLrs);
    this.lastLr = [...state.lastLr];
  }

  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}

/** Multiplies the rate by `gamma` every `stepSize` epochs, as `StepLR`. */
export class StepLR extends LRScheduler {
  readonly gamma: number;
  constructor(optimizer: HasParamGroups, readonly stepSize: number, options: SchedulerOptions & { gamma?: number } = {}) {
    super(optimizer, options);
    checkOptions('StepLR', options, ['lastEpoch', 'gamma']);
    if (!Number.isInteger(stepSize) || stepSize < 1) throw new Error(`StepLR: stepSize must be a positive integer, got ${describeValue(stepSize)}`);
    checkNumber('StepLR', 'gamma', options.gamma);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }
}

/** Multiplies the rate by `gamma` every epoch, as `ExponentialLR`. */
export class ExponentialLR extends LRScheduler {
  constructor(optimizer: HasParamGroups, readonly gamma: number, options: SchedulerOptions = {}) {
    super(optimizer, options);
    checkOptions('ExponentialLR', options, ['lastEpoch']);
    checkNumber('ExponentialLR', 'gamma', gamma, {}, false);
    this.initialStep();
  }

  protected getLr(): number[] {
    const lrs = this.currentLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }
}

/** Cosine annealing from the base rate to `etaMin` over `tMax` epochs, as `CosineAnnealingLR`. */
export class CosineAnnealingLR extends LRScheduler {
  readonly etaMin: number;
  constructor(optimizer: HasParamGroups, readonly tMax: number, options: SchedulerOptions & { etaMin?: number } = {}) {
    super(optimizer, options);
    checkOptions('CosineAnnealingLR', options, ['lastEpoch', 'etaMin']);
    if (!Number.isInteger(tMax) || tMax < 1) throw new Error(`CosineAnnealingLR: tMax must be a positive integer, got ${describeValue(tMax)}`);
    checkNumber('CosineAnnealingLR', 'etaMin', options.etaMin);
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { lastEpoch: e, tMax: T, etaMin } = this;
    const lrs = this.currentLrs();
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    }
    if (pyMod(e - 1 - T, 2 * T) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return lrs.map((lr) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (lr - etaMin) + etaMin);
  }
}
