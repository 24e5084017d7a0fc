import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectPrintsAsDocumented } from './doc-blocks.js';

const doc = fileURLToPath(new URL('../../../docs/property-testing.md', import.meta.url));

describe('docs/property-testing.md', () => {
  it('its ts blocks run, in order, as one module and print what the comments say', async () => {
    const blocks = codeBlocks(doc);
    // the worked example: compose, check, find the kink, own backward, identities, broadcast pairs
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    await expectPrintsAsDocumented(blocks.join('\n'), 'the doc');
  });
});
