// The node × time canvas: cells drawn through the palette with putImageData (never one element per cell),
// wheel to zoom around the pointer, drag to pan, hover for the cell's details. Zoom and pan only move the
// visible window over the range already loaded, so a frame is a rasterize + putImageData, no core call.
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { describeCell, CELL_CLASS_LABEL } from '../../../../shared/heatmap/cell-code';
import { formatTime } from '../../format';
import { buildPalette } from './palette';
import { pixelBucket, rasterize } from './raster';
import type { LoadedRange } from './use-heatmap-data';

/** Smallest window: one hour of five-minute buckets. */
const MIN_SPAN_BUCKETS = 12;

export interface HoverTarget {
  /** Data row. */
  row: number;
  bucket: number;
  /** Buckets under the pixel (the pixel shows the worst of them: `bucket`). */
  first: number;
  count: number;
  /** Pointer position inside the canvas wrapper. */
  x: number;
  y: number;
}

export interface HeatmapCanvasProps {
  data: LoadedRange;
  order: Int32Array;
  rowHeight: number;
  width: number;
  onHover(target: HoverTarget | null): void;
  /** performance.now() of the click that asked for this range: the draw reports how long it took. */
  requestedAt: number | null;
}

const palette = buildPalette();

/**
 * Memoized: the view re-renders on every hover and on the click that asks for a new range; neither changes
 * what the canvas shows, so neither should cost a render here (let alone a redraw before the request).
 */
