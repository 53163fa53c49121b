// "What did the cluster look like at snapshot S?" for nodes, the queue, partitions and reservations. S may
// be any snapshot of the cluster (or omitted: the latest); the answer comes from the newest snapshot at or
// before S that collected that kind. Nodes and the queue come from their full rows while retention keeps
// them (`exact: true`), else from compact history (node samples, job spans: `exact: false`, fewer fields).
import type Database from 'better-sqlite3';
import type { QueuedJob } from '../../../shared/model/job';
import type { SlurmNode } from '../../../shared/model/node';
import type { Partition } from '../../../shared/model/partition';
import type { Reservation } from '../../../shared/model/reservation';
import { ClustersRepo } from './clusters-repo';
import { JobsRepo, type QueueEntry } from './jobs-repo';
import { JsonSpans } from './json-spans';
import { NodeSamplesRepo } from './node-samples-repo';
import { NodesRepo, type NodeSampleView } from './nodes-repo';
import { SnapshotsRepo, type StoredSnapshot } from './snapshots-repo';

export type NodesAsOf = { snapshot: StoredSnapshot; exact: true; nodes: SlurmNode[] } | { snapshot: StoredSnapshot; exact: false; nodes: NodeSampleView[] };
export type QueueAsOf = { snapshot: StoredSnapshot; exact: true; jobs: QueuedJob[] } | { snapshot: StoredSnapshot; exact: false; jobs: QueueEntry[] };

export class AsOf {
  private readonly clusters: ClustersRepo;
  private readonly snapshots: SnapshotsRepo;

  constructor(private readonly db: Database.Database) {
    this.clusters = new ClustersRepo(db);
    this.snapshots = new SnapshotsRepo(db);
  }

  /** Null when the cluster has no snapshot with nodes at or before `snapshotId`. */
  nodes(cluster: string, snapshotId?: number): NodesAsOf | null {
    const snap = this.snapshots.latest(this.clusters.idOf(cluster), 'nodes', snapshotId);
    if (!snap) return null;
    if (this.snapshots.isFull(snap.id, 'nodes')) return { snapshot: snap, exact: true, nodes: new NodesRepo(this.db).current(snap.id) };
    return { snapshot: snap, exact: false, nodes: new NodesRepo(this.db).fromSamples(new NodeSamplesRepo(this.db), snap.clusterId, snap.finishedAt) };
  }

  queue(cluster: string, snapshotId?: number): QueueAsOf | null {
    const snap = this.snapshots.latest(this.clusters.idOf(cluster), 'queue', snapshotId);
    if (!snap) return null;
    const jobs = new JobsRepo(this.db);
    if (this.snapshots.isFull(snap.id, 'queue')) return { snapshot: snap, exact: true, jobs: jobs.current(snap.id) };
    return { snapshot: snap, exact: false, jobs: jobs.fromSpans(snap.clusterId, snap.id) };
  }

  partitions(cluster: string, snapshotId?: number): { snapshot: StoredSnapshot; partitions: Partition[] } | null {
    const snap = this.snapshots.latest(this.clusters.idOf(cluster), 'partitions', snapshotId);
    if (!snap) return null;
    return { snapshot: snap, partitions: new JsonSpans<Partition>(this.db, 'partition_spans').asOf(snap.clusterId, snap.id) };
  }

  reservations(cluster: string, snapshotId?: number): { snapshot: StoredSnapshot; reservations: Reservation[] } | null {
    const snap = this.snapshots.latest(this.clusters.idOf(cluster), 'reservations', snapshotId);
    if (!snap) return null;
    return { snapshot: snap, reservations: new JsonSpans<Reservation>(this.db, 'reservation_spans').asOf(snap.clusterId, snap.id) };
  }
}
