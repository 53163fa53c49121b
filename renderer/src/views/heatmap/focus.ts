// A heatmap opened from an alert's "jump to node" link shows only that alert's nodes: the layout's rows
// narrowed to them, groups kept (with their new positions) so the partition labels still line up.
import type { HeatmapNode } from '../../../../shared/api/methods/heatmap';
import type { RowLayout } from './layout';

export function focusLayout(layout: RowLayout, nodes: readonly HeatmapNode[], clusters: readonly string[], focus: { cluster: string; nodes: readonly string[] }): RowLayout {
  const wanted = new Set(focus.nodes);
  const order: number[] = [];
  const groups: RowLayout['groups'] = [];
  for (const g of layout.groups) {
    const first = order.length;
    for (let i = g.first; i < g.first + g.count; i++) {
      const r = layout.order[i] as number;
      const n = nodes[r];
      if (n && clusters[n.cluster] === focus.cluster && wanted.has(n.name)) order.push(r);
    }
    if (order.length > first) groups.push({ ...g, first, count: order.length - first });
  }
  return { order: Int32Array.from(order), groups };
}
