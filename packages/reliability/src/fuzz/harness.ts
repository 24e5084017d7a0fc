/**
 * The fuzz campaign's rules. Each exported name gets an entry: generated calls with bad arguments,
 * each labelled with what PyTorch does with them.
 *
 * - PyTorch raises: Tessera must throw an `Error` whose message names the op and the argument at
 *   fault (the case lists the words that must appear). Returning anything — a NaN, a wrong shape —
 *   is a failure: that is a silently wrong result.
 * - PyTorch returns: Tessera must return the same (an oracle checks it) or throw such an Error
 *   (a documented limitation is not a wrong answer).
 * Anything thrown that is not an Error, or an Error without those words, fails; a hang shows as the
 * test's timeout.
 *
 * `spec` builds the usual cases from a description of a call: an unknown option key, a bad value
 * for each option, a bad value for each positional argument.
 */
import fc from 'fast-check';

export type Oracle = (out: unknown) => void;

export interface FuzzCase {
  /** Short description, shown on failure. */
  what: string;
  call: () => unknown;
  /** Words the Error must contain if PyTorch raises (op and argument); or the oracle if it returns. */
  expect: { raises: readonly string[] } | { returns: Oracle };
}

export type FuzzEntry = { cases: fc.Arbitrary<FuzzCase> } | { skip: string };

const show = (v: unknown): string => {
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'number' || v === undefined || typeof v === 'bigint') return String(v);
  try {
    return JSON.stringify(v)?.slice(0, 60) ?? String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
};
export { show };

/**
 * Runs one case; throws (for fast-check to shrink and report) when Tessera's behaviour is not allowed.
 * Returns what happened: a clear error, or PyTorch's result.
 */
export function check(c: FuzzCase): 'error' | 'result' {
  let out: unknown;
  let err: unknown;
  let threw = false;
  try {
    out = c.call();
  } catch (e) {
    threw = true;
    err = e;
  }
  if (threw) {
    if (!(err instanceof Error)) throw new Error(`${c.what}: threw a non-Error ${show(err)}`);
    const words = 'raises' in c.expect ? c.expect.raises : [];
    const missing = words.filter((w) => !namesWord(err.message, w));
    if (missing.length > 0) throw new Error(`${c.what}: the error does not name ${missing.map((w) => `'${w}'`).join(', ')}: ${err.name}: ${err.message}`);
    if ('returns' in c.expect && !/\w+: /.test(err.message)) throw new Error(`${c.what}: PyTorch returns; Tessera threw an unclear error: ${err.message}`);
    return 'error';
  }
  if ('raises' in c.expect) throw new Error(`${c.what}: PyTorch raises, but Tessera returned ${describe(out)}`);
  c.expect.returns(out);
  return 'result';
}

/**
 * Whether `message` has `word` as a word, singular or plural (`dims` is named by "dim 2", `target` by
 * "targets"), so that an argument named 'b' is not found inside 'broadcast'.
 */
