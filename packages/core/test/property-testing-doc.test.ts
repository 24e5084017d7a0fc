import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectedPrints, printMatches, runBlocks } from './doc-blocks.js';

const doc = fileURLToPath(new URL('../../../docs/property-testing.md', import.meta.url));

describe('docs/property-testing.md', () => {
  it('its ts blocks run, in order, as one module and print what the comments say', async () => {
    const blocks = codeBlocks(doc);
    // the worked example: compose, check, find the kink, own backward, identities, broadcast pairs
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    const code = blocks.join('\n');
    const expected = expectedPrints(code);
    const printed = await runBlocks(code);
    expect(printed.length).toBe(expected.length);
    printed.forEach((p, i) => {
      expect(printMatches(p, expected[i]!), `console.log #${i + 1} printed ${p}; the doc says ${expected[i]}`).toBe(true);
    });
  });
});