export const HeatmapCanvas = memo(function HeatmapCanvas({ data, order, rowHeight, width, onHover, requestedAt }: HeatmapCanvasProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // Read by the draw, not a reason for one: the click sets it (to null while the old range still shows).
  const requested = useRef(requestedAt);
  requested.current = requestedAt;
  // The visible window belongs to the range it was set on: a new range shows whole, in its first frame.
  const [windowed, setWindowed] = useState<{ data: LoadedRange; from: number; to: number } | null>(null);
  const view = useMemo(() => (windowed && windowed.data === data ? windowed : { from: 0, to: Math.max(1, data.buckets) }), [windowed, data]);
  const setView = useCallback(
    (next: { from: number; to: number } | ((v: { from: number; to: number }) => { from: number; to: number })) =>
      setWindowed((w) => {
        const current = w && w.data === data ? w : { from: 0, to: Math.max(1, data.buckets) };
        return { data, ...(typeof next === 'function' ? next(current) : next) };
      }),
    [data],
  );
  const drag = useRef<{ x: number; from: number; to: number } | null>(null);
  const height = Math.max(1, order.length * rowHeight);
  const image = useMemo(() => (width > 0 ? new ImageData(width, height) : null), [width, height]);

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas || !image) return;
    const t0 = performance.now();
    performance.mark('heatmap:draw');
    const pixels = new Uint32Array(image.data.buffer);
    rasterize({ cells: data.cells, buckets: data.buckets, rows: order, rowHeight, from: view.from, to: view.to, width }, palette, pixels);
    canvas.getContext('2d')?.putImageData(image, 0, 0);
    const t1 = performance.now();
    canvas.dataset.frameMs = (t1 - t0).toFixed(2);
    canvas.dataset.frames = String(Number(canvas.dataset.frames ?? 0) + 1);
    const asked = requested.current;
    if (asked !== null && canvas.dataset.requestedAt !== String(asked)) {
      canvas.dataset.requestedAt = String(asked);
      canvas.dataset.rangeMs = (t1 - asked).toFixed(1);
    }
  }, [data, order, rowHeight, view, width, image]);

  // Drawn in the commit itself (a layout effect: not after the browser's next paint, nor in the next
  // animation frame: under load those waits were 15–100 ms). Wheel and drag events each cause at most one
  // render, so frames do not pile up.
  useLayoutEffect(draw, [draw]);

  const pointAt = useCallback(
    (clientX: number, clientY: number): HoverTarget | null => {
      const canvas = canvasRef.current;
      if (!canvas) return null;
      const rect = canvas.getBoundingClientRect();
      const x = clientX - rect.left;
      const y = clientY - rect.top;
      const display = Math.floor(y / rowHeight);
      if (x < 0 || x >= width || display < 0 || display >= order.length) return null;
      const row = order[display] as number;
      const px = pixelBucket(data.cells, row * data.buckets, Math.floor(x), width, view.from, view.to, data.buckets);
      return { row, ...px, x, y };
    },
    [order, rowHeight, width, view, data],
  );

  // Wheel zoom must preventDefault, which React's passive wheel listener cannot: attach it by hand.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const fx = Math.max(0, Math.min(1, (e.clientX - rect.left) / width));
      setView((v) => {
        const span = v.to - v.from;
        const next = Math.max(Math.min(MIN_SPAN_BUCKETS, data.buckets), Math.min(data.buckets, span * (e.deltaY > 0 ? 1.25 : 0.8)));
        const pivot = v.from + fx * span;
        let from = pivot - fx * next;
        from = Math.max(0, Math.min(data.buckets - next, from));
        return { from, to: from + next };
      });
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [width, data.buckets, setView]);

  const zoomed = view.from > 0 || view.to < data.buckets;
  return (
    <div className="heatmap-canvas-wrap">
      <canvas
        ref={canvasRef}
        width={width}
        height={height}
        className={`heatmap-canvas${zoomed ? ' zoomed' : ''}`}
        data-testid="heatmap-canvas"
        aria-label={`GPU allocation of ${order.length} nodes over ${data.buckets} five-minute buckets; hover for details, wheel to zoom, drag to pan`}
        role="img"
        onMouseDown={(e) => {
          drag.current = { x: e.clientX, from: view.from, to: view.to };
        }}
        onMouseUp={() => (drag.current = null)}
        onMouseLeave={() => {
          drag.current = null;
          onHover(null);
        }}
        onMouseMove={(e) => {
          const d = drag.current;
          if (d && e.buttons === 1) {
            const span = d.to - d.from;
            let from = d.from - ((e.clientX - d.x) / width) * span;
            from = Math.max(0, Math.min(data.buckets - span, from));
            setView({ from, to: from + span });
            return;
          }
          onHover(pointAt(e.clientX, e.clientY));
        }}
        onDoubleClick={() => setView({ from: 0, to: data.buckets })}
      />
      <TimeAxis start={data.start} bucketSeconds={data.bucketSeconds} from={view.from} to={view.to} width={width} zone={data.zone} />
      {zoomed && (
        <button type="button" className="heatmap-reset" onClick={() => setView({ from: 0, to: data.buckets })}>
          show whole range
        </button>
      )}
    </div>
  );
});

function TimeAxis({ start, bucketSeconds, from, to, width, zone }: { start: number; bucketSeconds: number; from: number; to: number; width: number; zone: string | null }) {
  const ticks = Math.max(2, Math.min(8, Math.floor(width / 140)));
  const items = Array.from({ length: ticks }, (_, i) => {
    const f = i / (ticks - 1);
    const t = Math.round(start + (from + f * (to - from)) * bucketSeconds);
    return { f, t };
  });
  return (
    <div className="heatmap-axis" aria-hidden="true">
      {items.map(({ f, t }) => (
        <span key={f} className="heatmap-tick" style={{ left: `${f * 100}%` }} title={zone ? formatTime(t, zone) : undefined}>
          {formatTime(t)}
        </span>
      ))}
    </div>
  );
}

/** The short text for a cell byte: "drained", "62 % of GPUs allocated", "no sample". */
export function cellSummary(code: number): string {
  const { cls, share } = describeCell(code);
  if (cls === null) return 'no sample';
  if (share !== null) return `${CELL_CLASS_LABEL[cls]}, ${share} % of GPUs allocated`;
  return CELL_CLASS_LABEL[cls];
}
