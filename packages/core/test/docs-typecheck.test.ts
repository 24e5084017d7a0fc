import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { codeBlocks, typecheckBlocks } from './doc-blocks.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const propertyTesting = fileURLToPath(new URL('../../../docs/property-testing.md', import.meta.url));

// readme.test.ts and property-testing-doc.test.ts run the examples; this checks their types, as a
// user's strict project would (one compiler pass for both: it is the slow part).
it('the README usage example and docs/property-testing.md type-check under the project settings', async () => {
  const usage = codeBlocks(readme, '## Usage')[0]!;
  const doc = codeBlocks(propertyTesting).join('\n');
  expect(await typecheckBlocks([usage, doc])).toEqual([]);
});
