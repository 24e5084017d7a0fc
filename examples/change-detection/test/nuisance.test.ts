import { Generator } from '@tessera/core';
import { describe, expect, it } from 'vitest';
import { acquire, drawAcquisitions, type Acquisition } from '../src/data/nuisance.js';

const plain: Acquisition = { season: 0, gain: 1, offset: 0, balance: [1, 1, 1], dx: 0, dy: 0, noise: 0 };

describe('drawAcquisitions', () => {
  it('makes time 2 identical to time 1 at strength 0 and different at strength 1', () => {
    const [a1, a2] = drawAcquisitions(new Generator(9), 0);
    expect(a2).toEqual(a1);
    const [b1, b2] = drawAcquisitions(new Generator(9), 1);
    expect(b1.season).toBe(a1.season); // the strength scales the nuisances, it does not change time 1's look
    expect(b2.season).not.toBe(b1.season);
    expect(b2.gain).not.toBe(b1.gain);
    expect(Math.max(Math.abs(b2.dx), Math.abs(b2.dy))).toBeLessThanOrEqual(1);
    expect(b2.noise).toBeCloseTo(0.02, 12);
  });

  it('rejects a negative strength', () => {
    expect(() => drawAcquisitions(new Generator(0), -0.5)).toThrow(/drawAcquisitions: nuisance strength must be >= 0, got -0.5/);
  });
});

describe('acquire', () => {
  const size = 8;
  // A vertical edge: columns 0-3 dark, 4-7 bright, the same in all channels.
  const edge = Float32Array.from({ length: 3 * size * size }, (_, i) => ((i % size) < 4 ? 0.2 : 0.8));

  it('shifts content by (dx, dy) with bilinear interpolation', () => {
    const still = acquire(edge, size, plain, new Generator(0));
    const moved = acquire(edge, size, { ...plain, dx: 1 }, new Generator(0));
    for (let y = 0; y < size; y++) for (let x = 1; x < size; x++) expect(moved[y * size + x]).toBeCloseTo(still[y * size + x - 1]!, 6);
    const half = acquire(edge, size, { ...plain, dx: 0.5 }, new Generator(0));
    expect(half[3 * size + 4]).toBeCloseTo((still[3 * size + 4]! + still[3 * size + 3]!) / 2, 6);
  });

  it('applies gain, balance and offset, then clamps into [0, 1]', () => {
    const flat = new Float32Array(3 * size * size).fill(0.5);
    const out = acquire(flat, size, { ...plain, gain: 1.2, balance: [1, 0.5, 3], offset: 0.1 }, new Generator(0));
    expect(out[0]).toBeCloseTo(0.7, 6);
    expect(out[size * size]).toBeCloseTo(0.4, 6);
    expect(out[2 * size * size]).toBe(1);
  });

  it('adds sensor noise with the requested standard deviation', () => {
    const flat = new Float32Array(3 * 64 * 64).fill(0.5);
    const out = acquire(flat, 64, { ...plain, noise: 0.05 }, new Generator(1));
    const mean = out.reduce((s, v) => s + v, 0) / out.length;
    const sd = Math.sqrt(out.reduce((s, v) => s + (v - mean) ** 2, 0) / out.length);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sd - 0.05)).toBeLessThan(0.005);
  });
});
