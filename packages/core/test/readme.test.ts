import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { codeBlocks, expectedPrints, expectPrintsAsDocumented, printMatches, runBlocks } from './doc-blocks.js';

const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('README.md', () => {
  it('the first ts block under "## Usage" runs and prints the values the README says', async () => {
    const [usage] = codeBlocks(readme, '## Usage');
    expect(usage, 'a ```ts block under ## Usage').toBeDefined();
    // the example documents what it prints; without comments there is nothing to hold it to
    expect(expectedPrints(usage!).length).toBeGreaterThan(0);
    await expectPrintsAsDocumented(usage!, 'the README');
  });
});

describe('doc-blocks (the machinery of the documentation tests)', () => {
  it('reads the printed value after the last " = " of a console.log comment, and compares it', () => {
    const code = 'const y = 2;\nconsole.log(y); // 1 + 1 = 2\nconsole.log([1, 2]); // [1, 2]\nconsole.log("abc def"); // abc…\nlet z = 1; // not a print';
    expect(expectedPrints(code)).toEqual(['2', '[1, 2]', 'abc…']);
    expect(printMatches('2', '2')).toBe(true);
    expect(printMatches('2', '3')).toBe(false);
    expect(printMatches('[1,2]', '[1, 2]')).toBe(true);
    expect(printMatches('[1,3]', '[1, 2]')).toBe(false);
    expect(printMatches('abc def', 'abc…')).toBe(true);
    expect(printMatches('abd', 'abc…')).toBe(false);
  });

  it('runs code and captures what it prints', async () => {
    expect(await runBlocks('console.log(1 + 1);\nconsole.log("x", [1]);\n')).toEqual(['2', 'x [1]']);
  });
});
