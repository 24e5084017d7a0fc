/** Pixel-grid helpers shared by the scene layout and the change generator. */

/** An axis-aligned rectangle of pixels, half-open: x0 <= x < x1, y0 <= y < y1. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function rectArea(r: Rect): number {
  return Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);
}

/** Whether `r` grown by `margin` on every side lies inside the image and touches no set pixel. */
export function rectFree(map: Uint8Array, size: number, r: Rect, margin = 0): boolean {
  if (r.x0 < 0 || r.y0 < 0 || r.x1 > size || r.y1 > size || r.x1 <= r.x0 || r.y1 <= r.y0) return false;
  const x0 = Math.max(0, r.x0 - margin);
  const y0 = Math.max(0, r.y0 - margin);
  const x1 = Math.min(size, r.x1 + margin);
  const y1 = Math.min(size, r.y1 + margin);
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) if (map[y * size + x] !== 0) return false;
  }
  return true;
}

/** Sets the pixels of `r` grown by `margin` (clipped to the image) to `value`. */
export function fillRect(map: Uint8Array, size: number, r: Rect, value = 1, margin = 0): void {
  const x0 = Math.max(0, r.x0 - margin);
  const y0 = Math.max(0, r.y0 - margin);
  const x1 = Math.min(size, r.x1 + margin);
  const y1 = Math.min(size, r.y1 + margin);
  for (let y = y0; y < y1; y++) map.fill(value, y * size + x0, y * size + Math.max(x0, x1));
}

/** Whether pixel (x, y) lies in `r`. */
export function inRect(r: Rect, x: number, y: number): boolean {
  return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
}
