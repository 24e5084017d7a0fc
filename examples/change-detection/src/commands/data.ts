/**
 * The `data` command: synthetic pairs as PNG files, either the first training pairs side by side
 * with a preview, or whole train/val/test splits in the LEVIR-CD layout (`--levir`), a folder that
 * `train --data` reads.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { makeDataset, type Split } from '../data/dataset.js';
import { writeMaskPng, writeRgbPng } from '../io/png.js';
import { composePreview } from '../io/preview.js';
import { usage } from '../train/errors.js';
import { num } from './train.js';

export const DATA_HELP = `Usage: tsx src/cli.ts data [options]

Writes the first pairs of the training split as PNG files (t1, t2, mask, preview) and prints the
class counts; with --levir, writes whole splits in the LEVIR-CD layout (OUT/<split>/A, B, label)
for 'train --data OUT'.

  --out DIR              output folder (default runs/data)
  --pairs N              number of pairs (default 8)
  --levir                write OUT/train, OUT/val, OUT/test with A/, B/, label/ (pair-NNN.png)
  --train N, --val N, --test N   pairs per split with --levir (default 160, 48, 48)
  --size N               image side in pixels, at least 16 (default 64)
  --change-fraction X    target fraction of changed pixels, in [0, 1) (default 0.03)
  --nuisance X           nuisance strength, 0 = none (default 1)
  --seed N               dataset seed (default 0)
  -h, --help             this text
`;

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

export interface LevirOptions extends Omit<DataOptions, 'pairs'> {
  /** Pairs per split (defaults 160, 48, 48: the synthetic experiment's splits). */
  train?: number;
  val?: number;
  test?: number;
}

/**
 * Writes the synthetic train, validation and test splits (the pairs `train` generates with the same
 * options) in the LEVIR-CD layout: `out/<split>/A/pair-NNN.png` (time 1), `B/` (time 2), `label/`
 * (0/255 change masks).
 */
export function writeLevirFolder(options: LevirOptions): void {
  const { out, size = 64, changeFraction = 0.03, nuisance = 1, seed = 0, log = console.log } = options;
  const counts: Record<Split, number> = { train: options.train ?? 160, val: options.val ?? 48, test: options.test ?? 48 };
  for (const split of ['train', 'val', 'test'] as const) {
    const ds = makeDataset({ n: counts[split], size, changeFraction, nuisance, seed, split });
    const hw = size * size;
    for (let i = 0; i < ds.n; i++) {
      const name = `pair-${String(i).padStart(3, '0')}.png`;
      writeRgbPng(join(out, split, 'A', name), ds.t1.subarray(i * 3 * hw, (i + 1) * 3 * hw), size);
      writeRgbPng(join(out, split, 'B', name), ds.t2.subarray(i * 3 * hw, (i + 1) * 3 * hw), size);
      writeMaskPng(join(out, split, 'label', name), ds.mask.subarray(i * hw, (i + 1) * hw), size);
    }
    log(`wrote ${ds.n} ${split} pairs of ${size}x${size} to ${join(out, split)} (A/, B/, label/)`);
  }
}

/** Runs `data` with command-line arguments; returns the exit code. */
export function dataCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' }, pairs: { type: 'string' }, size: { type: 'string' }, 'change-fraction': { type: 'string' },
      nuisance: { type: 'string' }, seed: { type: 'string' }, levir: { type: 'boolean' }, train: { type: 'string' },
      val: { type: 'string' }, test: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(DATA_HELP);
    return 0;
  }
  const common = {
    out: values.out ?? 'runs/data', size: num(values, 'size', 64), changeFraction: num(values, 'change-fraction', 0.03),
    nuisance: num(values, 'nuisance', 1), seed: num(values, 'seed', 0),
  };
  usage(Number.isInteger(common.size) && common.size >= 16, `--size: must be an integer of at least 16, got ${common.size}`);
  usage(common.changeFraction >= 0 && common.changeFraction < 1, `--change-fraction: must be in [0, 1), got ${common.changeFraction}`);
  usage(common.nuisance >= 0, `--nuisance: must be >= 0, got ${common.nuisance}`);
  usage(Number.isInteger(common.seed), `--seed: must be an integer, got ${common.seed}`);
  if (values.levir) {
    const splits = { train: num(values, 'train', 160), val: num(values, 'val', 48), test: num(values, 'test', 48) };
    for (const [k, v] of Object.entries(splits)) usage(Number.isInteger(v) && v > 0, `--${k}: must be a positive integer, got ${v}`);
    writeLevirFolder({ ...common, ...splits });
    return 0;
  }
  usage(values.train === undefined && values.val === undefined && values.test === undefined, '--train, --val, --test: only with --levir');
  const pairs = num(values, 'pairs', 8);
  usage(Number.isInteger(pairs) && pairs > 0, `--pairs: must be a positive integer, got ${pairs}`);
  runData({ ...common, pairs });
  return 0;
}
