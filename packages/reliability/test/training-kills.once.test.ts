/**
 * The change-detection run killed and resumed (quick mode of ../src/training-kills.ts: three kills of
 * a tiny configuration; `pnpm reliability` runs ten on each signal): every resumed run ends with the
 * uninterrupted run's metrics and checkpoints, and no file of the folder is ever broken.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { bundle, sleep, start } from '../src/processes.js';
import { checkRunFolder } from '../src/run-folder.js';
import { cli, describeOutcome, TINY, trainingKillCampaign } from '../src/training-kills.js';

it('SIGKILL twice and SIGINT once at random moments, then --resume: identical metrics and checkpoints, every file whole', async () => {
  const seed = Date.now() % 100_000;
  const r = await trainingKillCampaign(['SIGKILL', 'SIGKILL', 'SIGINT'], seed);
  console.log(`training kills (seed ${seed}), reference run ${r.referenceSeconds.toFixed(1)} s:\n${r.outcomes.map(describeOutcome).join('\n')}\n${r.seconds.toFixed(1)} s in all`);
  expect(r.outcomes).toHaveLength(3);
  expect(r.outcomes.every((o) => o.afterResume.whole['safetensors'] === 4 && o.afterResume.whole['png'] === 1)).toBe(true);
}, 300_000);

it('a Ctrl-C while the report is written is heard (it used to be lost): exit 130, the report whole', async () => {
  const script = await bundle(cli);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-report-sigint-'));
  try {
    const c = start(script, ['train', '--out', join(dir, 'run'), ...TINY]);
    // The last epoch's line: training is over, the test scores, figures and report come next.
    for (let i = 0; i < 2000 && !c.stderr().includes('epoch 2/2 · seed 0 · weighted-ce train loss'); i++) await sleep(5);
    c.proc.kill('SIGINT');
    expect((await c.exited).code).toBe(130);
    expect(c.stderr()).toContain('Stopping at the next step boundary');
    expect(c.lines.join('\n')).toMatch(/Done in .*Report: /);
    const check = checkRunFolder(join(dir, 'run'));
    expect(check.broken).toEqual([]);
    expect(check.whole['html']).toBe(1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
