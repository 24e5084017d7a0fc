/**
 * The house rules on imports, checked on the sources: no import cycle inside a package (type-only
 * imports do not count: they vanish at run time), and dependencies point one way, example → data/nn → core;
 * @tessera/data's main entry stays free of Node built-ins (its Node-only files live in src/node/).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'assembly') out.push(...sourceFiles(p));
    } else if (/\.(ts|mts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** The specifiers a file imports at run time (import/export … from, bare side-effect imports). */
function runtimeImports(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(type\s+)?([^'";]*?)\s+from\s+'([^']+)'/gm)) {
    const typeOnly = m[1] !== undefined || /^\{\s*(?:type\s+[\w$]+(?:\s+as\s+[\w$]+)?\s*,?\s*)+\}$/.test(m[2]!.trim());
    if (!typeOnly) out.push(m[3]!);
  }
  for (const m of source.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push(m[1]!);
  return out;
}

function localGraph(srcDir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of sourceFiles(srcDir)) {
    const deps = runtimeImports(readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => path.resolve(path.dirname(f), s.replace(/\.js$/, '.ts')));
    graph.set(f, deps);
  }
  return graph;
}

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) found.push(scc.map((f) => path.relative(root, f)).sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const packages = readdirSync(path.join(root, 'packages')).map((p) => `packages/${p}`)
  .concat(readdirSync(path.join(root, 'examples')).map((p) => `examples/${p}`));

describe('import graph', () => {
  it.each(packages)('%s/src has no import cycle', (pkg) => {
    expect(cycles(localGraph(path.join(root, pkg, 'src')))).toEqual([]);
  });

  it('finds a cycle when there is one (the checker can fail)', () => {
    const a = path.join(root, 'a.ts');
    const b = path.join(root, 'b.ts');
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([['a.ts', 'b.ts']]);
    expect(runtimeImports("import type { X } from './x.js';\nimport { type Y } from './y.js';\nimport { Z } from './z.js';")).toEqual(['./z.js']);
  });

  it('core imports no other workspace package, nn and data import only core', () => {
    const workspaceImports = (pkg: string): string[] => [...new Set(sourceFiles(path.join(root, pkg, 'src'))
      .flatMap((f) => runtimeImports(readFileSync(f, 'utf8')))
      .filter((s) => s.startsWith('@tessera/'))
      .map((s) => s.split('/').slice(0, 2).join('/')))].sort();
    expect(workspaceImports('packages/core')).toEqual([]);
    expect(workspaceImports('packages/nn')).toEqual(['@tessera/core']);
    expect(workspaceImports('packages/data')).toEqual(['@tessera/core']);
  });

  it('@tessera/data outside src/node imports no Node built-in (a browser can load it)', () => {
    const nodeDir = path.join(root, 'packages/data/src/node');
    const offenders = sourceFiles(path.join(root, 'packages/data/src'))
      .filter((f) => !f.startsWith(nodeDir))
      .flatMap((f) => runtimeImports(readFileSync(f, 'utf8')).filter((s) => s.startsWith('node:')).map((s) => `${path.relative(root, f)}: ${s}`));
    expect(offenders).toEqual([]);
  });
});
