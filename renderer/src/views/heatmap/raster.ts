// Cells to pixels, with no DOM: the view hands in the pixel buffer of an ImageData (as Uint32Array) and
// gets it filled. Each display row is one node (`rowHeight` pixel lines); each pixel column covers the
// buckets [lo, hi) of the visible window. When there are more buckets than pixels, the buckets under a
// pixel are merged by taking the largest cell byte: codes are ordered by severity (cell-code.ts), so the
// worst state in the pixel's time wins (one five-minute "down" is never hidden by zooming out), and among
// in-service cells the busiest bucket wins. When there are fewer buckets than pixels, a bucket spans
// several pixel columns.
import type { Palette } from './palette';

export interface RasterInput {
  cells: Uint8Array;
  buckets: number;
  /** Data row (node index in `cells`) of each display row. */
  rows: Int32Array | readonly number[];
  rowHeight: number;
  /** Visible window in buckets: [from, to), fractional allowed. */
  from: number;
  to: number;
  width: number;
}

/** For each pixel column, the first and one-past-last bucket it covers. */
export function columnSpans(width: number, from: number, to: number, buckets: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(width);
  const hi = new Int32Array(width);
  const per = (to - from) / width;
  for (let x = 0; x < width; x++) {
    const a = Math.max(0, Math.min(buckets - 1, Math.floor(from + x * per)));
    const b = Math.max(a + 1, Math.min(buckets, Math.floor(from + (x + 1) * per)));
    lo[x] = a;
    hi[x] = b;
  }
  return { lo, hi };
}

/**
 * What the pixel at column `x` of a row shows: the buckets it covers and the one whose byte it is drawn
 * with (the first bucket holding the largest byte), so a tooltip describes the colour under the pointer.
 */
export function pixelBucket(cells: Uint8Array, rowBase: number, x: number, width: number, from: number, to: number, buckets: number): { bucket: number; first: number; count: number } {
  const per = (to - from) / width;
  const lo = Math.max(0, Math.min(buckets - 1, Math.floor(from + x * per)));
  const hi = Math.max(lo + 1, Math.min(buckets, Math.floor(from + (x + 1) * per)));
  let best = lo;
  for (let b = lo + 1; b < hi; b++) if ((cells[rowBase + b] as number) > (cells[rowBase + best] as number)) best = b;
  return { bucket: best, first: lo, count: hi - lo };
}

/** Merged cell byte per pixel column for one data row. */
export function mergeRow(cells: Uint8Array, rowBase: number, lo: Int32Array, hi: Int32Array, out: Uint8Array): void {
  for (let x = 0; x < out.length; x++) {
    let m = 0;
    const end = rowBase + (hi[x] as number);
    for (let i = rowBase + (lo[x] as number); i < end; i++) {
      const c = cells[i] as number;
      if (c > m) m = c;
    }
    out[x] = m;
  }
}

/** Fill `pixels` (width × rows.length·rowHeight). A rowHeight of 6 or more leaves a 1-pixel gap between rows. */
export function rasterize(input: RasterInput, palette: Palette, pixels: Uint32Array): void {
  const { cells, buckets, rows, rowHeight, width } = input;
  const { lo, hi } = columnSpans(width, input.from, input.to, buckets);
  const merged = new Uint8Array(width);
  const lines = rowHeight >= 6 ? rowHeight - 1 : rowHeight;
  const { base, hatch } = palette;
  for (let r = 0; r < rows.length; r++) {
    mergeRow(cells, (rows[r] as number) * buckets, lo, hi, merged);
    for (let l = 0; l < rowHeight; l++) {
      const y = r * rowHeight + l;
      const off = y * width;
      if (l >= lines) {
        pixels.fill(0, off, off + width);
        continue;
      }
      for (let x = 0; x < width; x++) {
        const c = merged[x] as number;
        pixels[off + x] = ((x + y) & 3) === 0 ? (hatch[c] as number) : (base[c] as number);
      }
    }
  }
}
