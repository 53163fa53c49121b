// Write one collection from one cluster as one snapshot, in ONE transaction: the snapshot record, the rows
// of every kind it holds, the history it feeds (job/partition/reservation spans, node samples, runs and
// usage_daily) and the thinning of old full rows. If anything fails, or the process dies before COMMIT,
// SQLite rolls all of it back: the previous snapshot stays as it was and no partial snapshot exists.
import type { ControllerHealth } from '../../../shared/model/controller';
import type { FairshareRow } from '../../../shared/model/fairshare';
import type { QueuedJob } from '../../../shared/model/job';
import type { SlurmNode } from '../../../shared/model/node';
import type { Partition } from '../../../shared/model/partition';
import type { PriorityRow } from '../../../shared/model/priority';
import type { Reservation } from '../../../shared/model/reservation';
import type { AccountingRun } from '../../../shared/model/run';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import { LocalDays } from '../../../shared/usage/local-days';
import { ClustersRepo } from './clusters-repo';
import { ControllerRepo } from './controller-repo';
import type { Store } from './db';
import { StoreError } from './errors';
import { FairshareRepo } from './fairshare-repo';
import { JobsRepo } from './jobs-repo';
import { JsonSpans } from './json-spans';
import { NodeSamplesRepo } from './node-samples-repo';
import { NodesRepo } from './nodes-repo';
import { PriorityRepo } from './priority-repo';
import { readRetention, thinFullRows, type RetentionSettings } from './retention';
import { runToRow } from './run-row';
import { RunsRepo } from './runs-repo';
import { SettingsRepo } from './settings-repo';
import { SnapshotsRepo, type StoredSnapshot } from './snapshots-repo';
import { UsageRollup } from './usage-rollup';
import { prepared } from './prepared';

export interface AccountingBatch {
  runs: readonly AccountingRun[];
  /** The sacct window asked for (epoch seconds): -S (null = from the start of accounting) and -E. */
  since: number | null;
  until: number;
}

/** What one collection brought back. Kinds that were not collected are absent; kinds that failed are in `errors`. */
export interface Collection {
  cluster: string;
  /** Epoch seconds. Node samples are taken at `finishedAt`. */
  startedAt: number;
  finishedAt: number;
  source?: 'poll' | 'import';
  nodes?: readonly SlurmNode[];
  partitions?: readonly Partition[];
  queue?: readonly QueuedJob[];
  accounting?: AccountingBatch;
  fairshare?: readonly FairshareRow[];
  priority?: readonly PriorityRow[];
  reservations?: readonly Reservation[];
  controller?: ControllerHealth;
  errors?: readonly { kind: SnapshotKind; message: string }[];
}

/** Latest of Submit, Start and End among runs: how far this window has seen. */
export function maxSeen(runs: readonly AccountingRun[]): number | null {
  let max: number | null = null;
  for (const r of runs) for (const t of [r.submitTime, r.startTime, r.endTime]) if (t !== null && (max === null || t > max)) max = t;
  return max;
}

export class SnapshotWriter {
  private readonly clusters: ClustersRepo;
  private readonly snapshots: SnapshotsRepo;
  private readonly nodes: NodesRepo;
  private readonly samples: NodeSamplesRepo;
  private readonly jobs: JobsRepo;
  private readonly runs: RunsRepo;
  private readonly partitions: JsonSpans<Partition>;
  private readonly reservations: JsonSpans<Reservation>;
  private readonly fairshare: FairshareRepo;
  private readonly priority: PriorityRepo;
  private readonly controller: ControllerRepo;
  private readonly settings: SettingsRepo;

