import { Generator } from '@tessera/core';
import { applyChanges } from './changes.js';
import { acquire, drawAcquisitions } from './nuisance.js';
import { render } from './render.js';
import { generateScene } from './scene.js';

export interface PairOptions {
  /** Image side in pixels. */
  size: number;
  /** Target fraction of changed pixels over a dataset (pairs without change included). */
  changeFraction: number;
  /** Fraction of pairs that have no change at all. */
  noChangeFraction: number;
  /** Nuisance strength (0 = none, 1 = default). */
  nuisance: number;
}

/** One image pair: t1 and t2 as CHW floats (3, size, size) in [0, 1], mask (size, size) of 0/1. */
export interface Pair {
  t1: Float32Array;
  t2: Float32Array;
  mask: Int32Array;
  /** Number of changed pixels (ones in the mask). */
  changed: number;
}

/**
 * Generates the pair for one integer seed: a scene, the real changes at time 2, and two
 * acquisitions that differ by nuisances only. Deterministic: the same seed and options give the
 * same bytes on every machine.
 *
 * Pairs with change get a target of changeFraction / (1 - noChangeFraction) * size^2 pixels,
 * jittered uniformly by +-50%, so the dataset average is close to `changeFraction`.
 */
export function makePair(seed: number, options: PairOptions): Pair {
  const { size, changeFraction, noChangeFraction, nuisance } = options;
  const gen = new Generator(seed);
  const scene1 = generateScene(gen, size);
  const hasChange = gen.uniform() >= noChangeFraction;
  const jitter = 0.5 + gen.uniform();
  const perPair = noChangeFraction < 1 ? changeFraction / (1 - noChangeFraction) : 0;
  const target = hasChange ? perPair * size * size * jitter : 0;
  const { scene: scene2, mask, changed } = applyChanges(scene1, gen, target);
  const [a1, a2] = drawAcquisitions(gen, nuisance);
  const t1 = acquire(render(scene1, a1.season), size, a1, gen);
  const t2 = acquire(render(scene2, a2.season), size, a2, gen);
  return { t1, t2, mask: Int32Array.from(mask), changed };
}
