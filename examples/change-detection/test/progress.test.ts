import { describe, expect, it } from 'vitest';
import { formatDuration, Progress } from '../src/train/progress.js';

function sink(isTTY: boolean): { stream: { write: (s: string) => boolean; isTTY: boolean; columns: number }; out: string[] } {
  const out: string[] = [];
  return { out, stream: { write: (s: string) => (out.push(s), true), isTTY, columns: 200 } };
}

describe('formatDuration', () => {
  it('prints seconds, minutes and hours', () => {
    expect(formatDuration(42.4)).toBe('42s');
    expect(formatDuration(187)).toBe('3:07');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Number.NaN)).toBe('?');
  });
});

describe('Progress', () => {
  it('extrapolates the ETA from the rate so far and counts resumed steps in the total', () => {
    let t = 0;
    const { stream, out } = sink(true);
    const p = new Progress(10, 5, { stream, now: () => t, minInterval: 0 });
    t = 4000;
    p.tick(2, 'epoch 1/2');
    // 2 steps in 4 s -> 8 remaining take 16 s; 7 of 15 steps done
    const last = out[out.length - 1]!;
    expect(last.startsWith('\r')).toBe(true);
    expect(last).toContain('7/15 steps');
    expect(last).toContain('ETA 16s');
    expect(last).toContain('epoch 1/2');
    p.log('a line');
    expect(out.some((s) => s.includes('a line\n'))).toBe(true);
  });

  it('prints plain lines, not carriage returns, when the stream is not a terminal', () => {
    let t = 0;
    const { stream, out } = sink(false);
    const p = new Progress(20, 0, { stream, now: () => t, plainEvery: 0.25 });
    for (let i = 0; i < 20; i++) {
      t += 100;
      p.tick();
    }
    expect(out.every((s) => !s.includes('\r') && s.endsWith('\n'))).toBe(true);
    // at 25%, 50%, 75% and 100%
    expect(out.length).toBe(4);
    expect(out[3]).toContain('20/20 steps');
  });
});
