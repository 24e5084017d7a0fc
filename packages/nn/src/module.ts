/**
 * Module: the base class of layers and models, as `torch.nn.Module`.
 *
 * Parameters and submodules are found in the module's own fields, in definition order: a field
 * holding a Parameter (or a leaf tensor that requires a gradient) is a parameter named after the
 * field; a field holding a Module is a submodule; a field holding an array of Modules gives
 * submodules `field.0`, `field.1`, …. Buffers (state that is saved but not trained, such as
 * BatchNorm's running statistics) are registered explicitly with `registerBuffer`, under their
 * PyTorch names. Names are joined with dots as in PyTorch (`enc.0.conv.weight`), so a state dict
 * loads into the same architecture written in PyTorch.
 *
 * TS classes are not callable: run a module with `module.forward(x)`.
 *
 * @example
 * class Net extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   forward(x: Tensor) { return this.fc2.forward(relu(this.fc1.forward(x))); }
 * }
 * new Net().namedParameters().map(([n]) => n); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 */
import { noGrad, isFloatDType, type DType, type Tensor } from '@tessera/core';
import { Parameter, isInt64, isParameterLike, markInt64 } from './parameter.js';
import { formatModule } from './layers/repr.js';
import { loadInto, type LoadStateDictOptions, type LoadStateDictResult, type StateDict, type StateDictLike } from './state-dict.js';

export type { StateDict, StateDictLike, LoadStateDictOptions, LoadStateDictResult } from './state-dict.js';

interface BufferEntry {
  tensor: Tensor | null;
  persistent: boolean;
}

export interface RegisterBufferOptions {
  /** Saved in the state dict (default true), as PyTorch's `persistent`. */
  persistent?: boolean;
  /** PyTorch keeps this buffer as int64: `save` writes it as I64 (the tensor must be int32). */
  int64?: boolean;
}

const join = (prefix: string, name: string): string => (prefix === '' ? name : `${prefix}.${name}`);

export abstract class Module {
  /** Training mode (dropout active, BatchNorm uses batch statistics); see `train()` / `eval()`. */
  training = true;
  private readonly _buffers = new Map<string, BufferEntry>();

  abstract forward(...inputs: Tensor[]): Tensor;

  /** The module's own parameters (not its submodules'), in field order. */
  namedOwnParameters(): [string, Tensor][] {
    return Object.entries(this).filter((e): e is [string, Tensor] => isParameterLike(e[1]));
  }

