// Snapshot records: which collections exist, per cluster and kind, and whether a snapshot's own rows are
// still kept in full (see retention.ts). Reads return the model's SnapshotInfo.
import type Database from 'better-sqlite3';
import type { SnapshotInfo, SnapshotKind } from '../../../shared/model/snapshot';
import { prepared } from './prepared';

export const SNAPSHOT_KINDS: readonly SnapshotKind[] = ['nodes', 'partitions', 'queue', 'accounting', 'fairshare', 'priority', 'reservations', 'controller'];

export interface StoredSnapshot extends SnapshotInfo {
  clusterId: number;
  source: 'poll' | 'import';
  /** Rows stored per kind. */
  rows: Partial<Record<SnapshotKind, number>>;
}

interface Row {
  id: number;
  cluster_id: number;
  cluster: string;
  started_at: number;
  finished_at: number;
  source: 'poll' | 'import';
  status: 'ok' | 'partial';
  errors: string;
  kinds: string | null;
}

const SELECT = `SELECT s.id, s.cluster_id, c.name AS cluster, s.started_at, s.finished_at, s.source, s.status, s.errors,
  (SELECT json_group_object(k.kind, k.rows) FROM snapshot_kinds k WHERE k.snapshot_id = s.id) AS kinds
  FROM snapshots s JOIN clusters c ON c.id = s.cluster_id`;

function toSnapshot(r: Row): StoredSnapshot {
  const rows = (r.kinds ? JSON.parse(r.kinds) : {}) as Partial<Record<SnapshotKind, number>>;
  return {
    id: r.id,
    clusterId: r.cluster_id,
    cluster: r.cluster,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    source: r.source,
    kinds: SNAPSHOT_KINDS.filter((k) => k in rows),
    status: r.status,
    errors: JSON.parse(r.errors) as SnapshotInfo['errors'],
    rows,
  };
}

export class SnapshotsRepo {
  constructor(private readonly db: Database.Database) {}

  create(clusterId: number, s: { startedAt: number; finishedAt: number; source: 'poll' | 'import'; status: 'ok' | 'partial'; errors: SnapshotInfo['errors'] }): number {
    return (
      prepared(this.db, 'INSERT INTO snapshots (cluster_id, started_at, finished_at, source, status, errors) VALUES (?, ?, ?, ?, ?, ?) RETURNING id')
        .get(clusterId, s.startedAt, s.finishedAt, s.source, s.status, JSON.stringify(s.errors)) as { id: number }
    ).id;
  }

  addKind(snapshotId: number, kind: SnapshotKind, rows: number, full: boolean): void {
    prepared(this.db, 'INSERT INTO snapshot_kinds (snapshot_id, kind, rows, full) VALUES (?, ?, ?, ?)').run(snapshotId, kind, rows, full ? 1 : 0);
  }

  get(id: number): StoredSnapshot | undefined {
    const r = prepared(this.db, `${SELECT} WHERE s.id = ?`).get(id) as Row | undefined;
    return r && toSnapshot(r);
  }

  /** The newest snapshot of the cluster (holding `kind`, when given), at or before `atOrBefore` when given. */
  latest(clusterId: number, kind?: SnapshotKind, atOrBefore?: number): StoredSnapshot | undefined {
    const bound = atOrBefore ?? Number.MAX_SAFE_INTEGER;
    const id = kind
      ? (prepared(this.db, `SELECT k.snapshot_id AS id FROM snapshot_kinds k JOIN snapshots s ON s.id = k.snapshot_id
                    WHERE k.kind = ? AND s.cluster_id = ? AND k.snapshot_id <= ? ORDER BY k.snapshot_id DESC LIMIT 1`)
          .get(kind, clusterId, bound) as { id: number } | undefined)
      : (prepared(this.db, 'SELECT id FROM snapshots WHERE cluster_id = ? AND id <= ? ORDER BY id DESC LIMIT 1').get(clusterId, bound) as { id: number } | undefined);
    return id && this.get(id.id);
  }

  /** The newest snapshot of every cluster that has one. */
  latestPerCluster(): StoredSnapshot[] {
    const rows = prepared(this.db, `${SELECT} WHERE s.id IN (SELECT max(id) FROM snapshots GROUP BY cluster_id) ORDER BY c.name`).all() as Row[];
    return rows.map(toSnapshot);
  }

  /** Snapshots of a cluster, newest first. */
  list(clusterId: number, opts: { before?: number; limit?: number } = {}): StoredSnapshot[] {
    const rows = prepared(this.db, `${SELECT} WHERE s.cluster_id = ? AND s.id < ? ORDER BY s.id DESC LIMIT ?`)
      .all(clusterId, opts.before ?? Number.MAX_SAFE_INTEGER, Math.max(0, Math.floor(opts.limit ?? 100))) as Row[];
    return rows.map(toSnapshot);
  }

  /** Whether the snapshot's own rows of `kind` are still stored (not thinned out by retention). */
  isFull(snapshotId: number, kind: SnapshotKind): boolean {
    const r = prepared(this.db, 'SELECT full FROM snapshot_kinds WHERE snapshot_id = ? AND kind = ?').get(snapshotId, kind) as { full: number } | undefined;
    return r?.full === 1;
  }
}
