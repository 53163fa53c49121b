// The alert engine's utilization reader for live cores and the CLI: reads through the cluster's one pooled
// SSH connection, at most once per `minIntervalS` per cluster (nvidia-smi through srun costs a job step per
// running GPU job; a 60 s queue poll need not pay that every time). In between, the last reading is reused.
import type { UtilizationReading } from '../../../../shared/alerts/types';
import type { QueuedJob } from '../../../../shared/model/job';
import type { ClusterSync } from '../../runtime/cluster-sync';
import type { ConnectionPool } from '../../ssh/pool';
import { ClustersRepo } from '../../store/clusters-repo';
import type { Store } from '../../store/db';
import { readUtilization } from './read-utilization';

export const UTILIZATION_MIN_INTERVAL_S = 120;

export function poolUtilization(
  store: Store,
  pool: ConnectionPool,
  sync: ClusterSync,
  options: { minIntervalS?: number; now?: () => number } = {},
): (cluster: string, jobs: readonly QueuedJob[]) => Promise<UtilizationReading | null> {
  const now = options.now ?? Date.now;
  const minMs = (options.minIntervalS ?? UTILIZATION_MIN_INTERVAL_S) * 1000;
  const last = new Map<string, { at: number; reading: UtilizationReading }>();
  return async (cluster, jobs) => {
    const cached = last.get(cluster);
    if (cached && now() - cached.at < minMs) return cached.reading;
    const config = sync.config(cluster);
    const repo = new ClustersRepo(store.db);
    const connection = pool.get(config);
    const reading = await readUtilization({
      exec: (argv, o) => connection.exec(argv, o ?? {}),
      forward: (host, port, o) => connection.forwardOut(host, port, o ?? {}),
      config,
      capabilities: repo.capabilities(repo.idOf(cluster)),
      jobs,
      now,
    });
    last.set(cluster, { at: now(), reading });
    return reading;
  };
}
