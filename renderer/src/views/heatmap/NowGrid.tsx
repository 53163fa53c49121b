// The "now" grid beside the heatmap: one row per node (the heatmap's rows, same order and height), one
// square per GPU slot, filled when Slurm reports that GPU index in use (GRES IDX from the latest nodes
// snapshot). Where Slurm gives a count but no indices, the first `used` slots are marked "in use, index
// unknown". Drawn on a canvas like the heatmap; hover names the slot.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { HeatmapNow, HeatmapNowNode } from '../../../../shared/api/methods/heatmap';
import { AsOf } from '../../components/AsOf';
import { slotStates, type SlotState } from './slots';

const SLOT = 10;
const COLOURS: Record<SlotState, string> = { used: '#08519c', 'used-unknown-index': '#6baed6', free: '#e6edf5', unavailable: '#faaa3c', 'unavailable-used': '#784f1e' };

export interface NowRow {
  cluster: string;
  name: string;
}

/** Memoized: the heatmap view re-renders on every hover over its canvas, which changes nothing here. */
export const NowGrid = memo(function NowGrid({ now, rows, rowHeight }: { now: HeatmapNow; rows: readonly NowRow[]; rowHeight: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | null>(null);
  const byKey = useMemo(() => {
    const m = new Map<string, HeatmapNowNode>();
    for (const n of now.nodes) m.set(`${now.clusters[n.cluster]?.name}\u0000${n.name}`, n);
    return m;
  }, [now]);
  const lines = useMemo(() => rows.map((r) => byKey.get(`${r.cluster}\u0000${r.name}`) ?? null), [rows, byKey]);
  const slotsPerRow = Math.max(1, ...lines.map((n) => (n ? n.gpus.reduce((a, g) => a + g.total, 0) : 0)));
  const width = slotsPerRow * SLOT;
  const height = Math.max(1, rows.length * rowHeight);
  const used = now.nodes.reduce((a, n) => a + n.gpus.reduce((b, g) => b + g.used, 0), 0);
  const total = now.nodes.reduce((a, n) => a + n.gpus.reduce((b, g) => b + g.total, 0), 0);

  useEffect(() => {
    const ctx = canvasRef.current?.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, width, height);
    const gap = rowHeight >= 4 ? 1 : 0;
    lines.forEach((n, r) => {
      if (!n) return;
      slotStates(n).forEach((s, i) => {
        ctx.fillStyle = COLOURS[s.state];
        ctx.fillRect(i * SLOT, r * rowHeight, SLOT - 1, rowHeight - gap);
      });
    });
  }, [lines, width, height, rowHeight]);

  return (
    <div className="now-grid" data-testid="now-grid" data-gpus-used={used} data-gpus-total={total}>
      <div className="now-grid-head">
        <strong>now</strong>{' '}
        <span className="muted">
          {used} of {total} GPUs in use
        </span>
        {now.clusters.length === 1 && now.clusters[0] && <AsOf at={now.clusters[0].nodesAt} zone={now.clusters[0].timeZone} />}
      </div>
      <div className="now-grid-body">
        <canvas
          ref={canvasRef}
          width={width}
          height={height}
          role="img"
          aria-label={`${used} of ${total} GPUs in use, one square per GPU`}
          onMouseLeave={() => setHover(null)}
          onMouseMove={(e) => {
            const rect = e.currentTarget.getBoundingClientRect();
            const x = e.clientX - rect.left;
            const y = e.clientY - rect.top;
            const n = lines[Math.floor(y / rowHeight)];
            const slot = n ? slotStates(n)[Math.floor(x / SLOT)] : undefined;
            setHover(n && slot ? { x, y, text: `${n.name} · GPU ${slot.index}${slot.type ? ` (${slot.type})` : ''}: ${slotLabel(slot.state)} · node ${n.state}` } : null);
          }}
        />
        {hover && (
          <div className="heatmap-tooltip now-tooltip" data-testid="now-tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
            {hover.text}
          </div>
        )}
      </div>
    </div>
  );
});

function slotLabel(s: SlotState): string {
  switch (s) {
    case 'used':
      return 'in use';
    case 'used-unknown-index':
      return 'in use (Slurm gave no index)';
    case 'free':
      return 'free';
    case 'unavailable':
      return 'free but the node takes no work';
    case 'unavailable-used':
      return 'in use on a node that takes no new work';
  }
}