export function namesWord(message: string, word: string): boolean {
  const base = (word.endsWith('s') ? word.slice(0, -1) : word).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${base}s?($|[^\\w])`).test(message);
}

function describe(v: unknown): string {
  const t = v as { shape?: unknown; data?: ArrayLike<number> } | null;
  if (t && Array.isArray(t.shape) && t.data) return `a tensor of shape [${t.shape.join(', ')}]: ${show(Array.from(t.data).slice(0, 6))}`;
  return show(v);
}

/** A case PyTorch raises on: Tessera must throw an Error naming `op` and `arg` (and any other words given). */
export const raises = (op: string, arg: string, what: string, call: () => unknown, ...more: string[]): FuzzCase =>
  ({ what: `${op}: ${what}`, call, expect: { raises: [op, arg, ...more] } });

/** A case PyTorch returns on, with an oracle for the result. */
export const returns = (op: string, what: string, call: () => unknown, oracle: Oracle): FuzzCase =>
  ({ what: `${op}: ${what}`, call, expect: { returns: oracle } });

/** Values that are not tensors (for arguments that must be a Tensor). */
export const notATensor = fc.constantFrom<unknown>('x', null, undefined, {}, true, [[1, 2], [3]], () => 1);
/** Values that are not tensors or numbers (for TensorLike arguments). */
export const notTensorLike = fc.constantFrom<unknown>('x', null, {}, true, [[1, 2], [3]], () => 1);
// null is left out of the bad values of options: like Python's None it may mean "the default".
/** Bad values for a size or count that must be an integer >= `min`. */
export const badInt = (min = 1): fc.Arbitrary<unknown> =>
  fc.constantFrom<unknown>(min - 1, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', [], {}, true);
/** Bad values for a number option. */
export const badNumber = fc.constantFrom<unknown>('1', [], {}, true, () => 1);
/** Bad values for a boolean option. */
export const badBool = fc.constantFrom<unknown>('yes', 'false', [], {}); // 0 and 1 pass for booleans in Python
/** Bad values for a dim of a tensor of rank r. */
export const badDim = (rank: number): fc.Arbitrary<unknown> => fc.constantFrom<unknown>(rank, -rank - 1, 99, 0.5, Number.NaN, '0', {});
/** Option keys no op has: PyTorch raises TypeError on an unexpected keyword. */
export const unknownKey = fc.constantFrom('foo', 'kernel_size', 'ignore_index', 'inplace', 'Weight', 'dims');

export interface Spec {
  /** Builds the positional arguments afresh (tensors may be consumed by a call). */
  args: () => unknown[];
  /** Names of the positional arguments, in order (named in the errors). */
  names: readonly string[];
  /** Bad values for positional arguments by name (PyTorch raises on each). */
  bad?: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  /** Position of the options object; its bad values by key (PyTorch raises on each). */
  options?: { at: number; bad: Readonly<Record<string, fc.Arbitrary<unknown>>>; base?: () => Record<string, unknown> };
  /** Hand-written cases, with what PyTorch does. */
  extra?: readonly fc.Arbitrary<FuzzCase>[];
}

/** The cases of a call described by `s` (see the file comment). */
export function spec(op: string, fn: (...a: never[]) => unknown, s: Spec): fc.Arbitrary<FuzzCase> {
  const call = (args: unknown[]) => () => (fn as (...a: unknown[]) => unknown)(...args);
  const arbs: fc.Arbitrary<FuzzCase>[] = [...(s.extra ?? [])];
  for (const [name, bad] of Object.entries(s.bad ?? {})) {
    const i = s.names.indexOf(name);
    if (i < 0) throw new Error(`fuzz spec ${op}: no argument '${name}'`);
    arbs.push(bad.map((v) => {
      const args = s.args();
      args[i] = v;
      return raises(op, name, `${name} = ${show(v)}`, call(args));
    }));
  }
  const o = s.options;
  if (o) {
    const withOptions = (extra: Record<string, unknown>): unknown[] => {
      const args = s.args();
      args[o.at] = { ...(o.base?.() ?? {}), ...extra };
      return args;
    };
    arbs.push(unknownKey.map((k) => raises(op, k, `unknown option ${k}`, call(withOptions({ [k]: 1 })))));
    arbs.push(fc.constantFrom<unknown>(5, 'x', [1]).map((v) => {
      const args = s.args();
      args[o.at] = v;
      return raises(op, 'options', `options = ${show(v)}`, call(args));
    }));
    for (const [key, bad] of Object.entries(o.bad)) {
      arbs.push(bad.map((v) => raises(op, key, `${key} = ${show(v)}`, call(withOptions({ [key]: v })))));
    }
  }
  if (arbs.length === 0) throw new Error(`fuzz spec ${op}: no cases`);
  return fc.oneof(...arbs);
}
