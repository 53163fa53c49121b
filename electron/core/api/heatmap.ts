// Partition heatmap: the cells of a range (heatmap-cells.ts), the details behind one cell for the tooltip,
// and the "now" grid of GPU slots. Node metadata (partitions, GPU type, state) comes from the nodes snapshot
// as of the range's end; nodes seen in samples but gone from that snapshot keep their rows.
import { ApiError } from '../../../shared/api/errors';
import { compareNodeNames } from '../../../shared/heatmap/node-order';
import type { HeatmapCell, HeatmapNode, HeatmapNow, HeatmapRange } from '../../../shared/api/methods/heatmap';
import { nodeCanTakeWork, nodeGpuTotals, nodeStateLabel, type NodeBaseState, type SlurmNode } from '../../../shared/model/node';
import { expandNodeField } from '../../../shared/slurm/parse/hostlist';
import type { Store } from '../store/db';
import { ClustersRepo } from '../store/clusters-repo';
import { jobGpuCount } from '../../../shared/fleet/cluster-status';
import { JobsRepo } from '../store/jobs-repo';
import { BUCKET_SECONDS, bucketOf, dayOf, NodeDay } from '../store/node-sample-codec';
import { NodeSamplesRepo } from '../store/node-samples-repo';
import { NodesRepo } from '../store/nodes-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { daySpan, fillCells, readDays, sampledNodeNames } from './heatmap-cells';
import { snapshotAt } from './time-travel';
import { nowSeconds, type CoreContext } from './context';

/** More cells than this would be a >32 MB answer: ask for a partition or a shorter range instead. */
export const MAX_CELLS = 32_000_000;
const RUNNING_STATES = new Set(['RUNNING', 'COMPLETING', 'SUSPENDED', 'STOPPED']);

interface ClusterNodes {
  id: number;
  name: string;
  timeZone: string | null;
  nodesAt: number | null;
  nodes: NodeMeta[];
}

function selectedClusters(store: Store, cluster: string | undefined): { id: number; name: string }[] {
  const repo = new ClustersRepo(store.db);
  if (cluster === undefined) return repo.list().map((c) => ({ id: c.id, name: c.name }));
  const c = repo.get(cluster);
  if (!c) throw new ApiError('bad-request', `no cluster named ${JSON.stringify(cluster)}`);
  return [{ id: c.id, name: c.name }];
}

/** The fields of a node the heatmap shows; read without the rest (CPUs, memory, features). */
type NodeMeta = Pick<SlurmNode, 'name' | 'state' | 'flags' | 'partitions' | 'gpus'>;

/** nodes_current rows of a snapshot, only the columns the heatmap needs (name order comes later). */
function nodeMeta(store: Store, snapshotId: number): NodeMeta[] {
  const rows = store.db.prepare('SELECT name, state, flags, partitions, gpus FROM nodes_current WHERE snapshot_id = ?').raw(true).all(snapshotId) as [string, string, string, string, string][];
  return rows.map(([name, state, flags, partitions, gpus]) => ({
    name,
    state: state as NodeBaseState,
    flags: JSON.parse(flags) as string[],
    partitions: JSON.parse(partitions) as string[],
    gpus: JSON.parse(gpus) as SlurmNode['gpus'],
  }));
}

/**
 * Nodes of the snapshot as of `at`. When retention already dropped that snapshot's full rows, the latest
 * full rows give what rarely changes (partitions, GPU types) and the samples as of `at` give the state
 * and GPUs in use (indices are not sampled, so they are unknown then).
 */
function nodesAsOf(store: Store, clusterId: number, at: number | undefined): { nodes: NodeMeta[]; at: number | null } {
  const snap = snapshotAt(store.db, clusterId, 'nodes', at);
  if (!snap) return { nodes: [], at: null };
  const nodes = nodeMeta(store, snap.id);
  if (nodes.length > 0 || at === undefined) return { nodes, at: snap.finishedAt };
  const latest = new SnapshotsRepo(store.db).latest(clusterId, 'nodes');
  const sampled = new Map(new NodesRepo(store.db).fromSamples(new NodeSamplesRepo(store.db), clusterId, snap.finishedAt).map((s) => [s.name, s]));
  const rebuilt = (latest ? nodeMeta(store, latest.id) : []).flatMap((n): NodeMeta[] => {
    const s = sampled.get(n.name);
    if (!s) return [];
    // GPUs in use as sampled, spread over the node's types in order (samples keep only the node's total).
    let left = s.gpusAlloc;
    const gpus = n.gpus.map((g) => {
      const used = Math.min(g.total, left);
      left -= used;
      return { ...g, used, usedIndices: null };
    });
    return [{ ...n, state: s.state, flags: s.flags, gpus }];
  });
  return { nodes: rebuilt, at: snap.finishedAt };
}

