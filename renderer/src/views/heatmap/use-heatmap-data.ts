// Load a heatmap range and the now-grid for the view's filters (cluster, partition, time travel). The
// range's cells arrive as bytes (a binary frame over the WebSocket, a cloned Uint8Array over IPC).
// A range button asks for its range in the click itself (`request`), before React re-renders the view
// for the click; the query then takes that answer instead of asking again.
import { useCallback, useRef } from 'react';
import type { HeatmapNow, HeatmapRange } from '../../../../shared/api/methods/heatmap';
import { useBridge } from '../../hooks/bridge-context';
import { useQuery, type Query } from '../../hooks/use-query';

export interface LoadedRange extends HeatmapRange {
  /** Time zone of the only cluster shown, for the axis's hover text (null when several or unknown). */
  zone: string | null;
  /** The range length asked for. */
  seconds: number;
}

export function decodeRange(r: HeatmapRange, seconds: number): LoadedRange {
  const cells = r.cells;
  if (cells.length !== r.nodes.length * r.buckets) throw new Error(`heatmap answer has ${cells.length} cells for ${r.nodes.length} nodes × ${r.buckets} buckets`);
  return { ...r, cells, zone: r.clusters.length === 1 ? (r.clusters[0]?.timeZone ?? null) : null, seconds };
}

export interface HeatmapFilters {
  cluster: string | null;
  partition: string | null;
  at: number | null;
  seconds: number;
}

export interface HeatmapData {
  range: Query<LoadedRange>;
  now: Query<HeatmapNow>;
  /** Ask for the range of this length with the current filters now (call it just before choosing it). */
  request(seconds: number): void;
}

export function useHeatmapData(f: HeatmapFilters): HeatmapData {
  const bridge = useBridge();
  const common = { ...(f.cluster ? { cluster: f.cluster } : {}), ...(f.partition ? { partition: f.partition } : {}), ...(f.at ? { at: f.at } : {}) };
  const early = useRef<{ key: string; answer: Promise<HeatmapRange> } | null>(null);
  const commonKey = JSON.stringify(common);
  const request = useCallback(
    (seconds: number) => {
      const params = { ...(JSON.parse(commonKey) as typeof common), seconds };
      const answer = bridge.api['heatmap.range'](params);
      answer.catch(() => undefined); // the query reports errors; one nobody takes is not unhandled
      early.current = { key: JSON.stringify(params), answer };
    },
    [bridge, commonKey],
  );
  const range = useQuery(async () => {
    const params = { ...common, seconds: f.seconds };
    const taken = early.current?.key === JSON.stringify(params) ? early.current.answer : null;
    early.current = null;
    const answer = await (taken ?? bridge.api['heatmap.range'](params));
    // Marks for the bench (and the browser's performance panel): when the answer arrived and was decoded.
    performance.mark('heatmap:answer');
    const decoded = decodeRange(answer, f.seconds);
    performance.mark('heatmap:decoded');
    return decoded;
  }, [bridge, f.cluster, f.partition, f.at, f.seconds], { renderAtOnce: true });
  const now = useQuery(() => bridge.api['heatmap.now'](common), [bridge, f.cluster, f.partition, f.at]);
  return { range, now, request };
}
