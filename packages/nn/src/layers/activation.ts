/**
 * Activation layers: ReLU and LeakyReLU, as `torch.nn.ReLU` / `torch.nn.LeakyReLU`.
 *
 * @example
 * new LeakyReLU(0.2).forward(tensor([-1, 2])) // tensor([-0.2, 2]); PyTorch: nn.LeakyReLU(0.2)(x)
 */
import { leakyRelu, relu, type Tensor } from '@tessera/core';
import { Module } from '../module.js';
import { pyFloat } from './repr.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
}

export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
  }

  forward(x: Tensor): Tensor {
    return leakyRelu(x, { negativeSlope: this.negativeSlope });
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}
