import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { addingAnOpModules, codeBlocks, typecheckBlocks } from './doc-blocks.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
const propertyTesting = fileURLToPath(new URL('../../../docs/property-testing.md', import.meta.url));
const autograd = fileURLToPath(new URL('../../../docs/autograd.md', import.meta.url));

// readme.test.ts, property-testing-doc.test.ts, autograd-doc.test.ts and adding-an-op-doc.once.test.ts
// run the examples; this checks their types, as a user's strict project would (one compiler pass for
// all: it is the slow part). adding-an-op.md's op file, methods.ts fragment and test sketch are modules 3–5.
it('the README usage example, docs/property-testing.md, docs/autograd.md and docs/adding-an-op.md type-check under the project settings', async () => {
  const usage = codeBlocks(readme, '## Usage')[0]!;
  const doc = codeBlocks(propertyTesting).join('\n');
  expect(await typecheckBlocks([usage, doc, codeBlocks(autograd).join('\n'), ...addingAnOpModules('logaddexp', 3)])).toEqual([]);
});
