// What a usage export reads from the store: the runs of the chosen clusters that held resources in the
// window, streamed (a raw-row iterator, one reusable object per run: a million-run window never sits in
// memory), and the facts the manifest states about each cluster: Slurm version, zone, when accounting was
// last collected, the TRESBillingWeights in force, and the account tree from the latest sshare.
import type Database from 'better-sqlite3';
import type { FairshareRow } from '../../../shared/model/fairshare';
import type { Partition } from '../../../shared/model/partition';
import { AccountTree } from '../../../shared/usage/account-tree';
import type { UsageRun } from '../../../shared/usage/usage-run';
import { ClustersRepo, type StoredCluster } from '../store/clusters-repo';
import { FairshareRepo } from '../store/fairshare-repo';
import { JsonSpans } from '../store/json-spans';
import { SnapshotsRepo } from '../store/snapshots-repo';
import { readTres } from '../store/tres-text';

export interface ClusterFacts {
  name: string;
  slurmVersion: string | null;
  timeZone: string;
  /** When the newest stored accounting collection finished (epoch s), null if none. */
  accountingCollectedAt: number | null;
  /** Up to when sacct was asked in that collection (the -E of the window). */
  accountingWindowUntil: number | null;
  /** Partition name → TRESBillingWeights (null: none set), from the newest partitions snapshot at or before the window end (else the newest). */
  tresBillingWeights: Record<string, string | null>;
  billingWeightsAsOf: number | null;
  /** Runs counted and the earliest start among the cluster's stored runs. */
  earliestRunStart: number | null;
}

/** The chosen clusters (all when none named); unknown names are a typed not-found error. */
export function chooseClusters(db: Database.Database, names: readonly string[]): StoredCluster[] {
  const repo = new ClustersRepo(db);
  for (const n of names) repo.idOf(n);
  return repo.list().filter((c) => names.length === 0 || names.includes(c.name));
}

export function clusterFacts(db: Database.Database, cluster: StoredCluster, windowTo: number): ClusterFacts {
  const clusters = new ClustersRepo(db);
  const snapshots = new SnapshotsRepo(db);
  const caps = clusters.capabilities(cluster.id);
  const acct = snapshots.latest(cluster.id, 'accounting');
  const until = acct ? (db.prepare('SELECT until FROM accounting_windows WHERE snapshot_id = ?').get(acct.id) as { until: number } | undefined) : undefined;
  const atEnd = db.prepare(`SELECT max(s.id) AS id FROM snapshots s JOIN snapshot_kinds k ON k.snapshot_id = s.id AND k.kind = 'partitions' WHERE s.cluster_id = ? AND s.finished_at <= ?`).get(cluster.id, windowTo) as { id: number | null };
  const partSnap = atEnd.id !== null ? snapshots.get(atEnd.id) : snapshots.latest(cluster.id, 'partitions');
  const weights: Record<string, string | null> = {};
  if (partSnap) for (const p of new JsonSpans<Partition>(db, 'partition_spans').asOf(cluster.id, partSnap.id)) weights[p.name] = p.tresBillingWeights;
  const earliest = db.prepare('SELECT min(start_time) AS t FROM runs WHERE cluster_id = ?').get(cluster.id) as { t: number | null };
  return {
    name: cluster.name,
    slurmVersion: caps?.slurmVersion ?? null,
    timeZone: clusters.timeZone(cluster.id),
    accountingCollectedAt: acct?.finishedAt ?? null,
    accountingWindowUntil: until?.until ?? null,
    tresBillingWeights: weights,
    billingWeightsAsOf: partSnap?.finishedAt ?? null,
    earliestRunStart: earliest.t,
  };
}

/** Account trees of the clusters from their newest fairshare snapshot (clusters without one: flat). */
export function accountTree(db: Database.Database, clusters: readonly StoredCluster[]): AccountTree {
  const tree = new AccountTree();
  const snapshots = new SnapshotsRepo(db);
  const fairshare = new FairshareRepo(db);
  for (const c of clusters) {
    const snap = snapshots.latest(c.id, 'fairshare');
    if (snap) tree.addCluster(c.name, fairshare.read(snap.id) as FairshareRow[]);
  }
  return tree;
}

type RawRun = [number, string, string, string, string, string, number | null, number | null, number, number, number, number, string | null];

/**
 * Every run of `cluster` that may have held resources in [from, to): started before `to`, and ended at or
 * after `from` or not ended. Ordered by job id, so the runs of a job come together (the usage maths then
 * counts distinct jobs without a set of every id; SQLite sorts on disk if it must, not in our heap). The
 * same object is refilled for each run: consume it before the next.
 */
export function* runsInWindow(db: Database.Database, cluster: StoredCluster, from: number, to: number): Generator<UsageRun> {
  const stmt = db
    .prepare(`SELECT job_id_raw, account, user, partition, qos, state, start_time, end_time, elapsed, cpus, billing, gpus, gpu_types
      FROM runs WHERE cluster_id = ? AND start_time IS NOT NULL AND start_time < ? AND (end_time IS NULL OR end_time >= ? OR start_time + elapsed > ?)
      ORDER BY job_id_raw, submit_time`)
    .raw(true);
  const types = new Map<string, Record<string, number>>();
  const none: Record<string, number> = {};
  const run: UsageRun = { cluster: cluster.name, jobIdRaw: 0, account: '', user: '', partition: '', qos: '', state: '', startTime: null, endTime: null, elapsed: 0, cpus: 0, billing: 0, gpus: 0, gpuByType: none };
  for (const r of stmt.iterate(cluster.id, to, from, from) as Iterable<RawRun>) {
    run.jobIdRaw = r[0];
    run.account = r[1];
    run.user = r[2];
    run.partition = r[3];
    run.qos = r[4];
    run.state = r[5];
    run.startTime = r[6];
    run.endTime = r[7];
    run.elapsed = r[8];
    run.cpus = r[9];
    run.billing = r[10];
    run.gpus = r[11];
    const text = r[12];
    if (text === null || text === '') run.gpuByType = none;
    else {
      let t = types.get(text);
      if (!t) {
        t = readTres(text).gpuByType;
        if (types.size > 10_000) types.clear();
        types.set(text, t);
      }
      run.gpuByType = t;
    }
    yield run;
  }
}
