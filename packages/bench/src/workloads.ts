/**
 * The workloads as data: the three of the project's WORKLOADS.md (segstep, conv, ce) and three
 * of issue 9 (ce4, ce8: multi-class weighted cross-entropy with ignored pixels; smallseg: a 4-class
 * U-Net step with batch norm and Adam); shapes, layer lists and the FLOP counts derived from them.
 *
 * FLOP convention (WORKLOADS.md): a multiply-add counts as 2 FLOPs; only convolution
 * multiply-adds are counted (bias adds, ReLU, pooling, upsampling, concat and the loss are
 * a few MFLOP and are left out); forward + backward of a conv ≈ 3 × its forward FLOPs
 * (forward, input gradient, weight gradient: one GEMM each of the same size).
 */

export type WorkloadName = 'segstep' | 'conv' | 'ce' | 'ce4' | 'ce8' | 'smallseg';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['segstep', 'conv', 'ce', 'ce4', 'ce8', 'smallseg'];

/** One 2-D convolution layer (square kernel, stride 1, "same" padding as in the segmenter). */
export interface ConvLayer {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  readonly kernel: number;
  readonly padding: number;
  /** Spatial size (H = W) of the layer's input and output. */
  readonly size: number;
  /** ReLU after the conv (every conv but the head). */
  readonly relu: boolean;
}

/** segstep: N = 8, 6 input channels, 64 × 64, two classes, weights [1, 9], SGD lr 0.01. */
export const SEGSTEP = {
  batch: 8,
  inChannels: 6,
  size: 64,
  classes: 2,
  classWeights: [1, 9] as const,
  positiveFraction: 0.05,
  lr: 0.01,
  parameters: 70_226,
} as const;

/**
 * The reference segmenter's convolutions in forward order (WORKLOADS.md):
 * enc1 (64×64) → maxpool → enc2 (32×32) → maxpool → bottleneck (16×16) → up ×2, cat enc2 →
 * dec2 (32×32) → up ×2, cat enc1 → dec1 (64×64) → 1×1 head.
 */
export const SEGMENTER_LAYERS: readonly ConvLayer[] = [
  { name: 'enc1.0', cin: 6, cout: 16, kernel: 3, padding: 1, size: 64, relu: true },
  { name: 'enc1.1', cin: 16, cout: 16, kernel: 3, padding: 1, size: 64, relu: true },
  { name: 'enc2.0', cin: 16, cout: 32, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'enc2.1', cin: 32, cout: 32, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'bottleneck', cin: 32, cout: 64, kernel: 3, padding: 1, size: 16, relu: true },
  { name: 'dec2', cin: 64 + 32, cout: 32, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'dec1', cin: 32 + 16, cout: 16, kernel: 3, padding: 1, size: 64, relu: true },
  { name: 'head', cin: 16, cout: 2, kernel: 1, padding: 0, size: 64, relu: false },
];

/** conv: N = 8, C_in = C_out = 32, 64 × 64, 3 × 3, padding 1, no bias. */
export const CONV = { batch: 8, cin: 32, cout: 32, size: 64, kernel: 3, padding: 1 } as const;

/** ce: logits [8, 2, 256, 256], about 5% ones, weight [1, 9], mean reduction. */
export const CE = { batch: 8, classes: 2, size: 256, classWeights: [1, 9] as const, positiveFraction: 0.05 } as const;

/**
 * ce4, ce8: weighted cross-entropy of logits [8, C, 256, 256] (uniform [0, 1)), mean reduction;
 * targets uniform over the C classes, with about 5% of the pixels set to ignoreIndex 255; class
 * weights 1, 2, …, C. Forward and the gradient of the logits.
 */
export const CE_MULTI = { batch: 8, size: 256, ignoreIndex: 255, ignoreFraction: 0.05 } as const;
export const CE_MULTI_CLASSES = { ce4: 4, ce8: 8 } as const;
export const ceMultiWeights = (classes: number): number[] => Array.from({ length: classes }, (_, k) => 1 + k);

/**
 * smallseg: one training step of a 4-class U-Net with batch norm (SmallSegmenter in
 * small-segmenter.ts) on 16 × 3 × 32 × 32 (uniform [0, 1)); targets with class frequencies
 * 70/15/10/5% and about 5% of the pixels ignored (255); weighted mean CE; Adam (lr 1e-3).
 */
