/** Python-style formatting for module reprs, so `toString()` reads exactly like PyTorch's `print(model)`. */

/** A float as Python's repr prints it: 2.0, 0.1, 1e-05. */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  const [mantissa, expText] = x.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  if (exp >= -4 && exp < 16) return String(x);
  return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

export function pyBool(b: boolean): string {
  return b ? 'True' : 'False';
}

/** A pair as a Python tuple: (3, 3). */
export function pyTuple(p: readonly number[]): string {
  return `(${p.join(', ')}${p.length === 1 ? ',' : ''})`;
}

/** A number or pair argument as given: 2 or (2, 3). */
export function pyIntOrTuple(v: number | readonly number[]): string {
  return typeof v === 'number' ? String(v) : pyTuple(v);
}

/** Expands a number-or-pair argument to a pair (validation is left to the core ops). */
export function toPair(v: number | readonly [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * PyTorch's `Module.__repr__`: `Name(extra)` on one line when there is one extra line and no child;
 * otherwise extra lines and `(name): child` lines (children indented by 2 more) inside `Name(\n … \n)`.
 */
export function formatModule(name: string, extra: string, children: readonly [string, string][]): string {
  const extraLines = extra === '' ? [] : extra.split('\n');
  const childLines = children.map(([k, repr]) => `(${k}): ${repr.split('\n').join('\n  ')}`);
  const lines = [...extraLines, ...childLines];
  if (lines.length === 0) return `${name}()`;
  if (extraLines.length === 1 && childLines.length === 0) return `${name}(${extraLines[0]})`;
  return `${name}(\n  ${lines.join('\n  ')}\n)`;
}
