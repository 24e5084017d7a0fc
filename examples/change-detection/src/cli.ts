/**
 * The change-detection example's command line: `tsx src/cli.ts <data|train|predict> [options]`.
 * A bad option, a missing file or an impossible size prints one line on stderr and exits with 2.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataCommand, DATA_HELP } from './commands/data.js';
import { predictCommand, PREDICT_HELP } from './commands/predict.js';
import { trainCommand, TRAIN_HELP } from './commands/train.js';
import { UsageError } from './train/errors.js';

const HELP = `Usage: tsx src/cli.ts <command> [options]

Commands
  data      write synthetic image pairs and their change masks as PNG files (--levir: a LEVIR-CD folder)
  train     compare loss variants on synthetic pairs or a LEVIR-CD folder (--data); writes a run folder with report.html (default command of pnpm start)
  predict   predict the change between two images (PNG or JPEG, any size) with a trained checkpoint

Run 'tsx src/cli.ts <command> --help' for a command's options.
`;

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
