import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectPrintsAsDocumented } from './doc-blocks.js';

const doc = fileURLToPath(new URL('../../../docs/weighted-cross-entropy.md', import.meta.url));

describe('docs/weighted-cross-entropy.md', () => {
  it('its ts blocks run, in order, as one module and print the numbers the page derives', async () => {
    const blocks = codeBlocks(doc);
    // the example, its means, its gradient, smoothing, ignoreIndex, probabilities, the pitfall, classWeights
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    await expectPrintsAsDocumented(blocks.join('\n'), 'the doc');
  });
});
