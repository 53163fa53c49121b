// Partition heatmap: nodes (grouped by partition, sortable by GPU type or state) × time, coloured by the
// share of each node's GPUs allocated, with out-of-service periods in their own colours; a tooltip with
// the cell's details (state, GPUs, jobs, reason and who set it); and the now-grid of GPU slots beside it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HeatmapCell, HeatmapNow } from '../../../../shared/api/methods/heatmap';
import { AsOf } from '../../components/AsOf';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { formatTime } from '../../format';
import { useBridge } from '../../hooks/bridge-context';
import { useFocusStore } from '../../store/focus-store';
import { useUiStore } from '../../store/ui-store';
import { focusLayout } from './focus';
import { cellSummary, HeatmapCanvas, type HoverTarget } from './HeatmapCanvas';
import { layoutRows, rowHeightFor, type RowSort } from './layout';
import { Legend } from './Legend';
import { NowGrid } from './NowGrid';
import { useHeatmapData } from './use-heatmap-data';
import './heatmap.css';

export const RANGE_PRESETS = [
  { label: '1 h', seconds: 3600 },
  { label: '6 h', seconds: 6 * 3600 },
  { label: '24 h', seconds: 86400 },
  { label: '7 d', seconds: 7 * 86400 },
  { label: '30 d', seconds: 30 * 86400 },
] as const;

const NO_NOW: HeatmapNow = { clusters: [], nodes: [] };

