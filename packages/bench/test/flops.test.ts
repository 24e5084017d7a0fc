import { describe, expect, it } from 'vitest';
import {
  conv2dForwardFlops, convForwardFlops, convStepFlops, segmenterParameterCount,
  segstepForwardFlops, segstepStepFlops, workloadFlops,
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

  it('ce has no multiply-add count', () => {
    expect(workloadFlops('ce')).toBeNull();
    expect(workloadFlops('conv')?.step).toBe(convStepFlops());
  });
});
