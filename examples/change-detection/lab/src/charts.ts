/** Small canvas charts for the lab: lines over steps or epochs, and the precision–recall plane. */

export interface Series {
  name: string;
  color: string;
  points: readonly (readonly [number, number])[];
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  /** Fixed axis ranges; else from the data. */
  x?: readonly [number, number];
  y?: readonly [number, number];
  /** Marked points (the operating point on the PR curve). */
  markers?: readonly { x: number; y: number; color: string }[];
  /** A dashed horizontal line (the F1 = 0.5 target). */
  hline?: number;
}

const PAD = { left: 42, right: 10, top: 22, bottom: 30 };

function extent(values: number[], fallback: readonly [number, number]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [fallback[0], fallback[1]];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-9) [lo, hi] = [lo - 0.5, hi + 0.5];
  return [lo, hi];
}

const tick = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

/** Draws `series` into `canvas` (cleared first), with axes, four ticks a side and a legend. */
export function lineChart(canvas: HTMLCanvasElement, series: readonly Series[], o: ChartOptions): void {
  const ctx = canvas.getContext('2d')!;
  const { width: w, height: h } = canvas;
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  const xs = extent(series.flatMap((s) => s.points.map((p) => p[0])), [0, 1]);
  const ys = extent(series.flatMap((s) => s.points.map((p) => p[1])), [0, 1]);
  const [x0, x1] = o.x ?? xs;
  const [y0, y1] = o.y ?? ys;
  const px = (x: number): number => PAD.left + ((x - x0) / (x1 - x0 || 1)) * (w - PAD.left - PAD.right);
  const py = (y: number): number => h - PAD.bottom - ((y - y0) / (y1 - y0 || 1)) * (h - PAD.top - PAD.bottom);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.strokeRect(PAD.left, PAD.top, w - PAD.left - PAD.right, h - PAD.top - PAD.bottom);
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  ctx.fillText(o.title, PAD.left, 15);
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillStyle = '#555';
  for (let i = 0; i <= 4; i++) {
    const xv = x0 + ((x1 - x0) * i) / 4;
    const yv = y0 + ((y1 - y0) * i) / 4;
    ctx.fillText(tick(xv), px(xv) - 8, h - PAD.bottom + 12);
    ctx.fillText(tick(yv), 4, py(yv) + 3);
  }
  ctx.fillText(o.xLabel, w - PAD.right - ctx.measureText(o.xLabel).width, h - 4);
  if (o.hline !== undefined && o.hline >= y0 && o.hline <= y1) {
    ctx.setLineDash([4, 4]);
    ctx.beginPath();
    ctx.moveTo(px(x0), py(o.hline));
    ctx.lineTo(px(x1), py(o.hline));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.points.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(px(x), py(y)) : ctx.lineTo(px(x), py(y))));
    ctx.stroke();
    ctx.fillStyle = s.color;
    if (s.points.length === 1) ctx.fillRect(px(s.points[0]![0]) - 2, py(s.points[0]![1]) - 2, 4, 4);
    ctx.fillText(s.name, w - PAD.right - 80, PAD.top + 12 + 12 * k);
  });
  for (const m of o.markers ?? []) {
    ctx.fillStyle = m.color;
    ctx.beginPath();
    ctx.arc(px(m.x), py(m.y), 5, 0, 2 * Math.PI);
    ctx.fill();
    ctx.strokeStyle = '#000';
    ctx.stroke();
  }
}

/** A moving average over `window` points (the step losses are noisy batch by batch). */
export function smooth(values: readonly number[], window: number): [number, number][] {
  const out: [number, number][] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out.push([i + 1, sum / Math.min(i + 1, window)]);
  }
  return out;
}
