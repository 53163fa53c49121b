// Heatmap rows: grouped by cluster and partition, sorted by name, GPU type or state (out of service first).
import { describe, expect, it } from 'vitest';
import type { HeatmapNode } from '../../../../../shared/api/methods/heatmap';
import { layoutRows, rowHeightFor } from '../../../../../renderer/src/views/heatmap/layout';

const node = (name: string, over: Partial<HeatmapNode> = {}): HeatmapNode => ({ cluster: 0, name, partitions: ['gpu'], gpuTotal: 8, gpuType: 'a100', state: 'mixed', ...over });

const nodes: HeatmapNode[] = [
  node('gpu-10', { gpuType: 'a100', state: 'mixed' }),
  node('gpu-9', { gpuType: 'v100', state: 'drained' }),
  node('gpu-2', { gpuType: 'h100', state: 'down*' }),
  node('dgx-1', { cluster: 1, partitions: ['preemptible', 'prod'] }),
  node('gpu-1', { partitions: [], state: null }),
  node('gpu-3', { partitions: ['debug', 'gpu'], state: 'idle' }),
];
const names = (order: Int32Array) => [...order].map((i) => nodes[i]?.name);

describe('layoutRows', () => {
  it('groups by cluster then first partition (no partition last), names in numeric order', () => {
    const l = layoutRows(nodes, ['alpha', 'beta'], 'name', null);
    expect(l.groups.map((g) => [g.cluster, g.partition, g.first, g.count])).toEqual([
      ['alpha', 'debug', 0, 1],
      ['alpha', 'gpu', 1, 3],
      ['alpha', '(no partition)', 4, 1],
      ['beta', 'preemptible', 5, 1],
    ]);
    expect(names(l.order)).toEqual(['gpu-3', 'gpu-2', 'gpu-9', 'gpu-10', 'gpu-1', 'dgx-1']);
  });

  it('sorts by GPU type or by state, out of service first', () => {
    expect(names(layoutRows(nodes, ['alpha', 'beta'], 'gpu-type', null).order).slice(1, 4)).toEqual(['gpu-10', 'gpu-2', 'gpu-9']);
    expect(names(layoutRows(nodes, ['alpha', 'beta'], 'state', null).order).slice(1, 4)).toEqual(['gpu-2', 'gpu-9', 'gpu-10']);
  });

  it('puts every node under the partition the view is filtered to', () => {
    const l = layoutRows(nodes.filter((n) => n.cluster === 0), ['alpha'], 'name', 'gpu');
    expect(l.groups).toEqual([{ cluster: 'alpha', partition: 'gpu', first: 0, count: 5 }]);
  });
});

describe('rowHeightFor', () => {
  it('is tall on a small cluster and one pixel on a large one', () => {
    expect(rowHeightFor(5)).toBe(18);
    expect(rowHeightFor(100)).toBe(7);
    expect(rowHeightFor(1000)).toBe(1);
    expect(rowHeightFor(5000)).toBe(1);
  });
});
