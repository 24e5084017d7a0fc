/**
 * The `train` command: parses options into an experiment configuration, runs it with a Ctrl-C
 * handler (the first SIGINT stops at the next step boundary and writes what has finished; a second
 * one exits at once), then prints the summary tables, the conclusions and where the report is.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG, type ExperimentConfig, type ModelName, type OptimizerName } from '../train/config.js';
import { usage } from '../train/errors.js';
import { yieldToEvents } from '../train/events.js';
import { runExperiment } from '../train/experiment.js';
import { formatDuration } from '../train/progress.js';
import { summaryTables, renderText } from '../report/table.js';
import { parseVariants, VARIANTS, WEIGHT_SCHEMES, type WeightScheme } from '../train/variants.js';

const D = DEFAULT_CONFIG;

export const TRAIN_HELP = `Usage: tsx src/cli.ts train [options]

Trains the same segmenter with each loss variant, for several seeds, and writes a run folder with
config.json, metrics.csv/json, the best checkpoints, figures and a self-contained report.html.

Experiment
  --variants LIST        comma-separated, from ${VARIANTS.join(', ')} (default ${D.variants.join(',')})
  --weight-scheme NAME   class weights of weighted-ce: ${WEIGHT_SCHEMES.join(', ')} (default ${D.weightScheme})
  --focal-gamma G        gamma of the focal loss (default ${D.focalGamma})
  --seeds N              number of seeds (default ${D.seeds}); each fixes initial weights and batch order
  --seed S               first seed (default ${D.seedBase})
  --target-f1 F          validation F1 whose first crossing is reported (default ${D.targetF1})
Model
  --model NAME           FCSiamDiff or FCEF (default ${D.model.name})
  --depth N              downsamplings; the size must be a multiple of 2^depth (default ${D.model.depth})
  --width N              channels of the first stage (default ${D.model.width})
  --batch-norm on|off    (default ${D.model.batchNorm ? 'on' : 'off'})
Training
  --epochs N             (default ${D.epochs})
  --batch-size N         (default ${D.batchSize})
  --optimizer NAME       adam, adamw or sgd (default ${D.optimizer})
  --lr X                 learning rate (default ${D.lr})
  --weight-decay X       (default ${D.weightDecay})
  --momentum X           SGD momentum (default ${D.momentum})
Data
  --data DIR             train on a folder in the LEVIR-CD layout (DIR/train, DIR/val, DIR/test, each with
                         A/, B/, label/; 0/255 masks) instead of synthetic pairs; its images are cut into
                         --size tiles and read whole before training (a bad file stops the run at setup)
  --stride N             with --data: distance between tiles (default --size, no overlap)
  --quantize             round the synthetic pairs to 8 bits, as 'data --levir' stores them
  --size N               image side in pixels, or the tile side with --data (default ${D.data.size})
  --train N, --val N, --test N   pairs per split (default ${D.data.train}, ${D.data.val}, ${D.data.test})
  --change-fraction X    target fraction of changed pixels (default ${D.data.changeFraction})
  --nuisance X           nuisance strength, 0 = none (default ${D.data.nuisance})
  --data-seed N          (default ${D.data.seed})
Output
  --out DIR              run folder (default runs/<date-time>)
  --resume DIR           continue an interrupted run in DIR (other options are read from DIR/config.json)
  --grid-pairs N         validation pairs in the prediction grid (default ${D.gridPairs})
  --pr-bins N            thresholds of the precision-recall curves (default ${D.prBins})
  --max-steps N          stop after N training steps, as Ctrl-C would (for trying out --resume)
  -h, --help             this text

One run writes to a folder at a time: DIR/.lock holds its pid, a second run on DIR refuses, and the
lock of a run that was killed is taken over by the next. A folder that cannot be written is reported
before any work.

Ctrl-C stops at the next step boundary and writes everything finished so far; a second Ctrl-C quits
at once. Run through 'pnpm start' or 'node --import tsx src/cli.ts train' for that: the tsx command's
own wrapper kills a child that is busy in a training step.
`;

const OPTIONS = {
  variants: { type: 'string' }, 'weight-scheme': { type: 'string' }, 'focal-gamma': { type: 'string' },
  seeds: { type: 'string' }, seed: { type: 'string' }, 'target-f1': { type: 'string' },
  model: { type: 'string' }, depth: { type: 'string' }, width: { type: 'string' }, 'batch-norm': { type: 'string' },
  epochs: { type: 'string' }, 'batch-size': { type: 'string' }, optimizer: { type: 'string' }, lr: { type: 'string' },
  'weight-decay': { type: 'string' }, momentum: { type: 'string' },
  size: { type: 'string' }, train: { type: 'string' }, val: { type: 'string' }, test: { type: 'string' },
  'change-fraction': { type: 'string' }, nuisance: { type: 'string' }, 'data-seed': { type: 'string' },
  data: { type: 'string' }, stride: { type: 'string' }, quantize: { type: 'boolean' },
  out: { type: 'string' }, resume: { type: 'string' }, 'grid-pairs': { type: 'string' }, 'pr-bins': { type: 'string' },
  'max-steps': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** A number option: UsageError naming the option when it does not parse. */
