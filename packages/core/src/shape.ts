/** Shape helpers shared by ops and kernels. Shapes are plain number arrays, row-major. */
export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting of two shapes; throws naming the op and both shapes. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new Error(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dim ${i - n} is ${da} vs ${db})`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** True when `from` broadcasts to `to` (NumPy rules). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length) return false;
  for (let i = 1; i <= from.length; i++) {
    const f = from[from.length - i]!;
    if (f !== 1 && f !== to[to.length - i]) return false;
  }
  return true;
}

/** Normalises a possibly negative dim for a tensor of the given rank. */
export function normalizeDim(op: string, dim: number, rank: number, arg = 'dim'): number {
  const lo = rank === 0 ? -1 : -rank;
  const hi = rank === 0 ? 0 : rank - 1;
  if (!Number.isInteger(dim)) throw new Error(`${op}: ${arg} must be an integer, got ${typeof dim === 'string' ? JSON.stringify(dim) : String(dim)}`);
  if (dim < lo || dim > hi) throw new Error(`${op}: ${arg} ${dim} is out of range for a tensor of rank ${rank} (expected ${lo}..${hi})`);
  return dim < 0 ? dim + Math.max(rank, 1) : dim;
}

/** Normalises `dim` (a number, a list or undefined = all dims) to a sorted, unique list. */
export function normalizeDims(op: string, dim: number | readonly number[] | undefined, rank: number): number[] {
  // As PyTorch 1.13, an empty list of dims reduces over all dims.
  if (dim === undefined || (typeof dim !== 'number' && dim.length === 0)) return Array.from({ length: rank }, (_, i) => i);
  if (typeof dim !== 'number' && !Array.isArray(dim)) throw new Error(`${op}: dim must be an integer or a list of them, got ${typeof dim === 'string' ? JSON.stringify(dim) : typeof dim}`);
  const list = typeof dim === 'number' ? [dim] : dim;
  const out = [...new Set(list.map((d) => normalizeDim(op, d, rank)))];
  if (out.length !== list.length) throw new Error(`${op}: dim ${JSON.stringify(list)} repeats a dim`);
  return out.sort((x, y) => x - y).filter((d) => d < rank);
}
