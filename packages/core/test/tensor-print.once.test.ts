/**
 * Printing (format.ts): String(t) and console.log(t) against PyTorch 1.13's repr of the same tensors
 * (fixtures/repr.torch.json, from generate_repr.py), with Tessera's dtype and op names in place of
 * torch's (torch.float64 → float64, MulBackward0 → mul); Python's float formatting, ties included.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { pyExponential, pyFixed } from '../src/format.js';
import { mul, Tensor, tensor, type DType } from '../src/index.js';

interface ReprCase {
  name: string;
  data: (number | 'nan' | 'inf' | '-inf')[];
  shape: number[];
  dtype: DType;
  requiresGrad: boolean;
  op: 'mul2' | null;
  repr: string;
}
interface Fixture {
  producer: string;
  cases: ReprCase[];
  formats: { value: number; fixed4: string; fixed0: string; exp4: string }[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/repr.torch.json', import.meta.url), 'utf8')) as Fixture;
const decode = (v: ReprCase['data'][number]): number => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

function build(c: ReprCase): Tensor {
  const values = c.data.map(decode);
  const data = c.dtype === 'int32' ? Int32Array.from(values) : c.dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  const t = new Tensor(data, c.shape, c.requiresGrad);
  return c.op === 'mul2' ? mul(t, 2) : t;
}

/** PyTorch's string with Tessera's names: dtype=torch.X → dtype=X, grad_fn=<MulBackward0> → grad_fn=<mul>. */
const tesseraNames = (repr: string): string =>
  repr.replace(/dtype=torch\.(\w+)/g, 'dtype=$1').replace(/grad_fn=<(\w)(\w*)Backward\d+>/g, (_, a: string, b: string) => `grad_fn=<${a.toLowerCase()}${b}>`);

describe(`printing a tensor as PyTorch does (${fixture.producer})`, () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const t = build(c);
      const expected = tesseraNames(c.repr);
      expect(String(t)).toBe(expected);
      expect(inspect(t)).toBe(expected); // console.log(t), the REPL
      expect(inspect({ t }, { compact: false })).toContain(expected.split('\n')[0]!); // nested in an object
    });
  }

  it('the cases cover each rule: fixed, whole, sci, ties, -0, int32, float64, 0-d, empty, wrapping, summaries, grad', () => {
    const all = fixture.cases.map((c) => c.repr).join('\n');
    for (const s of ['0.1235', '1.,  -2.', '1.0000e-05', '0.0312', '-0.', 'dtype=torch.int32', 'dtype=torch.float64', 'tensor(3.5000)', 'size=(0, 3)',
      ' ...', '...,\n', 'requires_grad=True', 'grad_fn=<MulBackward0>', '1.0000e-300']) expect(all).toContain(s);
    expect(fixture.cases.some((c) => c.repr.split('\n').some((l) => l.length > 70))).toBe(true);
  });
});

describe("Python's float formatting, which the printer follows", () => {
  it(`'{:.4f}', '{:.0f}' and '{:.4e}' of ${fixture.formats.length} values: exact ties to even, the rest as toFixed/toExponential`, () => {
    const wrong = fixture.formats.flatMap((f) => [
      pyFixed(f.value, 4) === f.fixed4 ? [] : [`{:.4f} of ${f.value}: ${pyFixed(f.value, 4)}, Python ${f.fixed4}`],
      pyFixed(f.value, 0) === f.fixed0 ? [] : [`{:.0f} of ${f.value}: ${pyFixed(f.value, 0)}, Python ${f.fixed0}`],
      pyExponential(f.value, 4) === f.exp4 ? [] : [`{:.4e} of ${f.value}: ${pyExponential(f.value, 4)}, Python ${f.exp4}`],
    ].flat());
    expect(wrong).toEqual([]);
    expect(fixture.formats.filter((f) => (f.value * 2 ** 14) % 1 === 0 && f.fixed4 !== f.value.toFixed(4)).length).toBeGreaterThan(5); // real ties in the set
  });
});

describe('printing: Tessera specifics', () => {
  it('a custom op prints its own name as grad_fn; detach() drops it', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(String(x.mul(x).sum())).toBe('tensor(5., grad_fn=<sum>)');
    expect(String(x.mul(3).detach())).toBe('tensor([3., 6.])');
  });

  it('@tessera/core reaches util.inspect through Symbol.for, not a node:util import (the browser build has none)', () => {
    const src = new URL('../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.startsWith('platform'));
    const importers = files.filter((f) => /from 'node:util'|require\('node:util'\)|from 'util'/.test(readFileSync(new URL(f, src), 'utf8')));
    expect(importers).toEqual([]);
    expect(files.length).toBeGreaterThan(50);
  });
});
