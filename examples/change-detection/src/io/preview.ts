/**
 * Side-by-side preview of a pair: t1 | t2 | mask, each upscaled by `scale` (nearest neighbour),
 * separated by `gap` white pixels. The mask is drawn as red change on a dark background.
 *
 * @returns a CHW float image and its size.
 */
export function composePreview(
  t1: Float32Array,
  t2: Float32Array,
  mask: Int32Array | Uint8Array,
  size: number,
  { scale = 4, gap = 2 }: { scale?: number; gap?: number } = {},
): { data: Float32Array; width: number; height: number } {
  const tile = size * scale;
  const width = 3 * tile + 2 * gap;
  const height = tile;
  const hw = width * height;
  const data = new Float32Array(3 * hw).fill(1);
  const n = size * size;
  const panels: ((c: number, i: number) => number)[] = [
    (c, i) => t1[c * n + i]!,
    (c, i) => t2[c * n + i]!,
    (c, i) => (mask[i] ? [0.95, 0.15, 0.1][c]! : 0.08),
  ];
  panels.forEach((pixel, p) => {
    const left = p * (tile + gap);
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const i = Math.floor(y / scale) * size + Math.floor(x / scale);
        for (let c = 0; c < 3; c++) data[c * hw + y * width + left + x] = pixel(c, i);
      }
    }
  });
  return { data, width, height };
}
