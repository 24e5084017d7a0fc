/**
 * Optimizer: the base of SGD, Adam and AdamW, as `torch.optim.Optimizer`. Parameters sit in
 * groups, each with its own hyper-parameters (`lr`, …); schedulers change `group.lr`. Per-parameter
 * state (momentum buffers, moments) is kept in typed arrays of the parameter's dtype and updated in
 * place by `step()`, which touches only `param.data`: no graph is recorded and nothing is allocated
 * per element. Each updated parameter's version is bumped (`markModified`), as PyTorch's in-place
 * update does, so a graph that saved it before the step refuses to backward.
 */
import { Tensor, checkBool, checkNumber, checkOptions, describeValue, formatShape, markModified, noGrad, type FloatArray } from '@tessera/core';

/** What every group has: its parameters and a learning rate (plus `initialLr` once a scheduler ran). */
export interface BaseGroup {
  params: Tensor[];
  lr: number;
  initialLr?: number;
}

/** Parameters, or groups of parameters with per-group overrides of the defaults. */
export type ParamsInput<O> = Iterable<Tensor> | ReadonlyArray<{ params: Iterable<Tensor> } & Partial<O>>;

/** Per-parameter state: typed arrays (saved as tensors) and numbers (`step`). */
export type ParamState = Record<string, FloatArray | number>;

export interface OptimizerStateDict {
  /** State by parameter index (counting through the groups in order, as PyTorch). */
  state: Map<number, Record<string, Tensor | number>>;
  /** Each group's hyper-parameters, with `params` as indices. */
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

export abstract class Optimizer<O extends { lr: number }> {
  readonly paramGroups: (O & BaseGroup)[];
  readonly defaults: O;
  protected readonly state = new Map<Tensor, ParamState>();

  /**
   * `defaults` are the optimiser's own; `options` what the caller gave (checked: known keys only,
   * numbers and booleans of the right type, then `validate` for the ranges).
   */
  protected constructor(name: string, params: ParamsInput<O>, defaults: O, options: unknown = {}) {
    checkOptions(name, options, Object.keys(defaults));
    const types = defaults as Record<string, unknown>;
    defaults = { ...defaults, ...(options as Partial<O>) };
    this.defaults = defaults;
    if (params === null || typeof (params as { [Symbol.iterator]?: unknown })?.[Symbol.iterator] !== 'function') {
      throw new Error(`${name}: params must be an iterable of tensors or of parameter groups, got ${describeValue(params)}`);
    }
    const list = [...(params as Iterable<Tensor | ({ params: Iterable<Tensor> } & Partial<O>)>)];
    if (list.length === 0) throw new Error(`${name}: optimizer got an empty parameter list`);
    const groups = list.every((p) => p instanceof Tensor) ? [{ params: list as Tensor[] }] : list;
    const seen = new Set<Tensor>();
    this.paramGroups = groups.map((g, gi) => {
      if (g instanceof Tensor) throw new Error(`${name}: params must be all tensors or all groups, got a tensor at index ${gi}`);
      if (g === null || typeof g !== 'object' || typeof (g as { params?: { [Symbol.iterator]?: unknown } }).params?.[Symbol.iterator] !== 'function') {
        throw new Error(`${name}: params[${gi}] must be a Tensor or a parameter group { params, … }, got ${describeValue(g)}`);
      }
      const group = { ...defaults, ...g, params: [...g.params] } as O & BaseGroup;
      group.params.forEach((p, i) => {
        if (!(p instanceof Tensor)) throw new Error(`${name}: group ${gi} param ${i} is not a Tensor`);
        if (p.dtype === 'int32') throw new Error(`${name}: group ${gi} param ${i} is int32 (shape ${formatShape(p.shape)}); only float tensors can be optimised`);
        if (!p.isLeaf) throw new Error(`${name}: group ${gi} param ${i} is not a leaf tensor`);
        if (seen.has(p)) throw new Error(`${name}: a parameter appears in more than one group (group ${gi}, index ${i})`);
        seen.add(p);
      });
      for (const [k, v] of Object.entries(group)) {
        if (k === 'params') continue;
        const d = types[k];
        if (typeof d === 'number') checkNumber(name, k, v, { infinite: true });
        else if (typeof d === 'boolean') checkBool(name, k, v);
      }
      this.validate(group);
      return group;
    });
  }

