/**
 * The `predict` command: a best checkpoint from a run (its safetensors metadata rebuilds the model)
 * and two PNG images of the same size, any size; writes the predicted mask and an overlay as PNG.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readPng, writeMaskPng, writeRgbPng, type ChwImage } from '../io/png.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { UsageError, usage } from '../train/errors.js';
import { changeProbability, overlay, threshold } from '../train/predict-image.js';
import { num } from './train.js';

export const PREDICT_HELP = `Usage: tsx src/cli.ts predict --checkpoint FILE --t1 IMAGE --t2 IMAGE [options]

Predicts the change between two co-registered images (PNG or JPEG, same size, any size) with a
checkpoint written by train (runs/<run>/checkpoints/<variant>-seed<s>.safetensors). An image larger
than a tile is predicted on overlapping tiles whose probabilities are blended where they overlap.

  --checkpoint FILE    a best checkpoint from a run folder
  --t1 IMAGE           the image at time 1
  --t2 IMAGE           the image at time 2 (same size as --t1)
  --out DIR            where to write mask.png and overlay.png (default predictions)
  --threshold P        a pixel is change when p(change) >= P (default 0.5, the argmax)
  --tile N             tile side, a multiple of 2^depth (default 256)
  --overlap N          pixels shared by neighbouring tiles, below --tile (default --tile / 4)
  -h, --help           this text
`;

export interface PredictOptions {
  checkpoint: string;
  t1: string;
  t2: string;
  out: string;
  threshold?: number;
  tile?: number;
  overlap?: number;
  log?: (line: string) => void;
}

export interface PredictResult {
  maskPath: string;
  overlayPath: string;
  width: number;
  height: number;
  changed: number;
}

function readImage(option: string, path: string): ChwImage {
  usage(existsSync(path), `${option}: image not found: ${path}`);
  try {
    return readPng(path);
  } catch (err) {
    throw new UsageError(`${option}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** Runs the prediction; UsageError for a missing or unreadable file or images of different sizes. */
export function predict(o: PredictOptions): PredictResult {
  const log = o.log ?? ((line: string) => console.log(line));
  const t = o.threshold ?? 0.5;
  usage(t >= 0 && t <= 1, `--threshold: must be in [0, 1], got ${t}`);
  const { model, meta } = loadCheckpoint(o.checkpoint);
  const a = readImage('--t1', o.t1);
  const b = readImage('--t2', o.t2);
  usage(a.width === b.width && a.height === b.height,
    `--t1 and --t2 must have the same size: ${o.t1} is ${a.width}x${a.height}, ${o.t2} is ${b.width}x${b.height}`);
  const multiple = 2 ** meta.model.depth;
  const tile = o.tile ?? 256;
  const overlap = o.overlap ?? Math.floor(tile / 4);
  usage(Number.isInteger(tile) && tile > 0 && tile % multiple === 0, `--tile: must be a positive multiple of ${multiple} (2^depth of the checkpoint's model), got ${tile}`);
  usage(Number.isInteger(overlap) && overlap >= 0 && overlap < tile, `--overlap: must be an integer in [0, --tile), got ${overlap}`);
  const p = changeProbability(model, a.data, b.data, a.height, a.width, { multiple, tile, overlap });
  const mask = threshold(p, t);
  const maskPath = join(o.out, 'mask.png');
  const overlayPath = join(o.out, 'overlay.png');
  writeMaskPng(maskPath, mask, a.width, a.height);
  writeRgbPng(overlayPath, overlay(b.data, mask), a.width, a.height);
  const changed = mask.reduce((s, v) => s + v, 0);
  log(`${meta.variant} (seed ${meta.seed}, epoch ${meta.epoch}, ${meta.model.name}): ${changed} of ${mask.length} pixels ` +
    `(${((100 * changed) / mask.length).toFixed(2)}%) predicted as change at p >= ${t}`);
  log(`wrote ${maskPath} and ${overlayPath}`);
  return { maskPath, overlayPath, width: a.width, height: a.height, changed };
}

/** Runs `predict` with command-line arguments; returns the exit code. */
export function predictCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      checkpoint: { type: 'string' }, t1: { type: 'string' }, t2: { type: 'string' },
      out: { type: 'string' }, threshold: { type: 'string' }, tile: { type: 'string' }, overlap: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(PREDICT_HELP);
    return 0;
  }
  usage(values.checkpoint !== undefined, 'predict: --checkpoint is required (see predict --help)');
  usage(values.t1 !== undefined && values.t2 !== undefined, 'predict: --t1 and --t2 are required (see predict --help)');
  predict({
    checkpoint: values.checkpoint, t1: values.t1, t2: values.t2, out: values.out ?? 'predictions', threshold: num(values, 'threshold', 0.5),
    tile: num(values, 'tile', 256), ...(values.overlap === undefined ? {} : { overlap: num(values, 'overlap', 0) }),
  });
  return 0;
}
