// "Jump to" from an alert: the heatmap narrowed to the alert's nodes (groups kept in line), the Jobs view's
// row of a job found by cluster + the id a person types, and the focus dropped when the user leaves.
import { describe, expect, it } from 'vitest';
import type { HeatmapNode } from '../../../../../shared/api/methods/heatmap';
import { focusLayout } from '../../../../../renderer/src/views/heatmap/focus';
import { layoutRows } from '../../../../../renderer/src/views/heatmap/layout';
import { findJobRow } from '../../../../../renderer/src/views/jobs/find-job';
import type { JobsData } from '../../../../../renderer/src/views/jobs/jobs-data';
import { useFocusStore } from '../../../../../renderer/src/store/focus-store';
import { useUiStore } from '../../../../../renderer/src/store/ui-store';

const node = (name: string, over: Partial<HeatmapNode> = {}): HeatmapNode => ({ cluster: 0, name, partitions: ['gpu'], gpuTotal: 4, gpuType: 'a100', state: 'mixed', ...over });

describe('focusLayout', () => {
  const nodes = [node('gpu-a100-01'), node('gpu-a100-03', { partitions: ['debug', 'gpu'] }), node('gpu-a100-02'), node('gpu-a100-03', { cluster: 1 }), node('dgx-h100-04', { cluster: 1, partitions: ['preemptible'] })];
  const clusters = ['alpha', 'beta'];
  const all = layoutRows(nodes, clusters, 'name', null);

  it('keeps only the focused nodes of the focused cluster, with their groups renumbered', () => {
    const l = focusLayout(all, nodes, clusters, { cluster: 'alpha', nodes: ['gpu-a100-03'] });
    expect([...l.order]).toEqual([1]);
    expect(l.groups).toEqual([{ cluster: 'alpha', partition: 'debug', first: 0, count: 1 }]);
    const b = focusLayout(all, nodes, clusters, { cluster: 'beta', nodes: ['gpu-a100-03', 'dgx-h100-04'] });
    expect([...b.order].map((r) => nodes[r]?.name)).toEqual(['gpu-a100-03', 'dgx-h100-04']);
    expect(b.groups.map((g) => [g.partition, g.first, g.count])).toEqual([
      ['gpu', 0, 1],
      ['preemptible', 1, 1],
    ]);
  });

  it('is empty (not everything) when the node is not among the rows', () => {
    const l = focusLayout(all, nodes, clusters, { cluster: 'alpha', nodes: ['cpu-03'] });
    expect(l.order.length).toBe(0);
    expect(l.groups).toEqual([]);
  });
});

describe('findJobRow', () => {
  const data = {
    count: 4,
    clusters: [{ name: 'alpha' }, { name: 'beta' }],
    cluster: Uint32Array.from([0, 0, 1, 1]),
    jobId: { dict: ['123', '1234', '123_4'], codes: Uint32Array.from([1, 0, 0, 2]) },
  } as unknown as JobsData;

  it('matches the whole id on the right cluster', () => {
    expect(findJobRow(data, 'alpha', '123')).toBe(1);
    expect(findJobRow(data, 'beta', '123')).toBe(2);
    expect(findJobRow(data, 'beta', '123_4')).toBe(3);
    expect(findJobRow(data, 'alpha', '12')).toBe(-1);
    expect(findJobRow(data, 'gamma', '123')).toBe(-1);
  });
});

describe('focus store', () => {
  it('drops the focus when the user goes to another view or cluster', () => {
    useUiStore.setState({ view: 'heatmap', cluster: 'beta' });
    useFocusStore.setState({ focus: { view: 'heatmap', cluster: 'beta', nodes: ['dgx-h100-04'] } });
    useUiStore.setState({ at: 5 });
    expect(useFocusStore.getState().focus).not.toBeNull();
    useUiStore.setState({ view: 'overview' });
    expect(useFocusStore.getState().focus).toBeNull();
    useUiStore.setState({ view: 'heatmap' });
    useFocusStore.setState({ focus: { view: 'heatmap', cluster: 'beta', nodes: ['dgx-h100-04'] } });
    useUiStore.setState({ cluster: 'alpha' });
    expect(useFocusStore.getState().focus).toBeNull();
  });
});
