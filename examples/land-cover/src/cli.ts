/**
 * The land-cover example's command line: `tsx src/cli.ts [train] [options]` (pnpm --filter
 * @tessera/example-land-cover start). A bad option prints one line on stderr and exits with 2.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatDuration, listenForCtrlC, num, timestamp, UsageError, usage, yieldToEvents } from '@tessera/example-change-detection/kit';
import { DEFAULT_CONFIG, type LandCoverConfig } from './config.js';
import { runExperiment } from './experiment.js';
import { VARIANTS, type VariantName } from './losses.js';

const D = DEFAULT_CONFIG;

export const HELP = `Usage: tsx src/cli.ts [train] [options]

Trains the same small U-Net on synthetic aerial scenes with five very unequal classes (vegetation,
bare soil, building, road, water; uncertain borders ignored) with each loss, for several seeds, and
writes a run folder with config.json, metrics.csv/json, the best checkpoints, figures and report.html.

  --variants LIST      comma-separated, from ${VARIANTS.join(', ')} (default all)
  --focal-gamma G      (default ${D.focalGamma})
  --seeds N            number of seeds (default ${D.seeds}); each fixes initial weights and batch order
  --seed S             first seed (default ${D.seedBase})
  --depth N            U-Net downsamplings (default ${D.model.depth})
  --width N            channels of the first stage (default ${D.model.width})
  --batch-norm on|off  (default on)
  --epochs N           (default ${D.epochs})
  --batch-size N       (default ${D.batchSize})
  --lr X               Adam's learning rate (default ${D.lr})
  --size N             image side (default ${D.data.size})
  --train N, --val N, --test N   images per split (default ${D.data.train}, ${D.data.val}, ${D.data.test})
  --data-seed N        (default ${D.data.seed})
  --pr-bins N          thresholds of the precision-recall curves (default ${D.prBins})
  --out DIR            run folder (default runs/land-cover-<date-time>)
  --resume DIR         continue an interrupted run in DIR (its config.json decides everything else)
  --max-steps N        stop after N training steps, as Ctrl-C would (to try --resume)
  -h, --help           this text

One run writes to a folder at a time (DIR/.lock). Ctrl-C stops at the next step boundary and writes
what has finished; a second Ctrl-C quits at once.
`;

const OPTIONS = {
  variants: { type: 'string' }, 'focal-gamma': { type: 'string' }, seeds: { type: 'string' }, seed: { type: 'string' },
  depth: { type: 'string' }, width: { type: 'string' }, 'batch-norm': { type: 'string' }, epochs: { type: 'string' },
  'batch-size': { type: 'string' }, lr: { type: 'string' }, size: { type: 'string' }, train: { type: 'string' },
  val: { type: 'string' }, test: { type: 'string' }, 'data-seed': { type: 'string' }, 'pr-bins': { type: 'string' },
  out: { type: 'string' }, resume: { type: 'string' }, 'max-steps': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export function configFromOptions(v: Record<string, unknown>): LandCoverConfig {
  const bn = (v['batch-norm'] as string | undefined) ?? 'on';
  usage(bn === 'on' || bn === 'off', `--batch-norm: expected on or off, got '${bn}'`);
  const variants = v.variants === undefined ? [...D.variants] : (v.variants as string).split(',').map((s) => s.trim()).filter((s) => s !== '') as VariantName[];
  return {
    variants, focalGamma: num(v, 'focal-gamma', D.focalGamma),
    model: { depth: num(v, 'depth', D.model.depth), width: num(v, 'width', D.model.width), batchNorm: bn === 'on' },
    data: { size: num(v, 'size', D.data.size), train: num(v, 'train', D.data.train), val: num(v, 'val', D.data.val), test: num(v, 'test', D.data.test), seed: num(v, 'data-seed', D.data.seed) },
    epochs: num(v, 'epochs', D.epochs), batchSize: num(v, 'batch-size', D.batchSize), lr: num(v, 'lr', D.lr),
    seeds: num(v, 'seeds', D.seeds), seedBase: num(v, 'seed', D.seedBase), prBins: num(v, 'pr-bins', D.prBins),
  };
}

export async function main(argv: string[]): Promise<number> {
  const args = argv[0] === 'train' ? argv.slice(1) : argv;
  try {
    const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const maxSteps = values['max-steps'] === undefined ? undefined : num(values, 'max-steps', 0);
    usage(maxSteps === undefined || (Number.isInteger(maxSteps) && maxSteps >= 0), `--max-steps: must be a non-negative integer, got ${maxSteps}`);
    const resume = values.resume;
    if (resume !== undefined) {
      const extra = Object.keys(values).filter((k) => !['resume', 'max-steps'].includes(k));
      usage(extra.length === 0, `--resume: the run folder's config.json decides; drop --${extra.join(', --')}`);
    }
    const config = resume === undefined ? configFromOptions(values) : undefined;
    const runDir = resume ?? values.out ?? `runs/land-cover-${timestamp()}`;
    const ctrlC = listenForCtrlC();
    try {
      const r = await runExperiment({ runDir, resume: resume !== undefined, signal: ctrlC.signal, ...(config ? { config } : {}), ...(maxSteps === undefined ? {} : { maxSteps }) });
      console.log('');
      for (const line of r.conclusions) console.log(`- ${line}`);
      console.log(`\n${r.complete ? 'Done' : 'Stopped'} in ${formatDuration(r.seconds)}. Report: ${resolve(r.reportPath)}`);
      await yieldToEvents();
      return ctrlC.signal.aborted ? 130 : 0;
    } finally {
      ctrlC.dispose();
    }
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (err instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`error: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')} (usage: tsx src/cli.ts [train] [options])\n`);
      return 2;
    }
    throw err;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  }, (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
