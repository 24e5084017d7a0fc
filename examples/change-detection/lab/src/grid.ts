/** The lab's picture grid: per validation pair t1, t2, the true change mask and each model's mask at the threshold. */

/** A (3, s, s) image in [0, 1], or a (s, s) mask of 0/1 drawn white on black. */
export function drawTile(canvas: HTMLCanvasElement, data: Float32Array | Int32Array | Uint8Array, size: number, kind: 'rgb' | 'mask'): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(size, size);
  const hw = size * size;
  for (let k = 0; k < hw; k++) {
    for (let c = 0; c < 3; c++) {
      const v = kind === 'rgb' ? data[c * hw + k]! : data[k]! > 0 ? 1 : 0;
      img.data[4 * k + c] = Math.round(255 * Math.min(1, Math.max(0, v)));
    }
    img.data[4 * k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * A predicted mask at `threshold` over the truth: true positives white, false positives red,
 * missed change blue, the rest black.
 */
export function drawPrediction(canvas: HTMLCanvasElement, p: Float32Array, truth: Int32Array, size: number, threshold: number): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(size, size);
  for (let k = 0; k < size * size; k++) {
    const yes = p[k]! >= threshold;
    const t = truth[k] === 1;
    const [r, g, b] = yes && t ? [255, 255, 255] : yes ? [230, 40, 40] : t ? [40, 90, 230] : [0, 0, 0];
    img.data.set([r, g, b, 255], 4 * k);
  }
  ctx.putImageData(img, 0, 0);
}

/** Lays out the grid: a header row, then one row per pair; returns the prediction canvases [pair][variant]. */
export function buildGrid(root: HTMLElement, pairs: number, variants: readonly string[]): { inputs: HTMLCanvasElement[][]; predictions: HTMLCanvasElement[][] } {
  root.replaceChildren();
  root.style.gridTemplateColumns = `repeat(${3 + variants.length}, 100px)`;
  for (const name of ['t1', 't2', 'truth', ...variants]) {
    const head = document.createElement('div');
    head.className = 'head';
    head.textContent = name;
    root.append(head);
  }
  const inputs: HTMLCanvasElement[][] = [];
  const predictions: HTMLCanvasElement[][] = [];
  for (let i = 0; i < pairs; i++) {
    const row = Array.from({ length: 3 + variants.length }, () => document.createElement('canvas'));
    root.append(...row);
    inputs.push(row.slice(0, 3));
    predictions.push(row.slice(3));
  }
  return { inputs, predictions };
}