/** Width of the canvas's container, followed as the window resizes (a callback ref: the plot mounts late). */
function useWidth(): [(el: HTMLDivElement | null) => void, number] {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(0);
  useEffect(() => {
    if (!el) return undefined;
    const ro = new ResizeObserver(() => setWidth(Math.max(200, Math.floor(el.clientWidth))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [el]);
  return [setEl, width];
}

export function HeatmapView() {
  const bridge = useBridge();
  const at = useUiStore((s) => s.at);
  const cluster = useUiStore((s) => s.cluster);
  const [seconds, setSeconds] = useState(86400);
  const [partition, setPartition] = useState<string | null>(null);
  const [sort, setSort] = useState<RowSort>('name');
  const [requestedAt, setRequestedAt] = useState<number | null>(null);
  const { range, now, request } = useHeatmapData({ cluster, partition, at, seconds });
  const [plotRef, width] = useWidth();
  const [hover, setHover] = useState<HoverTarget | null>(null);
  const [detail, setDetail] = useState<{ key: string; cell: HeatmapCell | null; error: string | null } | null>(null);
  // Opened from an alert's "jump to": only its nodes (or its partition).
  const focus = useFocusStore((s) => (s.focus?.view === 'heatmap' ? s.focus : null));
  const clearFocus = useFocusStore((s) => s.clear);
  useEffect(() => {
    if (focus?.partition) setPartition(focus.partition);
  }, [focus]);

  const data = range.data;
  const clusterNames = useMemo(() => data?.clusters.map((c) => c.name) ?? [], [data]);
  const layout = useMemo(() => {
    const all = data ? layoutRows(data.nodes, clusterNames, sort, partition) : null;
    return all && data && focus?.nodes?.length ? focusLayout(all, data.nodes, clusterNames, { cluster: focus.cluster, nodes: focus.nodes }) : all;
  }, [data, clusterNames, sort, partition, focus]);
  const rowHeight = rowHeightFor(data?.nodes.length ?? 0);
  const partitions = useMemo(() => [...new Set((data?.nodes ?? []).flatMap((n) => n.partitions))].sort(), [data]);
  const nowRows = useMemo(() => (data && layout ? [...layout.order].map((r) => ({ cluster: clusterNames[data.nodes[r]?.cluster ?? 0] ?? '', name: data.nodes[r]?.name ?? '' })) : []), [data, layout, clusterNames]);

  // Tooltip details: asked for once the pointer rests on a cell for a moment, cached by cell.
  const hovered = hover && data ? { node: data.nodes[hover.row], at: data.start + hover.bucket * data.bucketSeconds } : null;
  const hoverKey = hovered?.node ? `${clusterNames[hovered.node.cluster]}/${hovered.node.name}/${hovered.at}` : null;
  const cache = useRef(new Map<string, HeatmapCell>());
  useEffect(() => {
    cache.current.clear();
  }, [data]);
  useEffect(() => {
    if (!hoverKey || !hovered?.node) return undefined;
    const cached = cache.current.get(hoverKey);
    if (cached) {
      setDetail({ key: hoverKey, cell: cached, error: null });
      return undefined;
    }
    const req = { cluster: clusterNames[hovered.node.cluster] ?? '', node: hovered.node.name, at: hovered.at };
    const t = setTimeout(() => {
      bridge.api['heatmap.cell'](req).then(
        (cell) => {
          cache.current.set(hoverKey, cell);
          setDetail((d) => (d?.key === hoverKey || d === null || d.key !== hoverKey ? { key: hoverKey, cell, error: null } : d));
        },
        (err: unknown) => setDetail({ key: hoverKey, cell: null, error: err instanceof Error ? err.message : String(err) }),
      );
    }, 80);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- hoverKey names the cell; hovered is derived from it
  }, [hoverKey, bridge]);

  const choose = useCallback(
    (s: number) => {
      setRequestedAt(performance.now());
      if (s !== seconds) request(s); // off to the core before React renders the click
      setSeconds(s);
    },
    [request, seconds],
  );

  if (range.error && !data) return <ErrorState error={range.error} retry={range.reload} />;
  if (!data || !layout) return <Loading label="Reading node history…" />;

  const controls = (
    <div className="heatmap-controls" role="toolbar" aria-label="heatmap range and order">
      <div className="seg-buttons" role="group" aria-label="range">
        {RANGE_PRESETS.map((p) => (
          <button key={p.seconds} type="button" aria-pressed={p.seconds === seconds} onClick={() => choose(p.seconds)}>
            {p.label}
          </button>
        ))}
      </div>
      <label>
        partition{' '}
        <select aria-label="partition" value={partition ?? ''} onChange={(e) => setPartition(e.target.value || null)}>
          <option value="">all</option>
          {(partition && !partitions.includes(partition) ? [partition, ...partitions] : partitions).map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        sort{' '}
        <select aria-label="sort nodes" value={sort} onChange={(e) => setSort(e.target.value as RowSort)}>
          <option value="name">by name</option>
          <option value="gpu-type">by GPU type</option>
          <option value="state">by state (out of service first)</option>
        </select>
      </label>
      {focus?.nodes?.length ? (
        <button type="button" className="focus-chip" data-testid="heatmap-focus" onClick={clearFocus} title="show every node">
          only {focus.nodes.join(', ')}
          {layout.order.length === 0 ? ' (not among the GPU nodes shown)' : ''} ✕
        </button>
      ) : null}
      {range.loading && (
        <span className="heatmap-progress" role="progressbar" aria-busy="true">
          <span className="spinner" /> reading…
        </span>
      )}
      <span className="spacer" />
      {data.clusters.map((c) => (
        <span key={c.name} className="heatmap-asof">
          {data.clusters.length > 1 && `${c.name}: `}
          <AsOf at={c.nodesAt} zone={c.timeZone} />
        </span>
      ))}
    </div>
  );

  if (data.nodes.length === 0) {
    return (
      <section className="heatmap" data-testid="heatmap">
        {controls}
        <EmptyState title="No GPU nodes to show">
          {data.cpuOnlyNodes > 0 ? `${data.cpuOnlyNodes} CPU-only nodes are left out. ` : ''}
          No node history is cached for this {cluster ? `cluster (${cluster})` : 'fleet'}{partition ? ` in partition ${partition}` : ''} yet: it fills as the console polls.
        </EmptyState>
      </section>
    );
  }

  const tipNode = hovered?.node;
  const tipCell = detail && detail.key === hoverKey ? detail.cell : null;
  const code = hover ? (data.cells[hover.row * data.buckets + hover.bucket] ?? 0) : 0;
  return (
    <section className="heatmap" data-testid="heatmap">
      {controls}
      <div className="heatmap-body">
        <div className="heatmap-labels" style={{ height: layout.order.length * rowHeight }} aria-hidden={rowHeight < 10}>
          {layout.groups.map((g) => (
            <div key={`${g.cluster}/${g.partition}`} className="heatmap-group" style={{ top: g.first * rowHeight, height: g.count * rowHeight }} title={`${g.cluster} · ${g.partition}: ${g.count} nodes`}>
              <span>{clusterNames.length > 1 ? `${g.cluster} · ` : ''}{g.partition}</span>
            </div>
          ))}
          {rowHeight >= 10 &&
            [...layout.order].map((r, i) => (
              <div key={r} className="heatmap-node" data-node={data.nodes[r]?.name} style={{ top: i * rowHeight, height: rowHeight }}>
                {data.nodes[r]?.name}
              </div>
            ))}
        </div>
        <div className="heatmap-plot" ref={plotRef}>
          {width > 0 && <HeatmapCanvas data={data} order={layout.order} rowHeight={rowHeight} width={width} onHover={setHover} requestedAt={data.seconds === seconds ? requestedAt : null} />}
          {hover && tipNode && (
            <div className="heatmap-tooltip" data-testid="heatmap-tooltip" role="tooltip" style={{ left: Math.min(hover.x + 14, Math.max(0, width - 320)), top: hover.y + 14 }}>
              <div className="tip-title">
                <strong>{tipNode.name}</strong> <span className="muted">{clusterNames[tipNode.cluster]}</span>
              </div>
              <div title={data.zone ? formatTime(hovered.at, data.zone) : undefined}>
                {formatTime(hovered.at)} – {formatTime(hovered.at + data.bucketSeconds)}
                {data.zone ? <span className="muted"> (cluster: {formatTime(hovered.at, data.zone)})</span> : null}
              </div>
              <div>{cellSummary(code)}</div>
              {hover.count > 1 && (
                <div className="muted">
                  this pixel spans {hover.count} buckets from {formatTime(data.start + hover.first * data.bucketSeconds)}; shown: its worst
                </div>
              )}
              {tipCell ? (
                <>
                  {tipCell.sampled && (
                    <div>
                      state <strong>{tipCell.state}</strong> <span className="muted">({tipCell.stateKey})</span> · GPUs {tipCell.gpusAlloc} / {tipCell.gpusTotal} used
                    </div>
                  )}
                  {tipCell.reason && (
                    <div className="tip-reason" data-testid="tip-reason">
                      reason: {tipCell.reason}
                      {tipCell.reasonUser ? ` — set by ${tipCell.reasonUser}` : ''}
                    </div>
                  )}
                  <div className="tip-jobs">
                    {tipCell.jobsAt === null
                      ? 'no queue snapshot covers this time'
                      : tipCell.jobs.length === 0
                        ? 'no jobs running on it'
                        : `${tipCell.jobs.length} job${tipCell.jobs.length > 1 ? 's' : ''}: ` +
                          tipCell.jobs
                            .slice(0, 6)
                            .map((j) => `${j.jobId} (${j.user}, ${j.gpus} GPU${j.gpus === 1 ? '' : 's'})`)
                            .join(', ') +
                          (tipCell.jobs.length > 6 ? ` and ${tipCell.jobs.length - 6} more` : '')}
                  </div>
                </>
              ) : detail?.key === hoverKey && detail.error ? (
                <div className="tip-error">{detail.error}</div>
              ) : (
                <div className="muted">loading details…</div>
              )}
            </div>
          )}
        </div>
        <NowGrid now={now.data ?? NO_NOW} rows={nowRows} rowHeight={rowHeight} />
      </div>
      <Legend />
      <p className="muted heatmap-note">
        {data.nodes.length} GPU nodes × {data.buckets} five-minute buckets
        {data.cpuOnlyNodes > 0 ? ` · ${data.cpuOnlyNodes} CPU-only nodes not shown` : ''} · read in {data.readMs} ms · wheel to zoom, drag to pan, double-click to
        show the whole range. Zoomed out, each pixel shows the worst state in its time, else the busiest bucket.
      </p>
    </section>
  );
}
