/**
 * The change-detection example's command line: `tsx src/cli.ts <data|train|predict> [options]`.
 * A bad option, a missing file or an impossible size prints one line on stderr and exits with 2.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runData } from './commands/data.js';
import { predictCommand, PREDICT_HELP } from './commands/predict.js';
import { num, trainCommand, TRAIN_HELP } from './commands/train.js';
import { UsageError, usage } from './train/errors.js';

const HELP = `Usage: tsx src/cli.ts <command> [options]

Commands
  data      write synthetic image pairs and their change masks as PNG files
  train     compare loss variants on synthetic pairs; writes a run folder with report.html (default command of pnpm start)
  predict   predict the change between two PNG images with a trained checkpoint

Run 'tsx src/cli.ts <command> --help' for a command's options.
`;

const DATA_HELP = `Usage: tsx src/cli.ts data [options]

Writes the first pairs of the training split as PNG files (t1, t2, mask, preview) and prints the
class counts.

  --out DIR              output folder (default runs/data)
  --pairs N              number of pairs (default 8)
  --size N               image side in pixels, at least 16 (default 64)
  --change-fraction X    target fraction of changed pixels, in [0, 1) (default 0.03)
  --nuisance X           nuisance strength, 0 = none (default 1)
  --seed N               dataset seed (default 0)
  -h, --help             this text
`;

function dataCommand(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' }, pairs: { type: 'string' }, size: { type: 'string' }, 'change-fraction': { type: 'string' },
      nuisance: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(DATA_HELP);
    return 0;
  }
  const pairs = num(values, 'pairs', 8);
  const size = num(values, 'size', 64);
  const changeFraction = num(values, 'change-fraction', 0.03);
  const nuisance = num(values, 'nuisance', 1);
  const seed = num(values, 'seed', 0);
  usage(Number.isInteger(pairs) && pairs > 0, `--pairs: must be a positive integer, got ${pairs}`);
  usage(Number.isInteger(size) && size >= 16, `--size: must be an integer of at least 16, got ${size}`);
  usage(changeFraction >= 0 && changeFraction < 1, `--change-fraction: must be in [0, 1), got ${changeFraction}`);
  usage(nuisance >= 0, `--nuisance: must be >= 0, got ${nuisance}`);
  usage(Number.isInteger(seed), `--seed: must be an integer, got ${seed}`);
  runData({ out: values.out ?? 'runs/data', pairs, size, changeFraction, nuisance, seed });
  return 0;
}

/** Runs the CLI with `argv` (without node and the script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'data':
        return dataCommand(rest);
      case 'train':
        return await trainCommand(rest);
      case 'predict':
        return predictCommand(rest);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}' (expected data, train or predict; see --help)`);
    }
  } catch (err) {
    if (isUsageError(err)) {
      const help = command === 'train' ? TRAIN_HELP : command === 'predict' ? PREDICT_HELP : command === 'data' ? DATA_HELP : HELP;
      const hint = help.split('\n')[0]!;
      process.stderr.write(`error: ${(err as Error).message.replace(/\s*\n\s*/g, ' ')} (${hint.replace('Usage: ', 'usage: ')})\n`);
      return 2;
    }
    throw err;
  }
}

/** Our UsageError, or one of node's parseArgs errors (unknown option, missing value). */
function isUsageError(err: unknown): boolean {
  if (err instanceof UsageError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
