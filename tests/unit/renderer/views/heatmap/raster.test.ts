// Cells to pixels: the column → bucket mapping when zoomed in and out, the merge rule (the largest byte,
// i.e. the worst state, else the busiest bucket, wins), row order and height, and the hatch lines.
import { describe, expect, it } from 'vitest';
import { CELL_DOWN, CELL_DRAINED, CELL_NONE, CELL_SHARE_BASE } from '../../../../../shared/heatmap/cell-code';
import { buildPalette, pixel, shareColour } from '../../../../../renderer/src/views/heatmap/palette';
import { columnSpans, mergeRow, pixelBucket, rasterize } from '../../../../../renderer/src/views/heatmap/raster';

describe('columnSpans', () => {
  it('gives every pixel at least one bucket and covers all buckets once when zoomed out', () => {
    const { lo, hi } = columnSpans(100, 0, 2016, 2016);
    expect(lo[0]).toBe(0);
    expect(hi[99]).toBe(2016);
    for (let x = 1; x < 100; x++) expect(lo[x]).toBe(hi[x - 1]);
    for (let x = 0; x < 100; x++) expect((hi[x] as number) - (lo[x] as number)).toBeGreaterThanOrEqual(20);
  });

  it('repeats a bucket over several pixels when zoomed in, inside the window', () => {
    const { lo, hi } = columnSpans(120, 100.5, 112.5, 2016);
    expect(lo[0]).toBe(100);
    expect(lo[119]).toBe(112);
    for (let x = 0; x < 120; x++) expect((hi[x] as number) - (lo[x] as number)).toBe(1);
  });
});

describe('mergeRow', () => {
  it('keeps the worst state under a pixel even when it lasted one bucket of many', () => {
    const buckets = 1000;
    const cells = new Uint8Array(buckets).fill(CELL_SHARE_BASE + 100);
    cells[503] = CELL_DOWN;
    cells[700] = CELL_DRAINED;
    const { lo, hi } = columnSpans(10, 0, buckets, buckets);
    const out = new Uint8Array(10);
    mergeRow(cells, 0, lo, hi, out);
    expect([...out]).toEqual([101, 101, 101, 101, 101, CELL_DOWN, 101, CELL_DRAINED, 101, 101]);
  });

  it('shows the busiest bucket among nodes in service, and "no sample" only where nothing was sampled', () => {
    const cells = new Uint8Array([CELL_NONE, CELL_SHARE_BASE + 10, CELL_SHARE_BASE + 90, CELL_SHARE_BASE, CELL_NONE, CELL_NONE]);
    const { lo, hi } = columnSpans(3, 0, 6, 6);
    const out = new Uint8Array(3);
    mergeRow(cells, 0, lo, hi, out);
    expect([...out]).toEqual([CELL_SHARE_BASE + 10, CELL_SHARE_BASE + 90, CELL_NONE]);
  });
});

describe('rasterize', () => {
  it('draws display rows in the order given, rowHeight lines each with a gap line, through the palette', () => {
    const palette = buildPalette();
    const buckets = 4;
    // node 0: all idle, node 1: all full
    const cells = new Uint8Array([1, 1, 1, 1, 101, 101, 101, 101]);
    const width = 8;
    const rowHeight = 6;
    const pixels = new Uint32Array(width * 2 * rowHeight);
    rasterize({ cells, buckets, rows: [1, 0], rowHeight, from: 0, to: buckets, width }, palette, pixels);
    const at = (x: number, y: number) => pixels[y * width + x];
    expect(at(1, 0)).toBe(pixel(shareColour(100))); // first display row is node 1
    expect(at(1, 6)).toBe(pixel(shareColour(0)));
    expect(at(1, 5)).toBe(0); // the gap line between rows stays transparent
  });

  it('hatches drained cells along diagonals and leaves in-service cells plain', () => {
    const palette = buildPalette();
    const cells = new Uint8Array([CELL_DRAINED, CELL_DRAINED, CELL_DRAINED, CELL_DRAINED]);
    const pixels = new Uint32Array(4 * 4);
    rasterize({ cells, buckets: 4, rows: [0], rowHeight: 4, from: 0, to: 4, width: 4 }, palette, pixels);
    const colours = new Set(pixels);
    expect(colours.size).toBe(2);
    expect(pixels[0]).toBe(palette.hatch[CELL_DRAINED]);
    expect(pixels[1]).toBe(palette.base[CELL_DRAINED]);
    expect(palette.hatch[CELL_SHARE_BASE + 40]).toBe(palette.base[CELL_SHARE_BASE + 40]);
  });
});

describe('pixelBucket', () => {
  it('names the bucket whose byte colours the pixel: the worst of the buckets it spans', () => {
    const buckets = 100;
    const cells = new Uint8Array(2 * buckets).fill(CELL_SHARE_BASE);
    cells[buckets + 37] = CELL_DOWN; // row 1
    expect(pixelBucket(cells, buckets, 3, 10, 0, 100, buckets)).toEqual({ bucket: 37, first: 30, count: 10 });
    expect(pixelBucket(cells, 0, 3, 10, 0, 100, buckets)).toEqual({ bucket: 30, first: 30, count: 10 });
    expect(pixelBucket(cells, buckets, 50, 100, 30, 40, buckets)).toEqual({ bucket: 35, first: 35, count: 1 }); // zoomed in
  });
});