  constructor(private readonly store: Store) {
    if (store.readonly) throw new StoreError('read-only', `${store.path} is open read-only`);
    const db = store.db;
    this.clusters = new ClustersRepo(db);
    this.snapshots = new SnapshotsRepo(db);
    this.nodes = new NodesRepo(db);
    this.samples = new NodeSamplesRepo(db);
    this.jobs = new JobsRepo(db);
    this.runs = new RunsRepo(db);
    this.partitions = new JsonSpans<Partition>(db, 'partition_spans');
    this.reservations = new JsonSpans<Reservation>(db, 'reservation_spans');
    this.fairshare = new FairshareRepo(db);
    this.priority = new PriorityRepo(db);
    this.controller = new ControllerRepo(db);
    this.settings = new SettingsRepo(db);
  }

  /** Store the collection; returns the snapshot as stored. Throws (having stored nothing) on any failure. */
  write(c: Collection): StoredSnapshot {
    if (!(Number.isSafeInteger(c.startedAt) && Number.isSafeInteger(c.finishedAt) && c.finishedAt >= c.startedAt)) {
      throw new StoreError('bad-value', `snapshot times must be epoch seconds with finishedAt >= startedAt (got ${c.startedAt}, ${c.finishedAt})`);
    }
    const id = this.store.db.transaction(() => this.writeInTransaction(c))();
    return this.snapshots.get(id) as StoredSnapshot;
  }

  private writeInTransaction(c: Collection): number {
    const db = this.store.db;
    const clusterId = this.clusters.idOf(c.cluster);
    const retention: RetentionSettings = readRetention(this.settings);
    const errors = (c.errors ?? []).map((e) => ({ kind: e.kind, message: e.message }));
    const id = this.snapshots.create(clusterId, {
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      source: c.source ?? 'poll',
      status: errors.length > 0 ? 'partial' : 'ok',
      errors,
    });
    const kind = (k: SnapshotKind, rows: number, full: boolean) => {
      this.snapshots.addKind(id, k, rows, full);
      if (full) thinFullRows(db, clusterId, k, retention.fullSnapshots);
    };

    if (c.nodes) {
      this.nodes.writeCurrent(id, c.nodes);
      this.samples.record(clusterId, c.finishedAt, c.nodes);
      kind('nodes', c.nodes.length, true);
    }
    if (c.queue) {
      this.jobs.writeCurrent(id, c.queue);
      this.jobs.updateSpans(clusterId, id, c.queue);
      kind('queue', c.queue.length, true);
    }
    if (c.partitions) {
      this.partitions.update(clusterId, id, c.partitions);
      kind('partitions', c.partitions.length, false);
    }
    if (c.reservations) {
      this.reservations.update(clusterId, id, c.reservations);
      kind('reservations', c.reservations.length, false);
    }
    if (c.fairshare) {
      this.fairshare.write(id, c.fairshare);
      kind('fairshare', c.fairshare.length, true);
    }
    if (c.priority) {
      this.priority.write(id, c.priority);
      kind('priority', c.priority.length, true);
    }
    if (c.controller) {
      this.controller.write(id, c.controller);
      kind('controller', 1, false);
    }
    if (c.accounting) {
      const a = c.accounting;
      const rollup = new UsageRollup(db, clusterId, new LocalDays(this.clusters.timeZone(clusterId)));
      const rows = a.runs.map((r) => runToRow(clusterId, r));
      this.runs.upsertRows(rows, rollup);
      rollup.flush();
      recordWindow(db, id, a.since, a.until, a.runs.length, maxSeen(a.runs));
      kind('accounting', a.runs.length, false);
    }
    return id;
  }
}

/** The accounting window a complete collection covered (what the next incremental sync starts from). */
export function recordWindow(db: Store['db'], snapshotId: number, since: number | null, until: number, rows: number, seen: number | null): void {
  if (!Number.isSafeInteger(until) || (since !== null && !(Number.isSafeInteger(since) && since <= until))) {
    throw new StoreError('bad-value', `accounting window ${since}..${until} is not a window`);
  }
  prepared(db, 'INSERT INTO accounting_windows (snapshot_id, since, until, rows, max_seen) VALUES (?, ?, ?, ?, ?)').run(snapshotId, since, until, rows, seen);
}