export const SMALLSEG = {
  batch: 16, inChannels: 3, size: 32, classes: 4, classWeights: [1, 2, 4, 8] as const,
  classFractions: [0.7, 0.15, 0.1, 0.05] as const, ignoreIndex: 255, ignoreFraction: 0.05, lr: 1e-3,
} as const;

/**
 * SmallSegmenter's convolutions in forward order: [conv 3×3 (no bias) → BN → ReLU] × 2 per block,
 * widths 16, 32, bottleneck 64; decoder blocks after nearest ×2 upsampling and skip concatenation;
 * a 1×1 head with bias.
 */
export const SMALLSEG_LAYERS: readonly ConvLayer[] = [
  { name: 'enc1.0', cin: 3, cout: 16, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'enc1.3', cin: 16, cout: 16, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'enc2.0', cin: 16, cout: 32, kernel: 3, padding: 1, size: 16, relu: true },
  { name: 'enc2.3', cin: 32, cout: 32, kernel: 3, padding: 1, size: 16, relu: true },
  { name: 'bottleneck.0', cin: 32, cout: 64, kernel: 3, padding: 1, size: 8, relu: true },
  { name: 'bottleneck.3', cin: 64, cout: 64, kernel: 3, padding: 1, size: 8, relu: true },
  { name: 'dec2.0', cin: 64 + 32, cout: 32, kernel: 3, padding: 1, size: 16, relu: true },
  { name: 'dec2.3', cin: 32, cout: 32, kernel: 3, padding: 1, size: 16, relu: true },
  { name: 'dec1.0', cin: 32 + 16, cout: 16, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'dec1.3', cin: 16, cout: 16, kernel: 3, padding: 1, size: 32, relu: true },
  { name: 'head', cin: 16, cout: 4, kernel: 1, padding: 0, size: 32, relu: false },
];

/** Forward FLOPs of one conv: 2 · N · C_out · H_out · W_out · C_in · kH · kW. */
export function conv2dForwardFlops(
  batch: number, cin: number, cout: number, outH: number, outW: number, kH: number, kW: number,
): number {
  return 2 * batch * cout * outH * outW * cin * kH * kW;
}

/** Parameter count of the segmenter (weights + biases). */
export function segmenterParameterCount(layers: readonly ConvLayer[] = SEGMENTER_LAYERS): number {
  return layers.reduce((acc, l) => acc + l.cout * l.cin * l.kernel * l.kernel + l.cout, 0);
}

/** Forward FLOPs of the reference segmenter on a batch of `batch`. */
export function segstepForwardFlops(batch: number = SEGSTEP.batch, layers: readonly ConvLayer[] = SEGMENTER_LAYERS): number {
  return layers.reduce((acc, l) => acc + conv2dForwardFlops(batch, l.cin, l.cout, l.size, l.size, l.kernel, l.kernel), 0);
}

/** FLOPs of one training step (forward + backward ≈ 3 × forward). */
export function segstepStepFlops(batch: number = SEGSTEP.batch): number {
  return 3 * segstepForwardFlops(batch);
}

/** Forward FLOPs of the conv workload. */
export function convForwardFlops(): number {
  const { batch, cin, cout, size, kernel, padding } = CONV;
  const out = size + 2 * padding - kernel + 1;
  return conv2dForwardFlops(batch, cin, cout, out, out, kernel, kernel);
}

/** FLOPs of the conv workload's step (forward + input and weight gradients ≈ 3 × forward). */
export function convStepFlops(): number {
  return 3 * convForwardFlops();
}

/** Forward FLOPs of smallseg (its convolutions on a batch of 16). */
export function smallsegForwardFlops(): number {
  return segstepForwardFlops(SMALLSEG.batch, SMALLSEG_LAYERS);
}

/** FLOP counts of a workload: forward and per timed step; null for the losses (memory-bound, no MACs). */
export function workloadFlops(name: WorkloadName): { forward: number; step: number } | null {
  switch (name) {
    case 'segstep': return { forward: segstepForwardFlops(), step: segstepStepFlops() };
    case 'conv': return { forward: convForwardFlops(), step: convStepFlops() };
    case 'smallseg': return { forward: smallsegForwardFlops(), step: 3 * smallsegForwardFlops() };
    case 'ce': case 'ce4': case 'ce8': return null;
  }
}
