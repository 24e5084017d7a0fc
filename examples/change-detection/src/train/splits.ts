/**
 * The experiment's three splits: synthetic pairs generated from the configuration (optionally
 * rounded to 8 bits, as the `data` command stores them), or a folder in the LEVIR-CD layout cut
 * into size×size tiles. A folder is read whole before training starts (`preload`): a damaged file
 * or a mask value other than 0/255 stops the run at setup, naming it.
 */
import { changeDetectionFolder } from '@tessera/data/node';
import { makeSplits } from '../data/dataset.js';
import type { DataConfig, ExperimentConfig } from './config.js';
import { UsageError } from './errors.js';
import { describeSplit, syntheticSplit, type Split, type Splits } from './split.js';

export type { PairSample, Split, Splits } from './split.js';

function synthetic(d: DataConfig): Splits {
  const all = makeSplits({ size: d.size, train: d.train, val: d.val, test: d.test, changeFraction: d.changeFraction, nuisance: d.nuisance, seed: d.seed });
  const q = { quantize: d.quantize ?? false };
  return { train: syntheticSplit(all.train, q), val: syntheticSplit(all.val, q), test: syntheticSplit(all.test, q) };
}

function folder(dir: string, d: DataConfig): Splits {
  const open = (split: string): Split => {
    try {
      const pairs = changeDetectionFolder(dir, { split, tile: { size: d.size, stride: d.stride ?? d.size }, preload: true });
      return describeSplit(pairs, d.size);
    } catch (err) {
      throw new UsageError(`--data: ${(err as Error).message}`);
    }
  };
  return { train: open('train'), val: open('val'), test: open('test') };
}

/** The splits the configuration describes. */
export function loadSplits(c: ExperimentConfig): Splits {
  return c.data.dir === undefined ? synthetic(c.data) : folder(c.data.dir, c.data);
}
