// Fleet overview and per-cluster status: the same numbers for the console's cards and `clusterops status`.
import { nodeStatusCounts, queueStatusCounts, type ClusterStatusCounts } from '../../../shared/fleet/cluster-status';
import type { ClusterCard, FleetOverview } from '../../../shared/api/methods/fleet';
import type { Store } from '../store/db';
import { ClustersRepo } from '../store/clusters-repo';
import { JobsRepo } from '../store/jobs-repo';
import { NodesRepo } from '../store/nodes-repo';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { snapshotAt } from './time-travel';
import { AlertsRepo } from '../store/alerts-repo';
import { connectionOf, type CoreContext } from './context';

export interface ClusterState {
  card: Omit<ClusterCard, 'connection' | 'openAlerts'>;
  capabilities: ReturnType<ClustersRepo['capabilities']>;
}

/** Each configured cluster as of `at` (default: latest), with the rows its counts came from. */
export function clusterStates(store: Store, options: { at?: number; clusters?: readonly string[] } = {}): ClusterState[] {
  const db = store.db;
  const clusters = new ClustersRepo(db);
  const nodesRepo = new NodesRepo(db);
  const jobsRepo = new JobsRepo(db);
  return clusters
    .list()
    .filter((c) => !options.clusters?.length || options.clusters.includes(c.name))
    .map((c) => {
      const caps = clusters.capabilities(c.id);
      const nodeSnap = snapshotAt(db, c.id, 'nodes', options.at);
      const queueSnap = snapshotAt(db, c.id, 'queue', options.at);
      const nodes = nodeSnap ? nodesRepo.current(nodeSnap.id) : [];
      // The counts need three columns per job, not whole jobs: a 50,000-job queue reads in milliseconds.
      const jobRows = queueSnap ? jobsRepo.countRows(queueSnap.id) : [];
      const newest = db.prepare('SELECT id, finished_at AS t FROM snapshots WHERE cluster_id = ? AND finished_at <= ? ORDER BY id DESC LIMIT 1').get(c.id, options.at ?? Number.MAX_SAFE_INTEGER) as { id: number; t: number } | undefined;
      const newestErrors = newest ? (new SnapshotsRepo(db).get(newest.id)?.errors ?? []) : [];
      return {
        card: {
          name: c.name,
          slurmVersion: caps?.slurmVersion ?? null,
          lastSyncAt: newest?.t ?? null,
          nodesAt: nodeSnap?.finishedAt ?? null,
          queueAt: queueSnap?.finishedAt ?? null,
          counts: { ...nodeStatusCounts(nodes), ...queueStatusCounts(jobRows) },
          lastErrors: newestErrors,
          user: caps?.user ?? c.config.user,
          adminLevel: caps?.adminLevel ?? null,
          timeZone: caps?.timeZone ?? null,
        },
        capabilities: caps,
      };
    });
}

export function sumCounts(all: readonly ClusterStatusCounts[]): ClusterStatusCounts {
  const total: ClusterStatusCounts = {
    nodes: { total: 0, byState: {} },
    gpus: { total: 0, allocated: 0, idle: 0, unavailable: 0, byType: {} },
    jobs: { running: 0, pending: 0, suspended: 0, completing: 0 },
    pendingGpus: 0,
  };
  for (const c of all) {
    total.nodes.total += c.nodes.total;
    for (const [k, v] of Object.entries(c.nodes.byState)) total.nodes.byState[k] = (total.nodes.byState[k] ?? 0) + v;
    for (const k of ['total', 'allocated', 'idle', 'unavailable'] as const) total.gpus[k] += c.gpus[k];
    for (const [type, g] of Object.entries(c.gpus.byType)) {
      const t = (total.gpus.byType[type] ??= { total: 0, allocated: 0, idle: 0, unavailable: 0 });
      for (const k of ['total', 'allocated', 'idle', 'unavailable'] as const) t[k] += g[k];
    }
    for (const k of ['running', 'pending', 'suspended', 'completing'] as const) total.jobs[k] += c.jobs[k];
    total.pendingGpus += c.pendingGpus;
  }
  return total;
}

export function fleetOverview(ctx: CoreContext, at?: number): FleetOverview {
  const states = clusterStates(ctx.store, at === undefined ? {} : { at });
  const active = new AlertsRepo(ctx.store.db).activeCounts();
  const openAlerts = (name: string) => {
    const c = active.get(name);
    return c ? c.open + c.acknowledged : 0;
  };
  const clusters = states.map((s) => ({ ...s.card, connection: connectionOf(ctx, s.card.name), openAlerts: openAlerts(s.card.name) }));
  return { clusters, totals: sumCounts(clusters.map((c) => c.counts)) };
}
