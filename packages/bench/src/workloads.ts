/**
 * The three reference workloads of `/work/shared/bench/WORKLOADS.md` as data: shapes, the
 * reference segmenter's layer list and the FLOP counts derived from them.
 *
 * FLOP convention (WORKLOADS.md): a multiply-add counts as 2 FLOPs; only convolution
 * multiply-adds are counted (bias adds, ReLU, pooling, upsampling, concat and the loss are
 * a few MFLOP and are left out); forward + backward of a conv ≈ 3 × its forward FLOPs
 * (forward, input gradient, weight gradient: one GEMM each of the same size).
 */

export type WorkloadName = 'segstep' | 'conv' | 'ce';
export const WORKLOAD_NAMES: readonly WorkloadName[] = ['segstep', 'conv', 'ce'];

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

/** FLOP counts of a workload: forward and per timed step; null for ce (memory-bound, no MACs). */
export function workloadFlops(name: WorkloadName): { forward: number; step: number } | null {
  switch (name) {
    case 'segstep': return { forward: segstepForwardFlops(), step: segstepStepFlops() };
    case 'conv': return { forward: convForwardFlops(), step: convStepFlops() };
    case 'ce': return null;
  }
}
