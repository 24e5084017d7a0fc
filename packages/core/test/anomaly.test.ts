import { describe, expect, it } from 'vitest';
import { detectAnomaly, div, exp, isAnomalyEnabled, log, mul, record, setDetectAnomaly, sqrt, tensor } from '../src/index.js';
import { f64 } from './helpers.js';

/** The part of an anomaly message after "at:", its first frame. */
function firstFrame(message: string): string {
  return message.split(' at:\n')[1]!.split('\n')[0]!;
}

describe('anomaly mode', () => {
  it('is off by default; detectAnomaly turns it on for one call and restores it, also after a throw', () => {
    expect(isAnomalyEnabled()).toBe(false);
    expect(detectAnomaly(() => isAnomalyEnabled())).toBe(true);
    expect(() => detectAnomaly(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isAnomalyEnabled()).toBe(false);
    setDetectAnomaly(true);
    expect(isAnomalyEnabled()).toBe(true);
    setDetectAnomaly(false);
    // off, a NaN passes silently (the cost is one boolean test per op)
    expect(Number.isNaN(log(f64([-1])).item())).toBe(true);
  });

  it('names the op that first produced a NaN or infinity in the forward pass, and where it was called (user frames first)', () => {
    const x = f64([0, 1], { requiresGrad: true });
    let message = '';
    try {
      detectAnomaly(() => exp(log(x)));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^anomaly: op 'log' produced -Infinity at index \[0\] of its output \(float64 of shape \[2\]\) in the forward pass from finite inputs\. The op was called at:/);
    expect(firstFrame(message)).toContain('anomaly.test.ts');
    // a NaN that came in from a leaf is reported at the first op that sees it
    expect(() => detectAnomaly(() => mul(f64([Number.NaN]), 2))).toThrow(/op 'mul' produced NaN .*\(its input 0 already holds NaN at index \[0\]/);
  });

  it('names the op, the input and the direction when a backward step returns a NaN or infinity', () => {
    // sqrt(x) at x = 0 is finite, its gradient 1/(2·sqrt(0)) is not
    const x = f64([0, 4], { requiresGrad: true });
    let message = '';
    detectAnomaly(() => {
      const y = sqrt(x).sum();
      try {
        y.backward();
      } catch (e) {
        message = (e as Error).message;
      }
    });
    expect(message).toMatch(
      /^anomaly: the backward of op 'sqrt' produced Infinity at index \[0\] \(in its step 'div', float64 of shape \[2\]\) in the backward pass from finite values\. Op 'sqrt' was created at:/,
    );
    expect(firstFrame(message)).toContain('anomaly.test.ts'); // where sqrt was called
    // a backward step that returns a non-finite gradient without an op (a custom record) is named the same way
    const z = f64([1], { requiresGrad: true });
    const bad = detectAnomaly(() => record(mul(z, 1).detach(), 'mine', [z], () => [f64([Number.NaN])], { saved: [] }));
    expect(() => detectAnomaly(() => bad.backward())).toThrow(
      /^anomaly: op 'mine' returned NaN at index \[0\] in the gradient for its input 0 \(float64 of shape \[1\]\) in the backward pass from a finite upstream gradient\. The op was created at:\n.*anomaly\.test\.ts/,
    );
  });

  it('names the op whose saved tensor was changed by a raw write to .data (which the version counters miss)', () => {
    const w = f64([1, 2], { requiresGrad: true });
    const x = f64([3, 4]);
    const y = detectAnomaly(() => mul(x, w).sum());
    x.data[0] = 30; // raw: no version bump
    expect(() => detectAnomaly(() => y.backward())).toThrow(
      /^anomaly: input 0 \(float64 of shape \[2\]\), saved by op 'mul' for its backward, was changed after the forward without an in-place op \(a raw write to \.data\?\)/,
    );
  });

  it('lets finite graphs through unchanged', () => {
    const x = tensor([0.5, 2], { requiresGrad: true });
    detectAnomaly(() => div(exp(x), 2).sum().backward());
    expect(Array.from(x.grad!.data)).toEqual([Math.fround(Math.exp(0.5) / 2), Math.fround(Math.exp(2) / 2)]);
  });
});
