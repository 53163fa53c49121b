// Which node goes on which heatmap row: grouped by cluster and partition (a node in several partitions is
// listed under its first one, or under the partition the view is filtered to), sorted within a group by
// name, GPU type or state. Pure, so the order is unit-tested and the canvas and the now-grid share it.
import type { HeatmapNode } from '../../../../shared/api/methods/heatmap';
import { compareNodeNames } from '../../../../shared/heatmap/node-order';

export type RowSort = 'name' | 'gpu-type' | 'state';

export interface RowGroup {
  cluster: string;
  partition: string;
  /** First display row and number of rows. */
  first: number;
  count: number;
}

export interface RowLayout {
  /** Data row (index into nodes / cells) of each display row. */
  order: Int32Array;
  groups: RowGroup[];
}

const NO_PARTITION = '(no partition)';

/** Out-of-service first when sorting by state: what an admin looks for. */
function stateRank(label: string | null): number {
  if (label === null) return 9;
  const l = label.replace(/\*$/, '');
  const order = ['down', 'fail', 'failing', 'drained', 'draining', 'maint', 'reserved', 'unknown', 'future'];
  const i = order.indexOf(l);
  if (i >= 0) return i;
  if (label.endsWith('*')) return 0.5; // not responding
  return order.length + (l === 'idle' ? 0 : l === 'mixed' ? 1 : 2);
}

const byName = compareNodeNames;

export function layoutRows(nodes: readonly HeatmapNode[], clusters: readonly string[], sort: RowSort, partition: string | null): RowLayout {
  const groups = new Map<string, { cluster: number; partition: string; rows: number[] }>();
  nodes.forEach((n, i) => {
    const p = partition ?? n.partitions[0] ?? NO_PARTITION;
    const key = `${n.cluster}\u0000${p}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { cluster: n.cluster, partition: p, rows: [] }));
    g.rows.push(i);
  });
  const sorted = [...groups.values()].sort((a, b) => a.cluster - b.cluster || Number(a.partition === NO_PARTITION) - Number(b.partition === NO_PARTITION) || byName(a.partition, b.partition));
  const cmp = (a: number, b: number): number => {
    const x = nodes[a] as HeatmapNode;
    const y = nodes[b] as HeatmapNode;
    if (sort === 'gpu-type') {
      const t = byName(x.gpuType ?? '~', y.gpuType ?? '~');
      if (t) return t;
    } else if (sort === 'state') {
      const s = stateRank(x.state) - stateRank(y.state);
      if (s) return s;
    }
    return byName(x.name, y.name);
  };
  const order = new Int32Array(nodes.length);
  const out: RowGroup[] = [];
  let at = 0;
  for (const g of sorted) {
    g.rows.sort(cmp);
    out.push({ cluster: clusters[g.cluster] ?? '?', partition: g.partition, first: at, count: g.rows.length });
    for (const r of g.rows) order[at++] = r;
  }
  return { order, groups: out };
}

/** Pixel height of a row: tall enough to point at on a small cluster, one pixel on a thousand nodes. */
export function rowHeightFor(rows: number): number {
  if (rows <= 0) return 18;
  return Math.max(1, Math.min(18, Math.floor(720 / rows)));
}
