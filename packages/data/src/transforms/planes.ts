/**
 * The raw loops of the spatial transforms, on arrays of shape (…, H, W): every leading index is a
 * plane moved the same way. Each returns a new array and its new shape.
 */
import { ndarray, type NdArray, type SampleArray } from '../sample.js';

function planes(a: NdArray): { n: number; h: number; w: number; lead: number[] } {
  const s = a.shape;
  const h = s[s.length - 2]!;
  const w = s[s.length - 1]!;
  return { n: a.data.length / (h * w || 1), h, w, lead: s.slice(0, -2) };
}

function like<A extends SampleArray>(a: A, n: number): A {
  return (a instanceof Float32Array ? new Float32Array(n) : new Int32Array(n)) as A;
}

/** Mirrors the columns (horizontal = true) or the rows. */
export function flip<A extends SampleArray>(a: NdArray<A>, horizontal: boolean): NdArray<A> {
  const { n, h, w } = planes(a);
  const src = a.data;
  const out = like(src, src.length);
  for (let p = 0; p < n; p++) {
    for (let y = 0; y < h; y++) {
      const sy = horizontal ? y : h - 1 - y;
      for (let x = 0; x < w; x++) out[(p * h + y) * w + x] = src[(p * h + sy) * w + (horizontal ? w - 1 - x : x)]!;
    }
  }
  return ndarray(out, a.shape);
}

/** Rotates by k·90° counter-clockwise, as `torch.rot90(a, k, dims=(-2, -1))`. */
export function rot90<A extends SampleArray>(a: NdArray<A>, k: number): NdArray<A> {
  const r = ((k % 4) + 4) % 4;
  if (r === 0) return ndarray(a.data.slice() as A, a.shape);
  const { n, h, w, lead } = planes(a);
  const [h2, w2] = r === 2 ? [h, w] : [w, h];
  const src = a.data;
  const out = like(src, src.length);
  for (let p = 0; p < n; p++) {
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        // out[y][x] = in[sy][sx]: r = 1 → in[x][w−1−y], r = 2 → in[h−1−y][w−1−x], r = 3 → in[h−1−x][y]
        const [sy, sx] = r === 1 ? [x, w - 1 - y] : r === 2 ? [h - 1 - y, w - 1 - x] : [h - 1 - x, y];
        out[(p * h2 + y) * w2 + x] = src[(p * h + sy) * w + sx]!;
      }
    }
  }
  return ndarray(out, [...lead, h2, w2]);
}

/** The window of `height`×`width` whose top-left corner is (top, left); it must lie inside. */
export function crop<A extends SampleArray>(a: NdArray<A>, top: number, left: number, height: number, width: number): NdArray<A> {
  const { n, h, w, lead } = planes(a);
  if (top < 0 || left < 0 || top + height > h || left + width > w) {
    throw new Error(`crop: the window ${height}×${width} at (${top}, ${left}) does not fit in ${h}×${w}`);
  }
  const src = a.data;
  const out = like(src, n * height * width);
  for (let p = 0; p < n; p++) {
    for (let y = 0; y < height; y++) {
      const from = (p * h + top + y) * w + left;
      out.set(src.subarray(from, from + width), (p * height + y) * width);
    }
  }
  return ndarray(out, [...lead, height, width]);
}
