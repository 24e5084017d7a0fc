import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectPrintsAsDocumented } from './doc-blocks.js';

// Its types are checked with the other docs' in docs-typecheck.test.ts (one compiler pass).

const doc = fileURLToPath(new URL('../../../docs/autograd.md', import.meta.url));

describe('docs/autograd.md', () => {
  it('its ts blocks run, in order, as one module and print what the comments say', async () => {
    const blocks = codeBlocks(doc);
    // imports, createGraph, gradient penalty, plain-grad error, functional API, customOp, versions ×3, anomaly
    expect(blocks.length).toBe(10);
    const expected = await expectPrintsAsDocumented(blocks.join('\n'), 'docs/autograd.md');
    expect(expected.length).toBe(16);
  });
});
