import { join } from 'node:path';
import { makeDataset } from '../data/dataset.js';
import { writeMaskPng, writeRgbPng } from '../io/png.js';
import { composePreview } from '../io/preview.js';

export interface DataOptions {
  /** Output folder (created if missing). */
  out: string;
  /** Number of pairs to write (default 8). */
  pairs?: number;
  /** Image side in pixels (default 64). */
  size?: number;
  /** Target fraction of changed pixels (default 0.03). */
  changeFraction?: number;
  /** Nuisance strength (default 1). */
  nuisance?: number;
  /** Dataset seed (default 0): the pairs are the first ones of the training split with this seed. */
  seed?: number;
  /** Where report lines go (default console.log). */
  log?: (line: string) => void;
}

export interface DataSummary {
  files: string[];
  counts: [number, number];
  pairsWithoutChange: number;
}

/**
 * The `data` command: writes the first `pairs` training pairs as `pair-NNN-t1.png`, `-t2.png`,
 * `-mask.png` (white = change) and `-preview.png` (t1 | t2 | mask, 4x), and prints the class counts.
 *
 * @example
 * runData({ out: 'runs/data', pairs: 4, seed: 1 });
 */
export function runData(options: DataOptions): DataSummary {
  const { out, pairs = 8, size = 64, changeFraction = 0.03, nuisance = 1, seed = 0, log = console.log } = options;
  const ds = makeDataset({ n: pairs, size, changeFraction, nuisance, seed, split: 'train' });
  const hw = size * size;
  const files: string[] = [];
  for (let i = 0; i < ds.n; i++) {
    const t1 = ds.t1.subarray(i * 3 * hw, (i + 1) * 3 * hw);
    const t2 = ds.t2.subarray(i * 3 * hw, (i + 1) * 3 * hw);
    const mask = ds.mask.subarray(i * hw, (i + 1) * hw);
    const stem = join(out, `pair-${String(i).padStart(3, '0')}`);
    const preview = composePreview(t1, t2, mask, size);
    writeRgbPng(`${stem}-t1.png`, t1, size);
    writeRgbPng(`${stem}-t2.png`, t2, size);
    writeMaskPng(`${stem}-mask.png`, mask, size);
    writeRgbPng(`${stem}-preview.png`, preview.data, preview.width, preview.height);
    files.push(`${stem}-t1.png`, `${stem}-t2.png`, `${stem}-mask.png`, `${stem}-preview.png`);
  }
  const [n0, n1] = ds.counts;
  const total = n0 + n1;
  const pct = (v: number): string => (total > 0 ? ((100 * v) / total).toFixed(2) : '0.00');
  log(`wrote ${ds.n} pairs of ${size}x${size} to ${out}`);
  log(`class counts: no change ${n0} (${pct(n0)}%), change ${n1} (${pct(n1)}%); pairs without change: ${ds.pairsWithoutChange}`);
  return { files, counts: ds.counts, pairsWithoutChange: ds.pairsWithoutChange };
}