  /** Throws when a group's hyper-parameters are invalid, naming the optimiser and the argument. */
  protected abstract validate(group: O & BaseGroup): void;

  /** Updates one parameter in place from its gradient; `state` starts as {}. */
  protected abstract update(p: Tensor, grad: FloatArray, state: ParamState, group: O & BaseGroup): void;

  /** One optimisation step over every parameter that has a gradient. */
  step(): void {
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          if (p.grad === null) continue;
          if (p.grad.size !== p.size) throw new Error(`step: grad of shape ${formatShape(p.grad.shape)} for a parameter of shape ${formatShape(p.shape)}`);
          let st = this.state.get(p);
          if (!st) this.state.set(p, (st = {}));
          this.update(p, p.grad.data as FloatArray, st, group);
          markModified(p); // changed in place: a backward that saved p (a forward before this step) refuses to run
        }
      }
    });
  }

  /** Drops every parameter's gradient (sets `grad` to null, as `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /** A copy of the state and hyper-parameters, to resume training with `loadStateDict`. */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = new Map();
    const paramGroups: OptimizerStateDict['paramGroups'] = [];
    let index = 0;
    for (const group of this.paramGroups) {
      const ids: number[] = [];
      for (const p of group.params) {
        const st = this.state.get(p);
        if (st) {
          const copy: Record<string, Tensor | number> = {};
          for (const [k, v] of Object.entries(st)) copy[k] = typeof v === 'number' ? v : new Tensor(v.slice(), p.shape);
          state.set(index, copy);
        }
        ids.push(index++);
      }
      const { params: _params, ...hyper } = group;
      paramGroups.push({ ...hyper, params: ids });
    }
    return { state, paramGroups };
  }

  /** Restores what `stateDict()` returned (for an optimiser over the same parameters). */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: the state has ${dict.paramGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }
    const params: Tensor[] = [];
    dict.paramGroups.forEach((g, gi) => {
      const own = this.paramGroups[gi]!.params;
      if (g.params.length !== own.length) {
        throw new Error(`${name}.loadStateDict: group ${gi} has ${g.params.length} parameters in the state, ${own.length} in the optimizer`);
      }
      params.push(...own);
    });
    const restored = new Map<Tensor, ParamState>();
    for (const [i, st] of dict.state) {
      const p = params[i];
      if (!p) throw new Error(`${name}.loadStateDict: state for parameter ${i}, but there are ${params.length} parameters`);
      const copy: ParamState = {};
      for (const [k, v] of Object.entries(st)) {
        if (typeof v === 'number') copy[k] = v;
        else if (v.size !== p.size) throw new Error(`${name}.loadStateDict: state "${k}" of parameter ${i} has shape ${formatShape(v.shape)}, the parameter ${formatShape(p.shape)}`);
        else {
          const arr = zerosFor(p);
          arr.set(v.data);
          copy[k] = arr;
        }
      }
      restored.set(p, copy);
    }
    this.state.clear();
    for (const [p, st] of restored) this.state.set(p, st);
    dict.paramGroups.forEach((g, gi) => {
      const { params: _params, ...hyper } = g;
      Object.assign(this.paramGroups[gi]!, hyper);
    });
  }
}

/** A zero-filled array of the parameter's dtype. */
export function zerosFor(p: Tensor): FloatArray {
  return p.data instanceof Float64Array ? new Float64Array(p.size) : new Float32Array(p.size);
}
