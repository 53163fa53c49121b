// Time travel: which snapshot a view shows for "as of T". Snapshot ids grow with time per cluster, so
// the snapshot of a kind as of T is the newest one of that kind that had finished by T.
import type Database from 'better-sqlite3';
import type { SnapshotKind } from '../../../shared/model/snapshot';
import { SnapshotsRepo, type StoredSnapshot } from '../store/snapshots-repo';

export function snapshotAt(db: Database.Database, clusterId: number, kind: SnapshotKind, at?: number): StoredSnapshot | undefined {
  const repo = new SnapshotsRepo(db);
  if (at === undefined) return repo.latest(clusterId, kind);
  const row = db
    .prepare(`SELECT max(k.snapshot_id) AS id FROM snapshot_kinds k JOIN snapshots s ON s.id = k.snapshot_id
              WHERE s.cluster_id = ? AND k.kind = ? AND s.finished_at <= ?`)
    .get(clusterId, kind, at) as { id: number | null };
  return row.id === null ? undefined : repo.get(row.id);
}
