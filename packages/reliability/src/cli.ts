/**
 * `pnpm reliability`: the thorough mode of the fault-injection campaigns whose quick mode runs in
 * the test suite. Each campaign prints what it tried and what it found, and the command exits 1 on
 * the first failure (the error says which case, with the seed to replay it).
 *
 *   pnpm reliability                      every campaign
 *   pnpm reliability --only training      one (or a comma-separated list)
 *   pnpm reliability --seed 123           replay a run
 */
import { parseArgs } from 'node:util';
import { atomicSaveCampaign } from './atomic-save.js';
import { onBothBackends, runTestFile } from './suite-runs.js';
import { describeOutcome, TINY, trainingKillCampaign } from './training-kills.js';

/** Longer training than the suite's (6 epochs of 4 steps), so that more kills land in training steps. */
const THOROUGH = [...TINY, '--epochs', '6', '--train', '16'];

interface Campaign {
  what: string;
  run(seed: number): Promise<string[]>;
}

const CAMPAIGNS: Record<string, Campaign> = {
  atomic: {
    what: '200 SIGKILLs of a process saving checkpoints in a loop (the suite: 25)',
    async run(seed) {
      const r = await atomicSaveCampaign(200, seed);
      return [`${r.kills} SIGKILLs: ${r.midWrite} inside a save (temporary file left and swept), ${r.newer} just after a rename; ` +
        `every checkpoint whole, the last finished save or the next, with identical outputs (${r.seconds.toFixed(1)} s)`];
    },
  },
  training: {
    what: 'the change-detection run (6 epochs) killed 10 times with SIGKILL and 10 times with SIGINT, each resumed (the suite: 2 + 1, 2 epochs)',
    async run(seed) {
      const signals = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'SIGKILL' as const : 'SIGINT' as const));
      const r = await trainingKillCampaign(signals, seed, THOROUGH);
      return [`reference run ${r.referenceSeconds.toFixed(1)} s`, ...r.outcomes.map(describeOutcome), `${r.seconds.toFixed(1)} s in all`];
    },
  },
  fuzz: {
    what: 'the fuzz campaign with 500 runs per property, on both backends (the suite: 20)',
    run: (seed) => onBothBackends('packages/reliability/test/fuzz.test.ts', { TESSERA_FUZZ_RUNS: '500', TESSERA_FUZZ_SEED: String(seed) }, /^\s*fuzz (\(|group )/),
  },
  parity: {
    what: 'PyTorch parity live with 200 cross-entropy calls and 10 per op, three seeds, both backends (the suite: 40 and 3, one seed)',
    async run(seed) {
      const lines: string[] = [];
      for (const s of [seed, seed + 1, seed + 2]) {
        lines.push(...await onBothBackends('packages/core/test/pytorch-live.test.ts', { TESSERA_PARITY_SEED: String(s), TESSERA_PARITY_CE: '200', TESSERA_PARITY_PER_OP: '10' }, /PyTorch parity:|Tests /));
      }
      return lines;
    },
  },
  memory: {
    what: '20,000 training steps of the small model, heap and wasm memory sampled, both backends (the suite: 5,000)',
    run: () => onBothBackends('packages/nn/test/long-training-memory.test.ts', { TESSERA_MEMORY_STEPS: '20000' }, /^\d+: rss|long training/),
  },
  safetensors: {
    what: 'the safetensors fault tests: hand-written bad files, bad paths, and 400 random corruptions of a valid file (as the suite)',
    run: () => runTestFile('packages/nn/test/safetensors-faults.once.test.ts', {}, 'wasm', /safetensors corruption property|Tests /),
  },
  lock: {
    what: 'two runs on one output folder, a SIGKILLed holder of the lock, an unwritable and a missing folder (as the suite)',
    run: () => runTestFile('packages/reliability/test/run-folder.once.test.ts', {}, 'wasm', /Tests /),
  },
  workers: {
    what: 'every worker-pool exit mode 10 times over (the suite: once)',
    async run() {
      const lines: string[] = [];
      for (let i = 0; i < 10; i++) lines.push(...(await runTestFile('packages/reliability/test/worker-pool.once.test.ts', {}, 'wasm', /Tests /)).map((l) => `round ${i + 1}: ${l}`));
      return lines;
    },
  },
};

const HELP = `Usage: pnpm reliability [--only NAMES] [--seed N]

Thorough mode of the fault-injection campaigns (the test suite runs each in a quick mode):
${Object.entries(CAMPAIGNS).map(([k, c]) => `  ${k.padEnd(10)}${c.what}`).join('\n')}

  --only NAMES   comma-separated campaigns (default all)
  --seed N       seed of the random kill moments (default: the clock); printed, to replay a run
`;

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const names = values.only?.split(',').map((s) => s.trim()) ?? Object.keys(CAMPAIGNS);
  const unknown = names.filter((n) => !(n in CAMPAIGNS));
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown campaign ${unknown.join(', ')} (known: ${Object.keys(CAMPAIGNS).join(', ')})\n`);
    return 2;
  }
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`error: --seed: expected an integer, got '${values.seed}'\n`);
    return 2;
  }
  console.log(`seed ${seed}`);
  for (const name of names) {
    const c = CAMPAIGNS[name]!;
    console.log(`\n## ${name}: ${c.what}`);
    const t0 = performance.now();
    for (const line of await c.run(seed)) console.log(`  ${line}`);
    console.log(`  passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`\nFAILED: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  },
);
