/**
 * The public API of the packages, as names docs/api.md must document, read by the TypeScript
 * compiler from each entry point's exports (what a user's import sees):
 * - every exported value (function, class, constant) and type: `conv2d`, `Tensor`, `Kernels`;
 *   a namespace's members too: `init.kaimingUniform`;
 * - every public member a class declares itself (methods, getters, fields, constructor parameter
 *   properties such as Linear's `readonly inFeatures`; also those added to
 *   Tensor by methods.ts's `declare module` block): `Tensor.add`, `Module.parameters`; a member a
 *   base class already has (`forward` of a layer) is documented once, on the base;
 * - every option: each property an exported `…Options` type declares (`Conv2dOptions.stride`; those of
 *   a base it extends under the base's name), and of an
 *   unnamed object type of an `options` parameter of a function, constructor or method (`Tensor.sum.keepdim`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface EntryPoint {
  /** The import specifier users write. */
  readonly specifier: string;
  /** Its source file, relative to the repository. */
  readonly file: string;
}

export const ENTRY_POINTS: readonly EntryPoint[] = [
  { specifier: '@tessera/core', file: 'packages/core/src/index.ts' },
  { specifier: '@tessera/core/testing', file: 'packages/core/src/testing/index.ts' },
  { specifier: '@tessera/nn', file: 'packages/nn/src/index.ts' },
  { specifier: '@tessera/data', file: 'packages/data/src/index.ts' },
  { specifier: '@tessera/data/node', file: 'packages/data/src/node/index.ts' },
];

export interface ApiName {
  /** The key api.md must have: `conv2d`, `Tensor.add`, `Conv2dOptions.stride`, `clamp.min`. */
  readonly key: string;
  readonly kind: 'value' | 'type' | 'member' | 'option';
  /** Exported as a runtime value (functions, classes, constants): the test compares them with the module. */
  readonly runtime: boolean;
}

/**
 * The names of each entry point (by specifier), in declaration order, and the type errors of
 * `extraFiles` (absolute paths, compiled in the same program: one pass), one line each.
 */
