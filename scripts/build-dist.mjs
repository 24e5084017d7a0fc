#!/usr/bin/env node
/**
 * Builds a publishable package's dist/ (what `pnpm pack` ships; publishConfig in its package.json
 * points `exports` and `imports` there, while the workspace keeps resolving the TypeScript sources):
 *   - JavaScript: each src/**.ts transpiled on its own by esbuild (ESM, ES2022, source maps);
 *   - types: the .d.ts that `tsc -b` emits into .tsbuild/src (run here first; incremental);
 *   - assets: src/**.mjs (the kernel threads) and src/**.wasm (the kernels) copied as they are.
 * Usage: node scripts/build-dist.mjs packages/core [packages/nn …]
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function files(dir, test) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) { if (e.name !== 'assembly' && e.name !== 'node_modules') out.push(...files(p, test)); }
    else if (test(e.name)) out.push(p);
  }
  return out;
}

/** `tsc -b` over the packages' projects (one process; incremental, so quick after the README's tsc -b). */
export function typecheck(pkgDirs) {
  const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', ...pkgDirs.map((d) => join(resolve(repo, d), 'tsconfig.json'))], { stdio: 'inherit' });
}

/** Writes dist/ of one package whose .tsbuild is up to date (typecheck first). */
export async function buildDist(pkgDir) {
  const pkg = resolve(repo, pkgDir);
  const src = join(pkg, 'src');
  const dist = join(pkg, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const sources = files(src, (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
  await build({ entryPoints: sources, outdir: dist, outbase: src, format: 'esm', target: 'es2022', platform: 'neutral', sourcemap: true, logLevel: 'warning' });
  const types = join(pkg, '.tsbuild', 'src');
  const assets = [
    ...files(types, (n) => n.endsWith('.d.ts')).map((f) => [f, join(dist, relative(types, f))]),
    ...files(src, (n) => n.endsWith('.mjs') || n.endsWith('.wasm')).map((f) => [f, join(dist, relative(src, f))]),
  ];
  for (const [from, to] of assets) {
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
  return { dist, js: sources.length, copied: assets.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  typecheck(process.argv.slice(2));
  for (const dir of process.argv.slice(2)) {
    const r = await buildDist(dir);
    process.stdout.write(`${relative(repo, r.dist)}: ${r.js} modules, ${r.copied} type and asset files\n`);
  }
}
