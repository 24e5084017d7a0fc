/**
 * A tensor as PyTorch's `repr` prints it (torch/_tensor_str.py with the default print options:
 * precision 4, threshold 1000, edgeitems 3, linewidth 80), so `String(t)` and `console.log(t)` read
 * like `print(t)`:
 *   tensor([[ 0.1235, -2.0000],
 *           [    inf,     nan]], dtype=float64, grad_fn=<mul>)
 * - One bracket per dim, rows of a matrix on their own lines, a blank line between matrices.
 * - Floats share one format chosen from the non-zero finite values: whole numbers as `2.`; else 4
 *   decimals; scientific (`1.0000e-05`) when max/min > 1000, max > 1e8, or (not whole) min < 1e-4.
 *   Rounding is Python's: exact ties go to the even digit. Every value is padded to the widest.
 * - Over 1000 elements, each dim longer than 6 shows its first and last 3 entries around `...`.
 * - Suffixes: `dtype=` unless float32 (Tessera's default dtype, as PyTorch's), then
 *   `grad_fn=<op>` (the OpName of the node that made it) or `requires_grad=True` for a leaf.
 * Dtypes and op names are Tessera's (`float64`, `mul`), not `torch.float64` and `MulBackward0`.
 */
import type { DType } from './dtype.js';

const PRECISION = 4;
const THRESHOLD = 1000;
const EDGE = 3;
const LINEWIDTH = 80;
const PREFIX = 'tensor(';

/** What the printer reads from a tensor (tensor.ts passes itself). */
export interface Printable {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly requiresGrad: boolean;
  readonly gradFn: { readonly op: string } | null;
}

export function formatTensor(t: Printable): string {
  const suffixes: string[] = [];
  let body: string;
  if (t.data.length === 0) {
    if (t.shape.length !== 1) suffixes.push(`size=(${t.shape.join(', ')})`); // numpy's rule: the shape unless (0,)
    body = '[]';
  } else {
    body = formatBody(t);
  }
  if (t.dtype !== 'float32') suffixes.push(`dtype=${t.dtype}`);
  if (t.gradFn) suffixes.push(`grad_fn=<${t.gradFn.op}>`);
  else if (t.requiresGrad) suffixes.push('requires_grad=True');
  return addSuffixes(PREFIX + body, suffixes);
}

/** torch's _add_suffixes: each suffix on the last line while it fits in the line width, else on a new line. */
function addSuffixes(text: string, suffixes: readonly string[]): string {
  let out = text;
  let lastLine = text.length - text.lastIndexOf('\n') + 1;
  for (const s of suffixes) {
    if (lastLine + s.length + 2 > LINEWIDTH) {
      out += `,\n${' '.repeat(PREFIX.length)}${s}`;
      lastLine = PREFIX.length + s.length;
    } else {
      out += `, ${s}`;
      lastLine += s.length + 2;
    }
  }
  return `${out})`;
}

function formatBody(t: Printable): string {
  const { data, shape } = t;
  const summarize = data.length > THRESHOLD;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  /** The indices along a dim that are printed (null between the two edges: the `...`). */
  const shown = (n: number): (number | null)[] =>
    summarize && n > 2 * EDGE ? [...range(0, EDGE), null, ...range(n - EDGE, n)] : range(0, n);
  const visible: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) { visible.push(data[offset]!); return; }
    for (const i of shown(shape[dim]!)) if (i !== null) collect(dim + 1, offset + i * strides[dim]!);
  };
  collect(0, 0);
  const fmt = formatter(visible, t.dtype !== 'int32');
  const render = (dim: number, offset: number, indent: number): string => {
    if (shape.length === 0) return fmt.format(data[0]!);
    const n = shape[dim]!;
    if (dim === shape.length - 1) {
      const items = shown(n).map((i) => (i === null ? ' ...' : fmt.format(data[offset + i]!)));
      const perLine = Math.max(1, Math.floor((LINEWIDTH - indent) / (fmt.width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const slices = shown(n).map((i) => (i === null ? '...' : render(dim + 1, offset + i * strides[dim]!, indent + 1)));
    return `[${slices.join(`,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return render(0, 0, PREFIX.length);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

/** torch's _Formatter: one format and width for all the printed values. */
function formatter(values: readonly number[], floating: boolean): { width: number; format: (v: number) => string } {
  let width = 1;
  const pad = (s: string): string => s.padStart(width);
  if (!floating) {
    for (const v of values) width = Math.max(width, String(v).length);
    return { width, format: (v) => pad(String(v)) };
  }
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  let mode: 'int' | 'fixed' | 'sci' = 'int';
  if (finite.length > 0) {
    const abs = finite.map(Math.abs);
    const lo = Math.min(...abs);
    const hi = Math.max(...abs);
    const whole = finite.every((v) => v === Math.ceil(v));
    mode = hi / lo > 1000 || hi > 1e8 || (!whole && lo < 1e-4) ? 'sci' : whole ? 'int' : 'fixed';
    for (const v of finite) {
      const s = mode === 'sci' ? pyExponential(v, PRECISION) : mode === 'int' ? `${pyFixed(v, 0)}.` : pyFixed(v, PRECISION);
      width = Math.max(width, s.length);
    }
  }
  const format = (v: number): string => {
    if (!Number.isFinite(v)) return pad(Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
    if (mode === 'sci') return pad(pyExponential(v, PRECISION));
    if (mode === 'int') return pad(`${pyFixed(v, 0)}.`);
    return pad(pyFixed(v, PRECISION));
  };
  return { width, format };
}

/** Python's '{:.Nf}': JavaScript's toFixed but for -0 and exact ties, which Python rounds to even. */
export function pyFixed(x: number, digits: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  const exact = a.toFixed(digits + 25); // exact decimal digits (a double differs from a tie by far more)
  const kept = exact.slice(0, exact.length - 25);
  const rest = exact.slice(exact.length - 25);
  const trimmed = digits === 0 ? kept.slice(0, -1) : kept;
  const isTie = /^50*$/.test(rest);
  const lastEven = Number(trimmed.at(-1)) % 2 === 0;
  return sign + (isTie && lastEven ? trimmed : a.toFixed(digits));
}

/** Python's '{:.Ne}': mantissa rounded as pyFixed, the exponent signed and at least two digits. */
export function pyExponential(x: number, digits: number): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  const a = Math.abs(x);
  const [exactMantissa] = a.toExponential(digits + 25).split('e') as [string, string];
  const rest = exactMantissa.slice(exactMantissa.length - 25);
  const kept = exactMantissa.slice(0, exactMantissa.length - 25);
  const trimmed = digits === 0 ? kept.slice(0, -1) : kept;
  const exactExp = a.toExponential(digits + 25).split('e')[1]!;
  const useTrimmed = /^50*$/.test(rest) && Number(trimmed.at(-1)) % 2 === 0;
  const [m, e] = (useTrimmed ? `${trimmed}e${exactExp}` : a.toExponential(digits)).split('e') as [string, string];
  const exp = Number(e);
  return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
