import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectPrintsAsDocumented } from '../../core/test/doc-blocks.js';

const doc = fileURLToPath(new URL('../../../docs/data.md', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));

describe('docs/data.md', () => {
  it('its runnable example prints what the comments say', async () => {
    const blocks = codeBlocks(doc);
    expect(blocks.length).toBe(1);
    await expectPrintsAsDocumented(blocks.join('\n'), 'docs/data.md', here);
  });
});