  /** Direct submodules, in field order (arrays of modules give `field.0`, `field.1`, …). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) out.push([k, v]);
      else if (Array.isArray(v) && v.length > 0 && v.every((m) => m instanceof Module)) {
        v.forEach((m: Module, i) => out.push([`${k}.${i}`, m]));
      }
    }
    return out;
  }

  children(): Module[] { return this.namedChildren().map(([, m]) => m); }

  /** This module and every submodule, pre-order, each once, with its dotted name ('' for this one). */
  namedModules(prefix = '', memo = new Set<Module>()): [string, Module][] {
    if (memo.has(this)) return [];
    memo.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(join(prefix, name), memo));
    return out;
  }

  modules(): Module[] { return this.namedModules().map(([, m]) => m); }

  /** Every parameter with its dotted name, each tensor once, as `named_parameters()`. */
  namedParameters(): [string, Tensor][] {
    const seen = new Set<Tensor>();
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const [k, p] of m.namedOwnParameters()) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([join(prefix, k), p]);
      }
    }
    return out;
  }

  parameters(): Tensor[] { return this.namedParameters().map(([, p]) => p); }

  /** Number of parameter elements (only those that require a gradient with `trainableOnly`). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters().reduce((n, p) => n + (options.trainableOnly && !p.requiresGrad ? 0 : p.size), 0);
  }

  /** Registers (or replaces) a buffer under `name`, its PyTorch name; null registers an absent buffer. */
  registerBuffer(name: string, tensor: Tensor | null, options: RegisterBufferOptions = {}): void {
    if (name === '' || name.includes('.')) throw new Error(`registerBuffer: buffer name must be non-empty and contain no '.', got "${name}"`);
    if (name in this && !this._buffers.has(name)) throw new Error(`registerBuffer: "${name}" is already a field of ${this.constructor.name}`);
    if (tensor && options.int64) markInt64(tensor);
    this._buffers.set(name, { tensor, persistent: options.persistent ?? true });
  }

  /** The buffer registered under `name` (null when registered as absent). */
  getBuffer(name: string): Tensor | null {
    const entry = this._buffers.get(name);
    if (!entry) throw new Error(`getBuffer: ${this.constructor.name} has no buffer "${name}"`);
    return entry.tensor;
  }

  /** Own buffers (non-null), in registration order. */
  namedOwnBuffers(options: { persistentOnly?: boolean } = {}): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, e] of this._buffers) if (e.tensor && (e.persistent || !options.persistentOnly)) out.push([k, e.tensor]);
    return out;
  }

  namedBuffers(): [string, Tensor][] {
    return this.namedModules().flatMap(([prefix, m]) => m.namedOwnBuffers().map(([k, b]): [string, Tensor] => [join(prefix, k), b]));
  }

  buffers(): Tensor[] { return this.namedBuffers().map(([, b]) => b); }

  /** Sets training mode on this module and every submodule; returns this. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode, as `train(false)`. */
  eval(): this { return this.train(false); }

  /** Drops every parameter's gradient (sets `grad` to null, as PyTorch's `set_to_none=True`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Calls fn on every submodule (children first) and then on this module, as `Module.apply`. */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Converts float parameters and buffers to `dtype`, replacing them with new tensors (create the
   * optimiser after this). Int buffers are kept. Returns this.
   */
  to(dtype: DType): this {
    if (!isFloatDType(dtype)) throw new Error(`Module.to: dtype must be float32 or float64, got ${dtype}`);
    for (const m of this.modules()) {
      const fields = m as unknown as Record<string, unknown>;
      for (const [k, p] of m.namedOwnParameters()) {
        if (p.dtype !== dtype) fields[k] = new Parameter(noGrad(() => p.to(dtype)), p.requiresGrad);
      }
      for (const [k, e] of m._buffers) {
        if (e.tensor && isFloatDType(e.tensor.dtype) && e.tensor.dtype !== dtype) e.tensor = noGrad(() => e.tensor!.to(dtype));
      }
    }
    return this;
  }

  /**
   * Parameters and persistent buffers by dotted name, as `state_dict()`: own parameters, own
   * buffers, then each submodule's. The tensors share data with the module (no gradient).
   */
  stateDict(prefix = ''): StateDict {
    const out: StateDict = new Map();
    for (const [k, p] of this.stateTensors(prefix)) {
      const t = p.detach();
      out.set(k, isInt64(p) ? markInt64(t) : t);
    }
    return out;
  }

  /** The live tensors behind `stateDict()`, by name. */
  private stateTensors(prefix: string): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [k, p] of this.namedOwnParameters()) out.push([join(prefix, k), p]);
    for (const [k, b] of this.namedOwnBuffers({ persistentOnly: true })) out.push([join(prefix, k), b]);
    for (const [name, child] of this.namedChildren()) out.push(...child.stateTensors(join(prefix, name)));
    return out;
  }

  /**
   * Copies a state dict into this module's parameters and buffers, in place (optimisers keep
   * working). Every check runs before anything is copied: a shape mismatch always throws naming
   * the key; with `strict` (default) a missing or unexpected key throws naming it too.
   */
  loadStateDict(dict: StateDictLike, options: LoadStateDictOptions = {}): LoadStateDictResult {
    return loadInto(this.constructor.name, new Map(this.stateTensors('')), dict, options);
  }

  /** Extra text in the repr, e.g. `in_features=4, out_features=2, bias=True`. */
  extraRepr(): string { return ''; }

  /** PyTorch's module repr: `Name(extra)` with children as indented `(name): Child(...)` lines. */
  toString(): string {
    return formatModule(this.constructor.name, this.extraRepr(), this.namedChildren().map(([k, m]): [string, string] => [k, m.toString()]));
  }
}
