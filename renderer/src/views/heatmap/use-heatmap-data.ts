// Load a heatmap range and the now-grid for the view's filters (cluster, partition, time travel). The
// range's cells arrive as bytes (a binary frame over the WebSocket, a cloned Uint8Array over IPC).
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

export function useHeatmapData(f: HeatmapFilters): { range: Query<LoadedRange>; now: Query<HeatmapNow> } {
  const bridge = useBridge();
  const common = { ...(f.cluster ? { cluster: f.cluster } : {}), ...(f.partition ? { partition: f.partition } : {}), ...(f.at ? { at: f.at } : {}) };
  const range = useQuery(async () => {
    const answer = await bridge.api['heatmap.range']({ ...common, seconds: f.seconds });
    // Marks for the bench (and the browser's performance panel): when the answer arrived and was decoded.
    performance.mark('heatmap:answer');
    const decoded = decodeRange(answer, f.seconds);
    performance.mark('heatmap:decoded');
    return decoded;
  }, [bridge, f.cluster, f.partition, f.at, f.seconds]);
  const now = useQuery(() => bridge.api['heatmap.now'](common), [bridge, f.cluster, f.partition, f.at]);
  return { range, now };
}
