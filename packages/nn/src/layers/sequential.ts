/**
 * Containers: Sequential (children run in order, named '0', '1', …), ModuleList (an indexable list
 * of submodules without a forward of its own) and Identity, as in `torch.nn`.
 *
 * @example
 * const net = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new ReLU());
 * net.namedParameters().map(([n]) => n) // ['0.weight', '0.bias']
 */
import type { Tensor } from '@tessera/core';
import { Module } from '../module.js';

/** A list of submodules named by index; the base of Sequential. */
export class ModuleList extends Module {
  private readonly items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    for (const m of modules) this.append(m);
  }

  append(m: Module): this {
    if (!(m instanceof Module)) throw new Error(`${this.constructor.name}: entry ${this.items.length} is not a Module`);
    this.items.push(m);
    return this;
  }

  get length(): number {
    return this.items.length;
  }

  /** The i-th module (negative i counts from the end). */
  at(i: number): Module {
    const m = this.items.at(i);
    if (!m) throw new Error(`${this.constructor.name}: index ${i} is out of range for ${this.items.length} modules`);
    return m;
  }

  [Symbol.iterator](): Iterator<Module> {
    return this.items[Symbol.iterator]();
  }

  override namedChildren(): [string, Module][] {
    return this.items.map((m, i) => [String(i), m]);
  }

  forward(..._inputs: Tensor[]): Tensor {
    throw new Error(`${this.constructor.name}: a ModuleList has no forward; call its modules`);
  }
}

/** Runs its modules in order, each on the previous one's output. */
export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this) y = m.forward(y);
    return y;
  }
}

/** Returns its input unchanged, as `nn.Identity`. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
