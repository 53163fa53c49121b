// fairshare.tree and priority.pending: the cached sshare rows and sprio factors of one cluster as of `at`
// (default: latest), the latter joined to the queue snapshot of the same moment for names, QOS, reason
// and GPUs (sprio prints none of them).
import { ApiError } from '../../../shared/api/errors';
import { jobGpuCount } from '../../../shared/fleet/cluster-status';
import type { FairshareTree, PendingPriorities } from '../../../shared/api/methods/fairshare';
import { ClustersRepo } from '../store/clusters-repo';
import { FairshareRepo } from '../store/fairshare-repo';
import { AsOf } from '../store/as-of';
import { PriorityRepo } from '../store/priority-repo';
import type { Store } from '../store/db';
import { snapshotAt } from './time-travel';

/** A number the contract can carry: sshare's infinities (`inf`, seen for LevelFS) have no JSON form. */
const finite = (x: number | null): number | null => (x === null || Number.isFinite(x) ? x : null);

function clusterOf(store: Store, name: string): { id: number; timeZone: string } {
  const repo = new ClustersRepo(store.db);
  const c = repo.get(name);
  if (!c) throw new ApiError('bad-request', `no cluster named ${JSON.stringify(name)} (known: ${repo.list().map((k) => k.name).join(', ') || 'none'})`);
  return { id: c.id, timeZone: repo.timeZone(c.id) };
}

export function fairshareTree(store: Store, request: { cluster: string; at?: number }): FairshareTree {
  const c = clusterOf(store, request.cluster);
  const snap = snapshotAt(store.db, c.id, 'fairshare', request.at);
  const rows = snap ? new FairshareRepo(store.db).read(snap.id) : [];
  return {
    cluster: request.cluster,
    timeZone: c.timeZone,
    collectedAt: snap?.finishedAt ?? null,
    rows: rows.map((r) => ({
      account: r.account,
      user: r.user,
      depth: r.depth,
      parent: r.parent,
      rawShares: finite(r.rawShares),
      normShares: finite(r.normShares),
      rawUsage: finite(r.rawUsage) ?? 0,
      effectiveUsage: finite(r.effectiveUsage),
      fairShare: finite(r.fairShare),
      levelFs: r.levelFs === Number.POSITIVE_INFINITY ? 'inf' : finite(r.levelFs),
    })),
  };
}

export function pendingPriorities(store: Store, request: { cluster: string; at?: number }): PendingPriorities {
  const c = clusterOf(store, request.cluster);
  const db = store.db;
  const snap = snapshotAt(db, c.id, 'priority', request.at);
  const caps = new ClustersRepo(db).capabilities(c.id);
  const rows = snap ? new PriorityRepo(db).read(snap.id) : [];
  // The queue as of the same moment names the jobs; a job that left the queue in between keeps its raw id.
  const queueSnap = snap ? snapshotAt(db, c.id, 'queue', snap.finishedAt) : undefined;
  const queue = queueSnap ? new AsOf(db).queue(request.cluster, queueSnap.id) : null;
  const byId = new Map<number, { jobId: string; name: string; account: string; qos: string; reason: string | null; gpus: number }>();
  if (queue?.exact) for (const j of queue.jobs) byId.set(j.jobIdRaw, { ...j, gpus: jobGpuCount(j) });
  else if (queue) for (const j of queue.jobs) byId.set(j.jobIdRaw, j);
  return {
    cluster: request.cluster,
    timeZone: c.timeZone,
    collectedAt: snap?.finishedAt ?? null,
    available: caps?.commands.sprio !== false,
    jobs: rows.map((r) => {
      const j = byId.get(r.jobIdRaw);
      return {
        jobIdRaw: r.jobIdRaw,
        jobId: j?.jobId ?? String(r.jobIdRaw),
        name: j?.name ?? null,
        user: r.user,
        account: r.account ?? j?.account ?? null,
        partition: r.partition,
        qos: j?.qos ?? null,
        reason: j?.reason ?? null,
        gpus: j ? j.gpus : null,
        priority: finite(r.priority) ?? 0,
        age: finite(r.age) ?? 0,
        fairshare: finite(r.fairshare) ?? 0,
        jobSize: finite(r.jobSize) ?? 0,
        partitionFactor: finite(r.partitionFactor) ?? 0,
        qosFactor: finite(r.qos) ?? 0,
        site: finite(r.site) ?? 0,
        tres: r.tres,
      };
    }),
  };
}
