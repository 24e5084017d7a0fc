import { describe, expect, it } from 'vitest';
import {
  conv2dForwardFlops, convForwardFlops, convStepFlops, segmenterParameterCount,
  segstepForwardFlops, segstepStepFlops, SMALLSEG_LAYERS, smallsegForwardFlops, workloadFlops,
} from '../src/workloads.js';

// The documented figures are those of /work/shared/bench/WORKLOADS.md, in GFLOP.
function expectWithin2Percent(actual: number, documentedGflop: number): void {
  expect(Math.abs(actual / 1e9 - documentedGflop)).toBeLessThanOrEqual(0.02 * documentedGflop);
}

describe('FLOP counting', () => {
  it('counts a multiply-add as two FLOPs', () => {
    // One output element of a 1×1 conv with one input channel is one multiply-add.
    expect(conv2dForwardFlops(1, 1, 1, 1, 1, 1, 1)).toBe(2);
    // 2 · N · Cout · H · W · Cin · k · k = 2 · 2 · 3 · 4 · 5 · 6 · 3 · 3
    expect(conv2dForwardFlops(2, 6, 3, 4, 5, 3, 3)).toBe(2 * 2 * 3 * 4 * 5 * 6 * 9);
  });

  it('segstep: ≈ 1.42 GFLOP forward, ≈ 4.3 GFLOP a step', () => {
    expectWithin2Percent(segstepForwardFlops(), 1.42);
    expectWithin2Percent(segstepStepFlops(), 4.3);
  });

  it('conv: ≈ 0.60 GFLOP forward, ≈ 1.81 GFLOP forward + backward', () => {
    expectWithin2Percent(convForwardFlops(), 0.6);
    expectWithin2Percent(convStepFlops(), 1.81);
  });

  it('the segmenter layer list has the documented 70,226 parameters', () => {
    expect(segmenterParameterCount()).toBe(70_226);
  });

  it('smallseg: the convs of a 16 × 3 × 32 × 32 batch, ≈ 0.92 GFLOP forward', () => {
    // Per image, 2·Cout·Cin·9·H·W per 3×3 conv, in MFLOP: at 32² 3→16, 16→16, 48→16, 16→16 (0.885 +
    // 4.719 + 14.156 + 4.719); at 16² 16→32, 32→32, 96→32, 32→32 (2.359 + 4.719 + 14.156 + 4.719);
    // at 8² 32→64, 64→64 (2.359 + 4.719); the head 2·4·16·32² (0.131): 57.639 MFLOP, × 16 = 0.9222 GFLOP.
    expect(smallsegForwardFlops() / 1e9).toBeCloseTo(0.9222, 4);
    expect(workloadFlops('smallseg')?.step).toBe(3 * smallsegForwardFlops());
    // The layer list counts a bias per conv; the SmallSegmenter's 3×3 convs have none (batch norm
    // follows): 9·(3·16 + 16·16 + 16·32 + 32·32 + 32·64 + 64·64 + 96·32 + 32·32 + 48·16 + 16·16)
    // + 16·4 + 4 = 118,004 conv weights and head bias.
    const biases = SMALLSEG_LAYERS.slice(0, -1).reduce((a, l) => a + l.cout, 0);
    expect(segmenterParameterCount(SMALLSEG_LAYERS) - biases).toBe(118_004);
  });

  it('the losses have no multiply-add count', () => {
    expect(workloadFlops('ce4')).toBeNull();
    expect(workloadFlops('ce8')).toBeNull();
    expect(workloadFlops('ce')).toBeNull();
    expect(workloadFlops('conv')?.step).toBe(convStepFlops());
  });
});
