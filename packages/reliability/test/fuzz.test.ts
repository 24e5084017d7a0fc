/**
 * The fuzz campaign over the public API (src/fuzz/): one property per exported name of @tessera/core
 * and @tessera/nn, over generated bad arguments, with what PyTorch does with each (see harness.ts).
 * A new export without an entry fails here. Quick mode in the suite (20 runs per property);
 * TESSERA_FUZZ_RUNS=n runs more (pnpm reliability runs 500), TESSERA_FUZZ_SEED=s replays a run.
 */
import * as core from '@tessera/core';
import * as nn from '@tessera/nn';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CORE_ENTRIES, groupOf, NN_ENTRIES } from '../src/fuzz/entries.js';
import { check, type FuzzCase } from '../src/fuzz/harness.js';

const RUNS = Number(process.env['TESSERA_FUZZ_RUNS'] ?? 20);
const SEED = Number(process.env['TESSERA_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const exported = {
  core: Object.keys(core).sort(),
  nn: [...Object.keys(nn), ...Object.keys(nn.init).map((k) => `init.${k}`)].sort(),
};
type Tally = { properties: number; cases: number; error: number; result: number };
const tally: Tally = { properties: 0, cases: 0, error: 0, result: 0 };
const groups = new Map<string, Tally>();

afterAll(() => {
  const skipped = [...Object.values(CORE_ENTRIES), ...Object.values(NN_ENTRIES)].filter((e) => 'skip' in e).length;
  const line = (t: Tally): string => `${t.properties} properties, ${t.cases} generated cases: ${t.error} clear errors naming the op and the argument, ${t.result} PyTorch-equal results`;
  console.log(`fuzz (${core.getBackend()} backend, seed ${SEED}, replay: TESSERA_FUZZ_SEED=${SEED}): ${line(tally)}, ` +
    `0 crashes, hangs or silent wrong results; ${skipped} exports skipped with a reason` +
    [...groups].map(([g, t]) => `\n  fuzz group ${g}: ${line(t)}`).join(''));
});

describe.each([['core', CORE_ENTRIES, exported.core], ['nn', NN_ENTRIES, exported.nn]] as const)('fuzz @tessera/%s', (pkg, entries, names) => {
  it('has an entry for every export (a new export needs one, or a reason to skip it), and none for names no longer exported', () => {
    expect(names.filter((n) => !(n in entries))).toEqual([]);
    expect(Object.keys(entries).filter((n) => !names.includes(n))).toEqual([]);
  });

  const fuzzed = Object.entries(entries).flatMap(([name, e]) => ('cases' in e ? [[name, e.cases] as const] : []));
  it.each(fuzzed)('%s', (name, cases: fc.Arbitrary<FuzzCase>) => {
    const g = groupOf(pkg, name);
    const mine = groups.get(g) ?? { properties: 0, cases: 0, error: 0, result: 0 };
    groups.set(g, mine);
    tally.properties++;
    mine.properties++;
    fc.assert(fc.property(cases, (c) => {
      const outcome = check(c);
      for (const t of [tally, mine]) {
        t.cases++;
        t[outcome]++;
      }
    }), { numRuns: RUNS, seed: SEED, endOnFailure: true });
  });
});
