/**
 * Regression loss modules MSELoss, L1Loss and SmoothL1Loss, as `torch.nn.MSELoss`, `nn.L1Loss` and
 * `nn.SmoothL1Loss` (over core's mseLoss, l1Loss and smoothL1Loss; `forward(input, target)`). They
 * hold only their options; their reprs are PyTorch's (`MSELoss()`: its loss modules print no options).
 *
 * @example
 * new MSELoss().forward(prediction, target) // PyTorch: nn.MSELoss()(prediction, target)
 * new SmoothL1Loss({ beta: 0.5, reduction: 'sum' }).forward(x, y) // PyTorch: nn.SmoothL1Loss(reduction='sum', beta=0.5)(x, y)
 */
import { checkNumber, checkOptions, checkReduction, l1Loss, mseLoss, smoothL1Loss, type Reduction, type RegressionLossOptions, type SmoothL1LossOptions, type Tensor } from '@tessera/core';
import { Module } from '../module.js';

/** What the three share, as PyTorch's `_Loss`: the reduction ('mean' by default). */
abstract class ReducedLoss extends Module {
  readonly reduction: Reduction;

  constructor(options: RegressionLossOptions = {}, extraKeys: readonly string[] = []) {
    super();
    const name = this.constructor.name;
    checkOptions(name, options, ['reduction', ...extraKeys]);
    const { reduction = 'mean' } = options;
    checkReduction(name, reduction); // PyTorch checks it only at the forward; here it names the module where it was set
    this.reduction = reduction;
  }

  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

export class MSELoss extends ReducedLoss {
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

export class L1Loss extends ReducedLoss {
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

export class SmoothL1Loss extends ReducedLoss {
  readonly beta: number;

  constructor(options: SmoothL1LossOptions = {}) {
    super(options, ['beta']);
    checkNumber('SmoothL1Loss', 'beta', options.beta, { min: 0 });
    this.beta = options.beta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
