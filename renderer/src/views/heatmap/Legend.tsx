// What the heatmap's colours mean, drawn from the same palette as the canvas.
import { CELL_DOWN, CELL_DRAINED, CELL_DRAINING_BASE, CELL_FAIL, CELL_MAINT, CELL_NOT_RESPONDING, CELL_OFF, CELL_SHARE_BASE } from '../../../../shared/heatmap/cell-code';
import { buildPalette, cssOf } from './palette';

const palette = buildPalette();
const ENTRIES: [string, number, boolean][] = [
  ['0 % of GPUs allocated', CELL_SHARE_BASE, false],
  ['50 %', CELL_SHARE_BASE + 50, false],
  ['100 %', CELL_SHARE_BASE + 100, false],
  ['draining', CELL_DRAINING_BASE + 50, true],
  ['drained', CELL_DRAINED, true],
  ['maintenance', CELL_MAINT, true],
  ['not responding', CELL_NOT_RESPONDING, false],
  ['failing', CELL_FAIL, false],
  ['down', CELL_DOWN, false],
  ['powered down / unknown', CELL_OFF, false],
];

export function Legend() {
  return (
    <ul className="heatmap-legend" aria-label="legend">
      {ENTRIES.map(([label, code, hatched]) => (
        <li key={label}>
          <span
            className="swatch"
            style={{ background: hatched ? `repeating-linear-gradient(135deg, ${cssOf(palette.hatch[code] as number)} 0 2px, ${cssOf(palette.base[code] as number)} 2px 6px)` : cssOf(palette.base[code] as number) }}
          />
          {label}
        </li>
      ))}
      <li>
        <span className="swatch swatch-none" />
        no sample
      </li>
    </ul>
  );
}
