/**
 * docs/api.md documents every export of the entry points in api-names.ts's ENTRY_POINTS (@tessera/core,
 * @tessera/core/testing, @tessera/nn, @tessera/data, @tessera/data/node), each in the section headed by
 * its specifier: every name api-names.ts reads with the TypeScript compiler (values, types, class
 * members, options) has a row there. A row documents the names in backticks at the start of its first
 * cell (`conv2d(…)`, `Tensor.add(b)`, several per cell allowed); an option `Owner.opt` is also
 * documented by a row of `Owner` that names `opt` in backticks in another cell. The compiler's list is checked against the
 * modules' runtime exports, so a value export cannot escape it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiNames, ENTRY_POINTS, type ApiName } from './api-names.js';

const doc = readFileSync(new URL('../docs/api.md', import.meta.url), 'utf8');

interface Row { section: string; line: number; keys: Set<string>; description: string; example: string | null; rest: string }

/** The table rows of api.md: their section's entry point, the names the first cell documents, the other cells. */
function rows(markdown: string): Row[] {
  const out: Row[] = [];
  let section = '';
  markdown.split('\n').forEach((line, i) => {
    const heading = /^## `([^`]+)`/.exec(line);
    if (heading) section = heading[1]!;
    if (!line.startsWith('|') || /^\|[\s|:-]+\|$/.test(line)) return;
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replace(/\\\|/g, '|'));
    if (cells[0] === 'Name') return; // the header
    const spans = [...(cells[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!.trim());
    const keys = new Set(spans.map((s) => /^[\w$.]+/.exec(s)?.[0] ?? '').filter((k) => k !== ''));
    const example = /^`(.+)`$/.exec(cells[2] ?? '')?.[1] ?? null;
    out.push({ section, line: i + 1, keys, description: cells[1] ?? '', example, rest: cells.slice(1).join('|') });
  });
  return out;
}

const table = rows(doc);
const SOURCES: Record<string, string> = {
  '@tessera/core': '../packages/core/src/index.js',
  '@tessera/core/testing': '../packages/core/src/testing/index.js',
  '@tessera/nn': '../packages/nn/src/index.js',
  '@tessera/data': '../packages/data/src/index.js',
  '@tessera/data/node': '../packages/data/src/node/index.js',
};
const runtime: Record<string, Record<string, unknown>> = {
  '@tessera/core': await import('../packages/core/src/index.js'),
  '@tessera/core/testing': await import('../packages/core/src/testing/index.js'),
  '@tessera/nn': await import('../packages/nn/src/index.js'),
  '@tessera/data': await import('../packages/data/src/index.js'),
  '@tessera/data/node': await import('../packages/data/src/node/index.js'),
};

/**
 * Every row's example as a statement in a module that imports the entry points' names (values as
 * values, the rest as types) and declares the free variables the examples use; one function per row.
 */
function examplesModule(): { code: string; rowAtLine: Map<number, Row> } {
  const lines: string[] = [];
  // A value two entry points export (core's flip(x, dims) and data's flip(array, horizontal)) is
  // imported under an alias from the later one, and its section's examples get it back by name.
  const imported = new Set<string>();
  const shadows = new Map<string, string>();
  Object.entries(SOURCES).forEach(([specifier, from], k) => {
    const values = Object.keys(runtime[specifier]!);
    const types = [...new Set(table.filter((r) => r.section === specifier).flatMap((r) => [...r.keys]).filter((n) => !n.includes('.') && !values.includes(n)))];
    const clashingType = types.find((n) => imported.has(n));
    if (clashingType) throw new Error(`api-doc: the type ${clashingType} of ${specifier} has the name of an earlier entry point's export; alias it in examplesModule`);
    const clash = values.filter((n) => imported.has(n));
    lines.push(`import { ${values.map((n) => (clash.includes(n) ? `${n} as ${n}$${k}` : n)).join(', ')} } from '${from}';`);
    if (types.length > 0) lines.push(`import type { ${types.join(', ')} } from '${from}';`);
    shadows.set(specifier, clash.map((n) => ` const ${n} = ${n}$${k};`).join(''));
    for (const n of [...values, ...types]) imported.add(n);
  });
  lines.push(
    "import fc from 'fast-check';",
    'declare const x: Tensor, y: Tensor, z: Tensor, a: Tensor, b: Tensor, w: Tensor, gw: Tensor, v: Tensor, t: Tensor, loss: Tensor;',
    'declare const logits: Tensor, target: Tensor, mask: Tensor, idx: Tensor, rm: Tensor, rv: Tensor, sd: StateDict, bytes: Uint8Array, p: string;',
    'declare const g: Generator, f: (x: Tensor) => Tensor, net: Module, conv: Conv2d, bn: BatchNorm2d, lin: Linear, pool: AvgPool2d, list: ModuleList;',
    'declare const opt: Adam, sched: StepLR, saved: OptimizerStateDict, s: SchedulerStateDict, cm: ConfusionMatrix, pr: BinaryPRCurve, node: GradNode;',
    'declare const model: FCEF, ref: ReferenceSegmenter, head: Tensor[], initWeights: (m: Module) => void, deconv: ConvTranspose2d, upsample: Upsample;',
    'declare const ctx: FunctionCtx, bw: MultiBackwardFn;',
    'declare const ds: Dataset, sample: Sample, raw: RawImage, image: NdArray<Float32Array>, labels: NdArray<Int32Array>, images: Tensor, masks: Tensor;',
    'declare const loader: DataLoader<Sample>, folder: FolderDataset<SegmentationSample>, workers: DatasetWorkers<SegmentationSample>, pair: ChangePair;',
    'export const examples: (() => unknown)[] = [',
  );
  const rowAtLine = new Map<number, Row>();
  for (const r of table) {
    if (r.example === null) continue;
    lines.push(`  () => {${shadows.get(r.section) ?? ''}`);
    rowAtLine.set(lines.length + 1, r);
    lines.push(`    ${r.example}`, '  },');
  }
  lines.push('];');
  return { code: lines.join('\n'), rowAtLine };
}

const examples = examplesModule();
const examplesFile = new URL(`./.api-examples-${process.pid}.ts`, import.meta.url).pathname;
let compiled: ReturnType<typeof apiNames>;
try {
  writeFileSync(`${examplesFile}.tmp`, examples.code);
  renameSync(`${examplesFile}.tmp`, examplesFile);
  compiled = apiNames([examplesFile]); // one compiler pass: the exports and the examples' types
} finally {
  rmSync(examplesFile, { force: true });
}
const names = compiled.names;

/** Documented in its entry point's section (data's flip is not core's flip). */
function documented(n: ApiName, specifier: string): boolean {
  const section = table.filter((r) => r.section === specifier);
  if (section.some((r) => r.keys.has(n.key))) return true;
  if (n.kind !== 'option') return false;
  const dot = n.key.lastIndexOf('.');
  const owner = n.key.slice(0, dot);
  const option = n.key.slice(dot + 1);
  return section.some((r) => r.keys.has(owner) && r.rest.includes(`\`${option}\``));
}

describe('docs/api.md', () => {
  for (const entry of ENTRY_POINTS) {
    it(`has a line for every export of ${entry.specifier} (and every method and option)`, () => {
      const list = names.get(entry.specifier)!;
      const missing = list.filter((n) => !documented(n, entry.specifier));
      const message = missing.length === 0 ? '' :
        `docs/api.md has no line for ${missing.length} name(s) of ${entry.specifier} — add a table row whose first cell starts with ` +
        'the name in backticks (an option may instead be named in backticks in its owner\'s row):\n' +
        missing.map((n) => `  ${n.key}  (${n.kind})`).join('\n');
      expect(missing.map((n) => n.key), message).toEqual([]);
      expect(list.length).toBeGreaterThan(20);
    });
  }

  it("the compiler's list of value exports is each module's runtime exports", () => {
    expect(Object.keys(runtime)).toEqual(ENTRY_POINTS.map((e) => e.specifier));
    for (const entry of ENTRY_POINTS) {
      const values = names.get(entry.specifier)!.filter((n) => n.runtime).map((n) => n.key).sort();
      expect(Object.keys(runtime[entry.specifier]!).sort(), entry.specifier).toEqual(values);
    }
  });

  it('every row has a one-line description and an example, and the examples type-check against the real signatures', () => {
    const bare = table.filter((r) => r.description === '' || r.example === null).map((r) => `line ${r.line}`);
    expect(bare, 'rows of docs/api.md without a description or an example (one code span in the third cell)').toEqual([]);
    const errors = compiled.errors.map((e) => {
      const line = Number(/^line (\d+)/.exec(e)?.[1]);
      const row = examples.rowAtLine.get(line);
      return row ? `docs/api.md line ${row.line} (${[...row.keys].join(', ')}): ${e.replace(/^line \d+: /, '')}` : e;
    });
    expect(errors).toEqual([]);
    expect(examples.rowAtLine.size).toBeGreaterThan(200);
  });

  it('documents no name that is not exported (a renamed or removed export leaves no stale line)', () => {
    const known = new Map([...names].map(([specifier, list]) => [specifier, new Set(list.map((n) => n.key))]));
    const stale = table.flatMap((r) => [...r.keys].filter((k) => !known.get(r.section)?.has(k) && k !== 'Name').map((k) => `${k} (line ${r.line}, section ${r.section || 'none'})`));
    expect(stale, `docs/api.md names ${stale.join(', ')}, which its section's entry point does not export`).toEqual([]);
  });
});