function clustersWithNodes(store: Store, cluster: string | undefined, at: number | undefined): ClusterNodes[] {
  const repo = new ClustersRepo(store.db);
  return selectedClusters(store, cluster).map((c) => {
    const { nodes, at: nodesAt } = nodesAsOf(store, c.id, at);
    return { ...c, timeZone: repo.capabilities(c.id)?.timeZone ?? null, nodesAt, nodes };
  });
}

function gpuTypeOf(node: NodeMeta): string | null {
  const types = [...new Set(node.gpus.filter((g) => g.total > 0 && g.type).map((g) => g.type as string))].sort();
  return types.length ? types.join('+') : null;
}


export function heatmapRange(ctx: CoreContext, req: { cluster?: string; partition?: string; seconds: number; at?: number }): HeatmapRange {
  const t0 = performance.now();
  const clusters = clustersWithNodes(ctx.store, req.cluster, req.at);
  // The range ends at `at`, or at the newest nodes snapshot (so example data and files show their own time).
  const newest = Math.max(0, ...clusters.map((c) => c.nodesAt ?? 0));
  const end = req.at ?? (newest > 0 ? newest : nowSeconds(ctx));
  const first = Math.floor((end - req.seconds) / BUCKET_SECONDS);
  const buckets = Math.max(0, Math.floor(end / BUCKET_SECONDS) + 1 - first);
  const nodes: HeatmapNode[] = [];
  const [fromDay, toDay] = daySpan(first, buckets);
  let cpuOnlyNodes = 0;
  // Rows first (every cluster), then one array for all cells, exactly its size: IPC clones a typed array's
  // whole buffer, and the WebSocket sends it as is in a binary frame.
  const plan = clusters.map((c) => {
    const meta = new Map(c.nodes.map((n) => [n.name, n]));
    const names = new Set(sampledNodeNames(ctx.store.db, c.id, fromDay, toDay));
    for (const n of c.nodes) names.add(n.name);
    const rows: string[] = [];
    for (const name of [...names].sort(compareNodeNames)) {
      const m = meta.get(name);
      if (req.partition !== undefined && !m?.partitions.includes(req.partition)) continue;
      if (m && nodeGpuTotals(m).total === 0) {
        cpuOnlyNodes++;
        continue;
      }
      rows.push(name);
    }
    return { id: c.id, meta, rows };
  });
  const rowCount = plan.reduce((a, p) => a + p.rows.length, 0);
  if (rowCount > 0 && rowCount * buckets > MAX_CELLS) {
    throw new ApiError('bad-request', `${rowCount} nodes × ${buckets} buckets is more than the heatmap draws at once; choose a partition or a shorter range`);
  }
  const cells = new Uint8Array(rowCount * buckets);
  plan.forEach(({ id, meta, rows }, ci) => {
    const days = rows.length > 0 ? readDays(ctx.store.db, id, fromDay, toDay, ctx.store.readonly) : [];
    const grid = fillCells(days, rows, first, buckets, cells, nodes.length * buckets);
    rows.forEach((name, i) => {
      const m = meta.get(name);
      const total = m ? nodeGpuTotals(m).total : 0;
      nodes.push({ cluster: ci, name, partitions: m?.partitions ?? [], gpuTotal: Math.max(total, grid.maxGpuTotal[i] as number), gpuType: m ? gpuTypeOf(m) : null, state: m ? nodeStateLabel(m) : null });
    });
  });
  return {
    clusters: clusters.map((c) => ({ name: c.name, timeZone: c.timeZone, nodesAt: c.nodesAt })),
    start: first * BUCKET_SECONDS,
    end,
    bucketSeconds: BUCKET_SECONDS,
    buckets,
    nodes,
    cells,
    cpuOnlyNodes,
    readMs: Math.round((performance.now() - t0) * 10) / 10,
  };
}

