// What the rules need from history, read from the five-minute node samples: how often each node went out of
// service lately (repeat offenders) and each partition's allocated GPU share over a window (underused).
import { classifyStateKey, type CellClass } from '../../../shared/heatmap/cell-code';
import type { AlertInput } from '../../../shared/alerts/types';
import type { Partition } from '../../../shared/model/partition';
import type { SlurmNode } from '../../../shared/model/node';
import type { NodeTimeline } from '../store/node-samples-repo';

const OUT: ReadonlySet<CellClass> = new Set(['drained', 'draining', 'down', 'fail', 'not-responding']);

/**
 * Episodes per node: a run of out-of-service samples that follows an in-service one (or opens the window).
 * Buckets without a sample (the console was not polling) neither end nor start an episode.
 */
export function outOfServiceEpisodes(t: NodeTimeline): AlertInput['outOfServiceHistory'] {
  const out: AlertInput['outOfServiceHistory'] = {};
  const classOf = new Map<number, boolean>();
  const isOut = (code: number) => {
    let v = classOf.get(code);
    if (v === undefined) {
      v = OUT.has(classifyStateKey(t.states[code] ?? 'UNKNOWN'));
      classOf.set(code, v);
    }
    return v;
  };
  for (let n = 0; n < t.nodes.length; n++) {
    let episodes = 0;
    let last: number | null = null;
    let prev: boolean | null = null;
    for (let b = 0; b < t.buckets; b++) {
      const code = t.state[n * t.buckets + b] ?? 0;
      if (code === 0) continue;
      const o = isOut(code);
      if (o && prev !== true) {
        episodes++;
        last = t.start + b * t.bucketSeconds;
      }
      prev = o;
    }
    if (episodes > 0) out[t.nodes[n] as string] = { episodes, lastStarted: last };
  }
  return out;
}

/** GPU-seconds allocated and in service per partition over the timeline; buckets with any sample count as covered. */
export function partitionWindowShares(t: NodeTimeline, partitions: readonly Partition[] | null, nodes: readonly SlurmNode[]): AlertInput['partitionWindow'] {
  const members = new Map<string, string[]>();
  if (partitions) for (const p of partitions) members.set(p.name, p.nodes);
  else for (const n of nodes) for (const p of n.partitions) members.set(p, [...(members.get(p) ?? []), n.name]);
  const rowOf = new Map(t.nodes.map((n, i) => [n, i]));
  const service = new Map<number, boolean>();
  const inService = (code: number) => {
    let v = service.get(code);
    if (v === undefined) {
      const c = classifyStateKey(t.states[code] ?? 'UNKNOWN');
      v = c === 'service' || c === 'draining';
      service.set(code, v);
    }
    return v;
  };
  const out: AlertInput['partitionWindow'] = {};
  for (const [name, list] of members) {
    const rows = list.map((n) => rowOf.get(n)).filter((r): r is number => r !== undefined);
    let alloc = 0;
    let total = 0;
    let covered = 0;
    for (let b = 0; b < t.buckets; b++) {
      let any = false;
      for (const r of rows) {
        const i = r * t.buckets + b;
        const code = t.state[i] ?? 0;
        if (code === 0) continue;
        any = true;
        if (!inService(code)) continue;
        alloc += (t.gpusAlloc[i] ?? 0) * t.bucketSeconds;
        total += (t.gpusTotal[i] ?? 0) * t.bucketSeconds;
      }
      if (any) covered += t.bucketSeconds;
    }
    out[name] = { allocGpuSeconds: alloc, totalGpuSeconds: total, coveredSeconds: covered };
  }
  return out;
}
