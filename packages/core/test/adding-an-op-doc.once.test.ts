/**
 * docs/adding-an-op.md, checked against the current code: its op file, its methods.ts fragment and its
 * test sketch are written as modules next to the tests (imports redirected from src/ops/ and src/ to
 * where they are) and run (the sketch's prints are the page's; docs-typecheck.test.ts checks their types);
 * the op is compared with PyTorch through the page's generate_live.py generator; every file path the
 * page names exists, and so do the places it tells you to edit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Tensor, tensor } from '../src/index.js';
import { addingAnOpModules, expectPrinted, printsOf, withModules } from './doc-blocks.js';
import { CALLS, checkOpCase, type RefCase } from './fixtures/calls.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docPath = `${root}docs/adding-an-op.md`;
const doc = readFileSync(docPath, 'utf8');
const OP = 'logaddexp';
const PYTHON = '/usr/bin/python3';

const modules = (): [string, string, string] => addingAnOpModules(OP);

describe('docs/adding-an-op.md', () => {
  it(`walks through an op Tessera does not have yet (${OP}); if it now exists, pick another for the page`, () => {
    expect(existsSync(`${root}packages/core/src/ops/${OP}.ts`)).toBe(false);
    expect(OP in (Tensor.prototype as unknown as Record<string, unknown>)).toBe(false);
  });

  it('every path it names exists (but the new op\'s own files), and the places it edits are where it says', () => {
    const paths = [...new Set(doc.match(/packages\/[\w./-]+\.(?:ts|py|md)|packages\/[\w/-]+\//g) ?? [])];
    const missing = paths.filter((p) => !p.includes(OP) && !existsSync(root + p));
    expect(missing, 'paths named in docs/adding-an-op.md that do not exist').toEqual([]);
    expect(paths.length).toBeGreaterThanOrEqual(8);
    const read = (p: string): string => readFileSync(root + p, 'utf8');
    expect(read('packages/core/src/engine/node.ts')).toMatch(/export type OpName =\n\s+\| 'add'/);
    expect(read('packages/core/src/index.ts')).toMatch(/^export \{ log1p, expm1 \} from '\.\/ops\/log1p\.js';$/m);
    expect(read('packages/core/src/methods.ts')).toMatch(/^declare module '\.\/tensor\.js' \{\n {2}interface Tensor \{$/m);
    expect(read('packages/core/test/fixtures/generate_live.py')).toMatch(/^LIVE_OPS = \{$/m);
    expect(read('packages/core/test/fixtures/calls.ts')).toMatch(/^export const CALLS: Record<string, \(t: Inputs, c: OpCase\) => Tensor> = \{$/m);
    expect(read('packages/core/src/kernels/types.ts')).toMatch(/export interface Kernels\b/);
    // imports in the op file: each module once
    const imports = modules()[0].match(/from '[^']+'/g)!;
    expect(imports.length).toBe(new Set(imports).size);
  });

  it('its op, method and test sketch run, the sketch printing what the page says', async () => {
    await withModules(modules(), async (files) => {
      await import(pathToFileURL(files[1]!).href); // installs the method
      const a = tensor([0, 1000]);
      const viaMethod = (a as unknown as Record<string, (b: Tensor) => Tensor>)[OP]!(a);
      expect(Array.from(viaMethod.data)).toEqual([Math.fround(Math.LN2), Math.fround(1000 + Math.LN2)]);
      expectPrinted(await printsOf(files[2]!), modules()[2], 'docs/adding-an-op.md');
    });
  });

  it("its generate_live.py generator gives PyTorch's values, and the op matches them (float64)", async () => {
    const generator = /```python\n([\s\S]*?)```/.exec(doc)![1]!;
    const program = [
      'import json, random, sys', "sys.path.insert(0, '.')", 'from generate_live import *', generator,
      'print(json.dumps([g_logaddexp(random.Random(s), fam)[0] for s in range(4) for fam in ("base", "edge")]))',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', program], { encoding: 'utf8', cwd: fileURLToPath(new URL('./fixtures/', import.meta.url)), maxBuffer: 2 ** 24 });
    if (r.error || (r.status !== 0 && /No module named 'torch'/.test(r.stderr))) {
      console.log(`adding-an-op.md: ${PYTHON} cannot import torch (${r.error?.message ?? 'no torch'}): the page's generator and op were NOT compared with PyTorch`);
      return;
    }
    expect(r.status, r.stderr).toBe(0);
    const cases = JSON.parse(r.stdout) as RefCase[];
    expect(cases.length).toBe(8);
    await withModules([modules()[0]], async ([file]) => {
      const { logaddexp } = (await import(pathToFileURL(file!).href)) as { logaddexp: (a: Tensor, b: Tensor) => Tensor };
      CALLS[OP] = (t) => logaddexp(t['a']!, t['b']!); // the page's calls.ts line
      try {
        cases.forEach((c, i) => checkOpCase(c, `adding-an-op.md's ${OP} case ${i}`));
      } finally {
        delete CALLS[OP];
      }
    });
    expect(doc).toContain(`${OP}: (t) => T.${OP}(t.a!, t.b!),`);
  });
});
