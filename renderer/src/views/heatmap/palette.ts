// The heatmap's 256-colour lookup table (one entry per cell byte, see shared/heatmap/cell-code) as
// 32-bit ABGR pixels for a Uint32Array view of ImageData, plus a second table for the hatch lines: cells
// whose node is out of service (drained, draining, maintenance) alternate both tables along diagonals so
// they read as hatched even in greyscale print or to colour-blind eyes.
import {
  CELL_DOWN,
  CELL_DRAINED,
  CELL_DRAINING_BASE,
  CELL_FAIL,
  CELL_MAINT,
  CELL_NONE,
  CELL_NOT_RESPONDING,
  CELL_OFF,
  CELL_SHARE_BASE,
} from '../../../../shared/heatmap/cell-code';

export type Rgb = readonly [number, number, number];

/** Little-endian RGBA bytes as one u32 (what a Uint32Array over ImageData.data holds on every platform we run). */
export function pixel([r, g, b]: Rgb, a = 255): number {
  return ((a << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => Math.round((a[i] as number) + ((b[i] as number) - (a[i] as number)) * t)) as unknown as Rgb;

/** Share ramp: pale (idle GPUs — the thing to notice) to deep blue (fully allocated). */
const SHARE_LOW: Rgb = [236, 243, 250];
const SHARE_MID: Rgb = [107, 174, 214];
const SHARE_HIGH: Rgb = [8, 81, 156]; // not darker: it must stand out on the dark theme's background too

export const CLASS_COLOURS = {
  none: [0, 0, 0] as Rgb, // transparent: the page background shows through
  drained: [250, 170, 60] as Rgb,
  drainedHatch: [120, 80, 30] as Rgb,
  maint: [170, 130, 200] as Rgb,
  off: [150, 150, 150] as Rgb,
  notResponding: [240, 110, 110] as Rgb,
  fail: [215, 48, 39] as Rgb,
  down: [165, 0, 38] as Rgb,
} as const;

export function shareColour(percent: number): Rgb {
  const t = Math.max(0, Math.min(100, percent)) / 100;
  return t < 0.5 ? mix(SHARE_LOW, SHARE_MID, t * 2) : mix(SHARE_MID, SHARE_HIGH, (t - 0.5) * 2);
}

export interface Palette {
  /** Colour of each cell byte. */
  base: Uint32Array;
  /** Colour on hatch lines (equal to base for cells that are not hatched). */
  hatch: Uint32Array;
}

export function buildPalette(): Palette {
  const base = new Uint32Array(256).fill(pixel(CLASS_COLOURS.off));
  base[CELL_NONE] = 0;
  for (let p = 0; p <= 100; p++) {
    base[CELL_SHARE_BASE + p] = pixel(shareColour(p));
    base[CELL_DRAINING_BASE + p] = pixel(shareColour(p));
  }
  base[CELL_OFF] = pixel(CLASS_COLOURS.off);
  base[CELL_MAINT] = pixel(CLASS_COLOURS.maint);
  base[CELL_DRAINED] = pixel(CLASS_COLOURS.drained);
  base[CELL_NOT_RESPONDING] = pixel(CLASS_COLOURS.notResponding);
  base[CELL_FAIL] = pixel(CLASS_COLOURS.fail);
  base[CELL_DOWN] = pixel(CLASS_COLOURS.down);
  const hatch = base.slice();
  for (let p = 0; p <= 100; p++) hatch[CELL_DRAINING_BASE + p] = pixel(CLASS_COLOURS.drained);
  hatch[CELL_DRAINED] = pixel(CLASS_COLOURS.drainedHatch);
  hatch[CELL_MAINT] = pixel(mix(CLASS_COLOURS.maint, [60, 40, 80], 0.6));
  return { base, hatch };
}

/** CSS colour of a palette entry, for the legend. */
export function cssOf(p: number): string {
  return `rgb(${p & 255}, ${(p >>> 8) & 255}, ${(p >>> 16) & 255})`;
}
