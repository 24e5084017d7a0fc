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
import { ReLU } from './activation.js';
import { BatchNorm2d } from './batch-norm.js';
import { Conv2d } from './conv.js';

/** A list of submodules named by index; the base of Sequential. */
export class ModuleList extends Module {
  private readonly items: Module[] = [];

  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') {
      throw new Error(`${this.constructor.name}: expected an iterable of Modules (each entry a Module), got ${typeof modules}`);
    }
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

/**
 * Runs its modules in order, each on the previous one's output. A Conv2d or BatchNorm2d directly
 * followed by a ReLU (none subclassed) runs as one fused op (conv2dRelu, batchNormRelu): the same
 * values as the two modules in turn, without the intermediate tensor and its extra passes.
 */
export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(x: Tensor): Tensor {
    let y = x;
    const n = this.length;
    for (let i = 0; i < n; i++) {
      const m = this.at(i);
      const next = i + 1 < n ? this.at(i + 1) : null;
      if (next !== null && fusesWithRelu(m, next)) {
        y = (m as Conv2d | BatchNorm2d).forwardRelu(y);
        i++;
      } else {
        y = m.forward(y);
      }
    }
    return y;
  }
}

/** A plain Conv2d or BatchNorm2d followed by a plain ReLU (no subclass, no forward replaced on the instance). */
function fusesWithRelu(m: Module, next: Module): boolean {
  const plain = (x: Module, cls: { prototype: object }): boolean =>
    Object.getPrototypeOf(x) === cls.prototype && !Object.prototype.hasOwnProperty.call(x, 'forward');
  return (plain(m, Conv2d) || plain(m, BatchNorm2d)) && plain(next, ReLU);
}

/** Returns its input unchanged, as `nn.Identity`. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