export function num(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  usage(typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(v), `--${name}: expected a number, got '${String(raw)}'`);
  return v;
}

export function timestamp(d = new Date()): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}_${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** The experiment configuration from parsed option values. */
export function configFromOptions(v: Record<string, unknown>): ExperimentConfig {
  if (v.data !== undefined) {
    for (const o of ['train', 'val', 'test', 'change-fraction', 'nuisance', 'data-seed', 'quantize']) {
      usage(v[o] === undefined, `--${o}: describes the synthetic data; with --data the folder decides`);
    }
  }
  const bn = (v['batch-norm'] as string | undefined) ?? (D.model.batchNorm ? 'on' : 'off');
  usage(bn === 'on' || bn === 'off', `--batch-norm: expected on or off, got '${bn}'`);
  return {
    variants: v.variants === undefined ? [...D.variants] : parseVariants(v.variants as string),
    weightScheme: ((v['weight-scheme'] as string | undefined) ?? D.weightScheme) as WeightScheme,
    focalGamma: num(v, 'focal-gamma', D.focalGamma),
    model: {
      name: ((v.model as string | undefined) ?? D.model.name) as ModelName,
      depth: num(v, 'depth', D.model.depth),
      width: num(v, 'width', D.model.width),
      batchNorm: bn === 'on',
    },
    data: {
      size: num(v, 'size', D.data.size), train: num(v, 'train', D.data.train), val: num(v, 'val', D.data.val),
      test: num(v, 'test', D.data.test), changeFraction: num(v, 'change-fraction', D.data.changeFraction),
      nuisance: num(v, 'nuisance', D.data.nuisance), seed: num(v, 'data-seed', D.data.seed),
      ...(v.data === undefined ? {} : { dir: resolve(v.data as string) }),
      ...(v.stride === undefined ? {} : { stride: num(v, 'stride', 0) }),
      ...(v.quantize === true ? { quantize: true } : {}),
    },
    epochs: num(v, 'epochs', D.epochs),
    batchSize: num(v, 'batch-size', D.batchSize),
    optimizer: ((v.optimizer as string | undefined) ?? D.optimizer) as OptimizerName,
    lr: num(v, 'lr', D.lr),
    weightDecay: num(v, 'weight-decay', D.weightDecay),
    momentum: num(v, 'momentum', D.momentum),
    seeds: num(v, 'seeds', D.seeds),
    seedBase: num(v, 'seed', D.seedBase),
    targetF1: num(v, 'target-f1', D.targetF1),
    gridPairs: num(v, 'grid-pairs', D.gridPairs),
    prBins: num(v, 'pr-bins', D.prBins),
  };
}

/**
 * Ctrl-C handling of a training command: the first SIGINT aborts `signal` (training stops at the next
 * step boundary and writes what has finished), a second one exits at once. A terminal's Ctrl-C reaches
 * every process of the group and a wrapper (pnpm, npx) may relay it too: repeats within a second
 * count as the same Ctrl-C. `dispose` removes the listener.
 */
export function listenForCtrlC(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  let first = 0;
  const onSigint = (): void => {
    if (controller.signal.aborted) {
      if (Date.now() - first > 1000) process.exit(130);
      return;
    }
    first = Date.now();
    process.stderr.write('\nStopping at the next step boundary and writing what has finished (Ctrl-C again to quit at once)...\n');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}

/** Runs `train` with command-line arguments; returns the process exit code. */
export async function trainCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
  if (values.help) {
    process.stdout.write(TRAIN_HELP);
    return 0;
  }
  const resume = values.resume;
  const config = configFromOptions(values);
  const maxSteps = values['max-steps'] === undefined ? undefined : num(values, 'max-steps', 0);
  usage(maxSteps === undefined || (Number.isInteger(maxSteps) && maxSteps >= 0), `--max-steps: must be a non-negative integer, got ${maxSteps}`);
  const runDir = resume ?? values.out ?? `runs/${timestamp()}`;
  const ctrlC = listenForCtrlC();
  try {
    const r = await runExperiment({ runDir, config, resume: resume !== undefined, signal: ctrlC.signal, ...(maxSteps === undefined ? {} : { maxSteps }) });
    console.log('');
    for (const t of summaryTables(r.summary)) console.log(`${renderText(t)}\n`);
    for (const c of r.conclusions) console.log(`- ${c}`);
    console.log(`\n${r.complete ? 'Done' : 'Stopped'} in ${formatDuration(r.seconds)}. Report: ${resolve(r.reportPath)}`);
    await yieldToEvents(); // a Ctrl-C during the last stretch counts, instead of being lost with the listener
    return ctrlC.signal.aborted ? 130 : 0;
  } finally {
    ctrlC.dispose();
  }
}