export function heatmapCell(ctx: CoreContext, req: { cluster: string; node: string; at: number }): HeatmapCell {
  const db = ctx.store.db;
  const [cluster] = selectedClusters(ctx.store, req.cluster) as [{ id: number; name: string }];
  const timeZone = new ClustersRepo(db).capabilities(cluster.id)?.timeZone ?? null;
  const bucketStart = Math.floor(req.at / BUCKET_SECONDS) * BUCKET_SECONDS;
  const out: HeatmapCell = {
    cluster: cluster.name, node: req.node, bucketStart, bucketSeconds: BUCKET_SECONDS, sampled: false, stateKey: null, state: null,
    gpusAlloc: 0, gpusTotal: 0, reason: null, reasonUser: null, jobs: [], jobsAt: null, timeZone,
  };
  const row = db
    .prepare('SELECT s.samples, s.reasons FROM node_samples s JOIN node_names n ON n.id = s.node_id WHERE n.cluster_id = ? AND n.name = ? AND s.day = ?')
    .get(cluster.id, req.node, dayOf(req.at)) as { samples: Buffer; reasons: Buffer } | undefined;
  if (row) {
    const s = new NodeDay(row.samples, row.reasons).get(bucketOf(req.at));
    if (s.state !== 0) {
      const key = (db.prepare('SELECT state FROM node_state_codes WHERE code = ?').pluck().get(s.state) as string | undefined) ?? 'UNKNOWN';
      const [base, ...flags] = key.split('+');
      const reason = s.reasonId ? (db.prepare('SELECT reason, reason_user FROM node_reasons WHERE id = ?').get(s.reasonId) as { reason: string; reason_user: string } | undefined) : undefined;
      Object.assign(out, {
        sampled: true,
        stateKey: key,
        state: nodeStateLabel({ state: base as NodeBaseState, flags }),
        gpusAlloc: s.gpusAlloc,
        gpusTotal: s.gpusTotal,
        reason: reason?.reason ?? null,
        reasonUser: reason?.reason_user ? reason.reason_user : null,
      });
    }
  }
  // Jobs: the queue snapshot in effect at the end of the bucket (the sample is the last one of its bucket).
  const queue = snapshotAt(db, cluster.id, 'queue', bucketStart + BUCKET_SECONDS - 1);
  if (queue) {
    out.jobsAt = queue.finishedAt;
    const jobs = new JobsRepo(db);
    const full = new SnapshotsRepo(db).isFull(queue.id, 'queue');
    const list = full
      ? jobs.current(queue.id).map((j) => ({ ...j, gpus: jobGpuCount(j) }))
      : jobs.fromSpans(cluster.id, queue.id).map((j) => ({ ...j, nodes: j.nodesExpr ? expandNodeField(j.nodesExpr) : [] }));
    for (const j of list) {
      if (!RUNNING_STATES.has(j.state) || !j.nodes.includes(req.node)) continue;
      out.jobs.push({ jobId: j.jobId, user: j.user, account: j.account, partition: j.partition, gpus: j.gpus, state: j.state });
    }
  }
  return out;
}

export function heatmapNow(ctx: CoreContext, req: { cluster?: string; partition?: string; at?: number }): HeatmapNow {
  const clusters = clustersWithNodes(ctx.store, req.cluster, req.at);
  const nodes: HeatmapNow['nodes'] = [];
  clusters.forEach((c, ci) => {
    for (const n of [...c.nodes].sort((a, b) => compareNodeNames(a.name, b.name))) {
      if (nodeGpuTotals(n).total === 0) continue;
      if (req.partition !== undefined && !n.partitions.includes(req.partition)) continue;
      nodes.push({ cluster: ci, name: n.name, state: nodeStateLabel(n), canTakeWork: nodeCanTakeWork(n), gpus: n.gpus.map((g) => ({ type: g.type, total: g.total, used: g.used, usedIndices: g.usedIndices })) });
    }
  });
  return { clusters: clusters.map((c) => ({ name: c.name, timeZone: c.timeZone, nodesAt: c.nodesAt })), nodes };
}
