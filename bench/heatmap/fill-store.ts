// A store holding a week (and a day) of five-minute node history for a 1,000-GPU-node cluster, as a poller
// would have left it: node_samples rows written whole per node-day, a drain now and then with a reason and
// who set it, some nodes down for a while, and one nodes snapshot at the end with the full node rows (for
// partitions, GPU types and the now-grid). Seeded, so every run measures the same data.
import type { SlurmNode } from '../../shared/model/node';
import { ClustersRepo } from '../../electron/core/store/clusters-repo';
import type { Store } from '../../electron/core/store/db';
import { BUCKETS_PER_DAY, BUCKET_SECONDS, NodeDay, dayOf } from '../../electron/core/store/node-sample-codec';
import { NodeSamplesRepo, nodeStateKey } from '../../electron/core/store/node-samples-repo';
import { SnapshotWriter } from '../../electron/core/store/snapshot-writer';
import { Random } from '../generate/random';

const POOLS = [
  { prefix: 'gpu-h100', type: 'h100', count: 400, gpus: 8, partitions: ['gpu', 'gpu-preempt'] },
  { prefix: 'gpu-a100', type: 'a100', count: 400, gpus: 8, partitions: ['gpu', 'gpu-preempt'] },
  { prefix: 'gpu-l40s', type: 'l40s', count: 200, gpus: 4, partitions: ['interactive', 'gpu-preempt'] },
] as const;
const REASONS = ['xid 79: GPU fell off the bus', 'GPU 2 uncorrectable ECC errors', 'nvlink errors, ticket OPS-4411', 'kernel upgrade', 'bad DIMM'];

export interface FilledStore {
  nodes: number;
  days: number;
  end: number;
}

function node(name: string, type: string, gpus: number, partitions: readonly string[], used: number, state: SlurmNode['state'], flags: string[], reason: string | null): SlurmNode {
  return {
    name, state, flags, reason, reasonUser: reason ? 'root' : null, reasonTime: null, partitions: [...partitions],
    cpus: { total: 128, allocated: used * 16 }, memoryMiB: { total: 1_024_000, allocated: used * 64_000 },
    gpus: [{ type, total: gpus, used, usedIndices: Array.from({ length: used }, (_, i) => i) }], features: [type], otherGres: null,
  };
}

/** Fill `store` with cluster `name`: 1,000 GPU nodes, `days` whole UTC days of samples ending at `end`. */
export function fillStore(store: Store, name: string, end: number, days = 8, seed = 7): FilledStore {
  const rnd = new Random(seed);
  const clusters = new ClustersRepo(store.db);
  const clusterId = clusters.save({ name, host: `${name}.example.org`, port: 22, user: 'ops', auth: { kind: 'agent' }, jump: [], knownHostsFiles: [], poll: { queue: 60, accounting: 300, fairshare: 900 }, enabled: true }, end);
  const samples = new NodeSamplesRepo(store.db);
  const codes = new Map<string, number>();
  const code = (n: Pick<SlurmNode, 'state' | 'flags'>) => {
    const key = nodeStateKey(n);
    let c = codes.get(key);
    if (c === undefined) codes.set(key, (c = samples.stateCode(key)));
    return c;
  };
  const lastDay = dayOf(end);
  const lastBucket = Math.floor((end - lastDay * 86400) / BUCKET_SECONDS);
  const finalNodes: SlurmNode[] = [];
  store.db.transaction(() => {
    for (const pool of POOLS) {
      for (let i = 1; i <= pool.count; i++) {
        const nodeName = `${pool.prefix}-${String(i).padStart(3, '0')}`;
        const id = samples.nodeId(clusterId, nodeName);
        let used = rnd.int(0, pool.gpus);
        let drainLeft = 0;
        let downLeft = 0;
        let reason: string | null = null;
        let last = node(nodeName, pool.type, pool.gpus, pool.partitions, used, 'MIXED', [], null);
        for (let day = lastDay - days + 1; day <= lastDay; day++) {
          const nd = new NodeDay();
          const buckets = day === lastDay ? lastBucket + 1 : BUCKETS_PER_DAY;
          for (let b = 0; b < buckets; b++) {
            if (drainLeft === 0 && downLeft === 0) {
              if (rnd.chance(0.0004)) {
                drainLeft = rnd.int(6, 400);
                reason = rnd.pick(REASONS);
              } else if (rnd.chance(0.0001)) {
                downLeft = rnd.int(2, 60);
                reason = 'Not responding';
              }
            }
            if (rnd.chance(0.08)) used = Math.max(0, Math.min(pool.gpus, used + rnd.int(-2, 2)));
            let state: SlurmNode['state'] = used === 0 ? 'IDLE' : used === pool.gpus ? 'ALLOCATED' : 'MIXED';
            let flags: string[] = [];
            if (downLeft > 0) {
              downLeft--;
              state = 'DOWN';
              flags = ['NOT_RESPONDING'];
              used = 0;
            } else if (drainLeft > 0) {
              drainLeft--;
              flags = ['DRAIN'];
              used = Math.max(0, used - 1); // jobs finish, none start
              state = used === 0 ? 'IDLE' : 'MIXED';
            } else reason = null;
            last = node(nodeName, pool.type, pool.gpus, pool.partitions, used, state, flags, reason);
            nd.set(b, { state: code(last), gpusAlloc: used, gpusTotal: pool.gpus, reasonId: reason ? samples.reasonId(reason, 'root') : 0 });
          }
          samples.putDay(id, day, nd);
        }
        finalNodes.push(last);
      }
    }
  })();
  // The last poll, as the collector writes it (full node rows + this bucket's sample again).
  new SnapshotWriter(store).write({ cluster: name, startedAt: end - 2, finishedAt: end, nodes: finalNodes });
  return { nodes: finalNodes.length, days, end };
}
