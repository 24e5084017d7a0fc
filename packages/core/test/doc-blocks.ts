/**
 * Runs the TypeScript examples of a Markdown document, so documentation cannot rot.
 *
 * `codeBlocks` extracts the ```ts blocks (info string exactly "ts"; ```ts no-run blocks are left out),
 * optionally only those under one heading. `runBlocks` writes them, joined in order, to a temporary
 * module next to the tests (so '@tessera/core' resolves as for a user), imports it and captures what
 * it prints with console.log. `expectedPrints` reads what the document says is printed: the comment
 * after each `console.log(...)` line, taking the part after the last " = " (so a derivation can
 * precede the value); a trailing "…" means "starts with". `typecheckBlocks` type-checks the code
 * with the core package's compiler options (strict, NodeNext), as a user's file would be.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import ts from 'typescript';
import { expect } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** The ```ts code blocks of a Markdown file, all or only those in the section under `heading`. */
export function codeBlocks(markdownPath: string, heading?: string): string[] {
  let text = readFileSync(markdownPath, 'utf8');
  if (heading !== undefined) {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.trim() === heading);
    if (start === -1) throw new Error(`${markdownPath}: no heading '${heading}'`);
    const level = /^#+/.exec(heading)![0].length;
    let end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
    if (end === -1) end = lines.length;
    text = lines.slice(start + 1, end).join('\n');
  }
  const blocks: string[] = [];
  const fence = /^```ts[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = fence.exec(text); m; m = fence.exec(text)) blocks.push(m[1]!);
  return blocks;
}

/** One console.log call's output: strings as they are, other values as JSON. */
function show(args: unknown[]): string {
  return args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? inspect(a))).join(' ');
}

/**
 * Writes each code string to a fresh module in `dir` (default the test folder; another package's, so
 * that its own dependencies resolve) whole, then renamed; runs `use` on the paths, removes them. A code
 * may import another of the same call as '@doc-module/<its index>'.
 */
export async function withModules<T>(codes: readonly string[], use: (files: string[]) => T | Promise<T>, dir = here): Promise<T> {
  const names = codes.map(() => `.doc-run-${process.pid}-${randomBytes(4).toString('hex')}`);
  const files: string[] = [];
  try {
    for (const [i, code] of codes.entries()) {
      const tmp = join(dir, `${names[i]}.tmp`);
      const file = join(dir, `${names[i]}.ts`);
      writeFileSync(tmp, code.replace(/'@doc-module\/(\d+)'/g, (_, k: string) => `'./${names[Number(k)]}.js'`));
      renameSync(tmp, file); // never a half-written module
      files.push(file);
    }
    return await use(files);
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
}

/** Runs `code` as a module from the test folder (or `dir`); returns what each console.log printed, in order. */
export async function runBlocks(code: string, dir = here): Promise<string[]> {
  return withModules([code], ([file]) => printsOf(file!), dir);
}

/** Imports the module `file` (once per process); returns what each console.log printed meanwhile, in order. */
export async function printsOf(file: string): Promise<string[]> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => { printed.push(show(args)); };
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = original;
  }
  return printed;
}

/**
 * Type errors of each code string (a module of its own) under packages/core/tsconfig.json's options,
 * one line each, prefixed with the module's index (none: []). One program for all: a single pass.
 */
export async function typecheckBlocks(codes: readonly string[]): Promise<string[]> {
  return withModules(codes, typecheckFiles);
}

/** Type errors of the modules `files` (paths), one program, one line each prefixed with the file's index. */
export function typecheckFiles(files: readonly string[]): string[] {
  const configPath = join(here, '..', 'tsconfig.json');
  const config = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath));
  const options: ts.CompilerOptions = {
    ...parsed.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false, incremental: false,
  };
  const program = ts.createProgram(files, options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file === undefined || files.includes(d.file.fileName))
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      if (!d.file || d.start === undefined) return text;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `code ${files.indexOf(d.file.fileName)}, line ${line + 1}:${character + 1}: ${text}`;
    });
}

/** What the code says it prints: the comment after each console.log line (see the module comment). */
export function expectedPrints(code: string): string[] {
  const out: string[] = [];
  for (const line of code.split('\n')) {
    const m = /^\s*console\.log\(.*\);\s*\/\/\s*(.*)$/.exec(line);
    if (m) out.push(m[1]!.split(' = ').pop()!.trim());
  }
  return out;
}

/** True when `actual` is what `expected` says: equal (ignoring spaces for non-strings), or a prefix with "…". */
export function printMatches(actual: string, expected: string): boolean {
  const squash = (s: string): string => s.replace(/\s+/g, '');
  if (expected.endsWith('…')) return actual.startsWith(expected.slice(0, -1)) || squash(actual).startsWith(squash(expected.slice(0, -1)));
  return actual === expected || squash(actual) === squash(expected);
}

/**
 * Runs `code` (a module in `dir`, default the core tests' folder) and expects it to print, line by
 * line, what its console.log comments say; `source` names the document in failures. Returns the
 * expected prints (for further checks).
 */
export async function expectPrintsAsDocumented(code: string, source: string, dir = here): Promise<string[]> {
  return expectPrinted(await runBlocks(code, dir), code, source);
}

/** Expects `printed` (what `code` printed) to be, line by line, what its console.log comments say. */
export function expectPrinted(printed: readonly string[], code: string, source: string): string[] {
  const expected = expectedPrints(code);
  expect(printed.length).toBe(expected.length);
  printed.forEach((p, i) => {
    expect(printMatches(p, expected[i]!), `console.log #${i + 1} printed ${p}; ${source} says ${expected[i]}`).toBe(true);
  });
  return expected;
}

/**
 * docs/adding-an-op.md's three ts blocks (the op file, the methods.ts fragment, the test sketch) as
 * modules for the test folder, their imports redirected from where the page puts them (src/ops/,
 * src/, test/); the op module is '@doc-module/<first>', so they can sit at `first` in a longer list.
 */
export function addingAnOpModules(op: string, first = 0): [string, string, string] {
  const blocks = codeBlocks(join(here, '..', '..', '..', 'docs', 'adding-an-op.md'));
  if (blocks.length !== 3) throw new Error(`docs/adding-an-op.md: expected 3 ts blocks (op file, methods.ts, test sketch), found ${blocks.length}`);
  const [opFile, methods, sketch] = blocks as [string, string, string];
  const self = `'@doc-module/${first}'`;
  return [
    opFile.replace(/'\.\.\//g, "'../src/").replace(/'\.\/([^']*)'/g, "'../src/ops/$1'"),
    methods.replace(`'./ops/${op}.js'`, self).replace(/'\.\/([^']*)'/g, "'../src/$1'"),
    sketch.replace(`'../src/ops/${op}.js'`, self),
  ];
}
