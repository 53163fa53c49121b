// Nodes at a snapshot: the whole SlurmNode rows of the latest few node snapshots (nodes_current), and for
// older snapshots what node_samples kept of them (state, GPUs, reason: `exact: false`).
import type Database from 'better-sqlite3';
import { nodeGpuTotals, type NodeBaseState, type SlurmNode } from '../../../shared/model/node';
import { StoreError } from './errors';
import { BUCKET_SECONDS } from './node-sample-codec';
import type { NodeSamplesRepo } from './node-samples-repo';
import { prepared } from './prepared';

/** What node_samples remember of a node at one five-minute bucket. */
export interface NodeSampleView {
  name: string;
  state: NodeBaseState;
  flags: string[];
  reason: string | null;
  reasonUser: string | null;
  gpusAlloc: number;
  gpusTotal: number;
}

interface NodeRecord {
  name: string;
  state: string;
  flags: string;
  reason: string | null;
  reason_user: string | null;
  reason_time: number | null;
  partitions: string;
  cpus_total: number;
  cpus_alloc: number;
  mem_total_mib: number;
  mem_alloc_mib: number;
  gpus: string;
  features: string;
  other_gres: string | null;
}

export class NodesRepo {
  constructor(private readonly db: Database.Database) {}

  writeCurrent(snapshotId: number, nodes: readonly SlurmNode[]): void {
    const insert = prepared(this.db, `INSERT INTO nodes_current (snapshot_id, name, state, flags, reason, reason_user, reason_time, partitions,
      cpus_total, cpus_alloc, mem_total_mib, mem_alloc_mib, gpus_total, gpus_used, gpus, features, other_gres)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (const n of nodes) {
      const g = nodeGpuTotals(n);
      try {
        insert.run(
          snapshotId, n.name, n.state, JSON.stringify(n.flags), n.reason, n.reasonUser, n.reasonTime, JSON.stringify(n.partitions),
          n.cpus.total, n.cpus.allocated, n.memoryMiB.total, n.memoryMiB.allocated, g.total, g.used, JSON.stringify(n.gpus),
          JSON.stringify(n.features), n.otherGres,
        );
      } catch (err) {
        throw new StoreError('bad-value', `node ${n.name} cannot be stored: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  current(snapshotId: number): SlurmNode[] {
    const rows = prepared(this.db, 'SELECT * FROM nodes_current WHERE snapshot_id = ?').all(snapshotId) as NodeRecord[];
    return rows
      .map((r) => ({
        name: r.name,
        state: r.state as NodeBaseState,
        flags: JSON.parse(r.flags) as string[],
        reason: r.reason,
        reasonUser: r.reason_user,
        reasonTime: r.reason_time,
        partitions: JSON.parse(r.partitions) as string[],
        cpus: { total: r.cpus_total, allocated: r.cpus_alloc },
        memoryMiB: { total: r.mem_total_mib, allocated: r.mem_alloc_mib },
        gpus: JSON.parse(r.gpus) as SlurmNode['gpus'],
        features: JSON.parse(r.features) as string[],
        otherGres: r.other_gres,
      }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  }

  /** The nodes as sampled in the five-minute bucket containing `at`. */
  fromSamples(samples: NodeSamplesRepo, clusterId: number, at: number): NodeSampleView[] {
    const bucketStart = Math.floor(at / BUCKET_SECONDS) * BUCKET_SECONDS;
    const t = samples.timeline(clusterId, bucketStart, bucketStart + BUCKET_SECONDS);
    const out: NodeSampleView[] = [];
    t.nodes.forEach((name, i) => {
      const code = t.state[i] as number;
      if (code === 0) return;
      const [state, ...flags] = (t.states[code] ?? 'UNKNOWN').split('+');
      const reason = t.reasons[t.reason[i] as number];
      out.push({ name, state: state as NodeBaseState, flags, reason: reason?.reason ?? null, reasonUser: reason?.user ?? null, gpusAlloc: t.gpusAlloc[i] as number, gpusTotal: t.gpusTotal[i] as number });
    });
    return out;
  }
}