export function apiNames(extraFiles: readonly string[] = []): { names: Map<string, ApiName[]>; errors: string[] } {
  const config = ts.readConfigFile(join(root, 'packages/nn/tsconfig.json'), (p) => ts.sys.readFile(p));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, join(root, 'packages/nn'));
  const program = ts.createProgram([...ENTRY_POINTS.map((e) => join(root, e.file)), ...extraFiles], {
    ...parsed.options, noEmit: true, composite: false, incremental: false, rootDir: root,
  });
  const checker = program.getTypeChecker();
  const errors = extraFiles.flatMap((f) => ts.getPreEmitDiagnostics(program, program.getSourceFile(f)).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return text;
    return `line ${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ${text}`;
  }));
  const result = new Map<string, ApiName[]>();
  for (const entry of ENTRY_POINTS) {
    const source = program.getSourceFile(join(root, entry.file));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    if (!moduleSymbol) throw new Error(`api-names: cannot read the exports of ${entry.file}`);
    const names: ApiName[] = [];
    const seen = new Set<string>();
    const add = (n: ApiName): void => {
      if (!seen.has(n.key)) { seen.add(n.key); names.push(n); }
    };
    const walkExports = (symbols: readonly ts.Symbol[], prefix: string): void => {
      for (const exported of symbols) {
        const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
        const name = prefix + exported.getName();
        if (symbol.flags & ts.SymbolFlags.Module && !(symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class))) {
          add({ key: name, kind: 'value', runtime: true });
          walkExports(checker.getExportsOfModule(symbol), `${name}.`);
          continue;
        }
        const isValue = (symbol.flags & ts.SymbolFlags.Value) !== 0;
        if (!isValue && prefix !== '') continue; // a namespace's types are exported by name as well (init.KaimingOptions = KaimingOptions)
        add({ key: name, kind: isValue ? 'value' : 'type', runtime: isValue && prefix === '' });
        if (symbol.flags & ts.SymbolFlags.Function) {
          for (const decl of symbol.declarations ?? []) if (ts.isFunctionDeclaration(decl)) optionsOf(decl.parameters, name, add);
        }
        if (symbol.flags & ts.SymbolFlags.Class) classMembers(symbol, name, add);
        if (!isValue && /Options$/.test(exported.getName())) {
          // the properties it declares itself (an `extends` base's are listed under the base's name)
          for (const decl of symbol.declarations ?? []) {
            const members = ts.isInterfaceDeclaration(decl) ? decl.members : ts.isTypeAliasDeclaration(decl) ? objectLiterals(decl.type).flatMap((l) => [...l.members]) : [];
            for (const m of members) {
              if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) add({ key: `${name}.${m.name.text}`, kind: 'option', runtime: false });
            }
          }
        }
      }
    };

    /** Options in an unnamed object type of a parameter (named …Options types are listed by their own name). */
    const optionsOf = (params: readonly ts.ParameterDeclaration[], owner: string, addName: (n: ApiName) => void): void => {
      for (const p of params) {
        if (!ts.isIdentifier(p.name) || !/^opt(ion)?s$/i.test(p.name.text)) continue; // an options argument, not a { data } or a group
        const literals = p.type ? objectLiterals(p.type) : [];
        for (const lit of literals) {
          for (const m of lit.members) {
            if (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) addName({ key: `${owner}.${m.name.text}`, kind: 'option', runtime: false });
          }
        }
      }
    };

    const classMembers = (symbol: ts.Symbol, name: string, addName: (n: ApiName) => void): void => {
      const classDecl = symbol.declarations?.find(ts.isClassDeclaration);
      const base = classDecl?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0];
      const baseType = base ? checker.getTypeAtLocation(base.expression) : undefined;
      const baseInstance = base ? checker.getTypeAtLocation(base) : undefined;
      const inherited = new Set([
        ...(baseInstance ? checker.getPropertiesOfType(baseInstance).map((p) => p.getName()) : []),
        ...(baseType ? checker.getPropertiesOfType(baseType).map((p) => p.getName()) : []),
      ]);
      // the class and any interface merged into it (methods.ts's `declare module` block)
      for (const decl of symbol.declarations ?? []) {
        if (!ts.isClassDeclaration(decl) && !ts.isInterfaceDeclaration(decl)) continue;
        for (const m of decl.members) {
          if (ts.isConstructorDeclaration(m)) {
            optionsOf(m.parameters, name, addName);
            for (const p of m.parameters) { // parameter properties (`readonly inFeatures: number`) are public fields too
              const mods = ts.getModifiers(p) ?? [];
              if (mods.length === 0 || !ts.isIdentifier(p.name)) continue;
              if (mods.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword)) continue;
              if (!inherited.has(p.name.text)) addName({ key: `${name}.${p.name.text}`, kind: 'member', runtime: false });
            }
            continue;
          }
          if (!m.name || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) continue; // [symbol] members
          const member = m.name.text;
          const mods = ts.canHaveModifiers(m) ? ts.getModifiers(m) ?? [] : [];
          if (mods.some((k) => k.kind === ts.SyntaxKind.PrivateKeyword || k.kind === ts.SyntaxKind.ProtectedKeyword) || member.startsWith('_')) continue;
          if (inherited.has(member)) continue;
          addName({ key: `${name}.${member}`, kind: 'member', runtime: false });
          if ((ts.isMethodDeclaration(m) || ts.isMethodSignature(m)) && m.parameters) optionsOf(m.parameters, `${name}.${member}`, addName);
        }
      }
    };

    walkExports(checker.getExportsOfModule(moduleSymbol), '');
    result.set(entry.specifier, names);
  }
  return { names: result, errors };
}

/** The object-literal types in a parameter's type annotation (`{ min?: number }`, `X | { … }`). */
function objectLiterals(type: ts.TypeNode): ts.TypeLiteralNode[] {
  if (ts.isTypeLiteralNode(type)) return [type];
  if (ts.isUnionTypeNode(type) || ts.isIntersectionTypeNode(type)) return type.types.flatMap(objectLiterals);
  if (ts.isParenthesizedTypeNode(type)) return objectLiterals(type.type);
  return [];
}
