/**
 * Activation layers: ReLU, LeakyReLU, GELU and Softplus, as `torch.nn.ReLU`, `nn.LeakyReLU`,
 * `nn.GELU` and `nn.Softplus` (over core's relu, leakyRelu, gelu and softplus).
 *
 * @example
 * new LeakyReLU(0.2).forward(tensor([-1, 2])) // tensor([-0.2, 2]); PyTorch: nn.LeakyReLU(0.2)(x)
 * new GELU({ approximate: 'tanh' }).forward(x) // PyTorch: nn.GELU(approximate='tanh')(x)
 * new Softplus({ beta: 2 }).forward(x) // PyTorch: nn.Softplus(beta=2)(x)
 */
import { checkNumber, describeValue, gelu, leakyRelu, relu, softplus, type GeluOptions, type SoftplusOptions, type Tensor } from '@tessera/core';
import { Module } from '../module.js';
import { checkLayerOptions } from './layer-args.js';
import { pyFloat } from './repr.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkNumber('LeakyReLU', 'negativeSlope', negativeSlope, { infinite: true });
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, { negativeSlope: this.negativeSlope });
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';

  constructor(options: GeluOptions = {}) {
    super();
    checkLayerOptions('GELU', options, ['approximate']);
    const { approximate = 'none' } = options;
    if (approximate !== 'none' && approximate !== 'tanh') throw new Error(`GELU: approximate must be 'none' or 'tanh', got ${describeValue(approximate)}`);
    this.approximate = approximate;
  }

  forward(x: Tensor): Tensor {
    return gelu(x, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;

  constructor(options: SoftplusOptions = {}) {
    super();
    checkLayerOptions('Softplus', options, ['beta', 'threshold']);
    checkNumber('Softplus', 'beta', options.beta, { infinite: true });
    checkNumber('Softplus', 'threshold', options.threshold, { infinite: true });
    this.beta = options.beta ?? 1;
    this.threshold = options.threshold ?? 20;
  }

  forward(x: Tensor): Tensor {
    return softplus(x, { beta: this.beta, threshold: this.threshold });
  }

  /** As PyTorch's `beta=1, threshold=20` (its defaults are Python ints, so no `.0`). */
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}
