/**
 * Saving is atomic (quick mode of the campaign in ../src/atomic-save.ts; `pnpm reliability` runs
 * the thorough one): a process saving checkpoints in a loop is SIGKILLed at 25 random moments, and
 * after each kill the previous (or the just-renamed) checkpoint is whole and loads to identical outputs.
 */
import { expect, it } from 'vitest';
import { atomicSaveCampaign } from '../src/atomic-save.js';

it('25 SIGKILLs of a process saving checkpoints in a loop: the checkpoint on disk is always whole and loads to identical outputs', async () => {
  const seed = Date.now() % 100_000;
  const r = await atomicSaveCampaign(25, seed);
  console.log(`atomic save (seed ${seed}): ${r.kills} SIGKILLs, ${r.midWrite} inside a save (temporary file left, swept by the next save), ` +
    `${r.newer} just after a rename; every checkpoint whole and equal in outputs; ${r.seconds.toFixed(1)} s`);
  expect(r.kills).toBe(25);
  // The kills do land inside saves (else the test would prove nothing).
  expect(r.midWrite).toBeGreaterThan(0);
}, 180_000);
